"""Asset pages and services, through HTTP, as each persona."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from preau.core.models import AuditEvent
from preau.fleet import services
from preau.fleet.models import Asset, AssetEvent

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("persona", "status", "sees"),
    [
        ("city_admin", 200, {"SN-A", "SN-B"}),
        ("director_a", 200, {"SN-A"}),
        ("teacher_b0", 200, {"SN-B"}),
        ("vannes_admin", 200, {"SN-V"}),
        ("erun", 200, {"SN-A"}),
        ("parent", 404, set()),
        ("pupil", 404, set()),
        ("outsider", 404, set()),
    ],
)
def test_asset_list_shows_each_persona_their_own(world, assets, persona, status, sees):
    response = world.client_for(world.persona(persona)).get(reverse("fleet:asset_list"))
    assert response.status_code == status
    if status == 200:
        shown = {serial for serial in ("SN-A", "SN-B", "SN-V") if serial in response.text}
        assert shown == sees


def test_list_filters_and_search(world, assets, tech):
    client = world.client_for(tech)
    url = reverse("fleet:asset_list")
    assert "SN-B" not in client.get(url, {"site": world.a.school.site.pk}).text
    assert "SN-A" not in client.get(url, {"kind": "display"}).text
    assert "SN-A" in client.get(url, {"q": "sn-a"}).text
    # Someone else's site is not a choice: the filter is ignored with an error.
    assert "SN-A" in client.get(url, {"site": world.v.school.site.pk}).text


@pytest.mark.parametrize(
    ("persona", "status"),
    [("city_admin", 200), ("director_a", 200), ("teacher_a0", 200), ("director_b", 404),
     ("teacher_b0", 404), ("vannes_admin", 404), ("parent", 404), ("outsider", 404)],
)  # fmt: skip
def test_asset_detail_is_someone_elses_404(world, assets, persona, status):
    client = world.client_for(world.persona(persona))
    response = client.get(reverse("fleet:asset_detail", args=[assets["a"].pk]))
    assert response.status_code == status


@pytest.mark.parametrize("persona", ["director_a", "teacher_a0", "vannes_admin", "parent"])
def test_only_fleet_managers_edit(world, assets, persona):
    client = world.client_for(world.persona(persona))
    pk = assets["a"].pk
    assert client.get(reverse("fleet:asset_edit", args=[pk])).status_code == 404
    response = client.post(reverse("fleet:asset_transition", args=[pk]), {"status": "deployed"})
    assert response.status_code == 404
    if persona != "vannes_admin":  # who registers assets in Vannes
        assert client.get(reverse("fleet:asset_create")).status_code == 404
    Asset.objects.get(pk=pk, status="in_stock")


def test_technician_registers_edits_and_deploys_with_history(world, tech):
    client = world.client_for(tech)
    site = world.a.school.site
    response = client.post(
        reverse("fleet:asset_create"),
        {"kind": "laptop", "serial": "PF3ABC", "manufacturer": "Lenovo", "model": "T14",
         "site": site.pk, "assignee": world.a.teachers[0].pk, "purchase_date": "2024-09-01",
         "warranty_end": "2027-09-01"},
    )  # fmt: skip
    asset = Asset.objects.get(serial="PF3ABC")
    assert response.status_code == 302
    assert asset.municipality == world.lorient
    assert asset.status == "in_stock"
    assert len(asset.code) == 8
    edit = {"kind": "laptop", "serial": "PF3ABC", "manufacturer": "Lenovo", "model": "T14 Gen 4",
            "site": site.pk, "assignee": world.a.teachers[0].pk, "notes": "écran rayé"}  # fmt: skip
    assert client.post(reverse("fleet:asset_edit", args=[asset.pk]), edit).status_code == 302
    transition = reverse("fleet:asset_transition", args=[asset.pk])
    assert client.post(transition, {"status": "deployed", "note": "salle 3"}).status_code == 302
    asset.refresh_from_db()
    assert asset.status == "deployed"
    assert asset.model == "T14 Gen 4"
    kinds = list(asset.events.order_by("at", "pk").values_list("kind", flat=True))
    assert kinds == ["created", "changed", "status"]
    changed = asset.events.get(kind="changed")
    assert changed.actor == tech
    assert changed.changes["model"] == ["T14", "T14 Gen 4"]
    assert changed.changes["purchase_date"] == ["2024-09-01", None]
    page = client.get(reverse("fleet:asset_detail", args=[asset.pk])).text
    assert "T14 Gen 4" in page
    assert "salle 3" in page
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"fleet.asset_created", "fleet.asset_changed", "fleet.asset_status"} <= actions


def test_lifecycle_is_enforced(world, assets, tech):
    asset = assets["a"]
    with pytest.raises(services.FleetError, match="cannot go"):
        services.transition(asset, "recycled", actor=tech)
    for status in ("deployed", "in_repair", "retired", "recycled"):
        asset = services.transition(asset, status, actor=tech)
    with pytest.raises(services.FleetError):
        services.transition(asset, "in_stock", actor=tech)
    assert AssetEvent.objects.filter(asset=asset, kind="status").count() == 4


def test_invalid_writes_say_why_and_write_nothing(world, assets, tech):
    with pytest.raises(services.FleetError, match="serial number SN-A"):
        services.create_asset(world.lorient, {"kind": "tablet", "serial": "SN-A"}, actor=tech)
    with pytest.raises(services.FleetError, match="another municipality"):
        services.update_asset(assets["a"], {"site": world.v.school.site}, actor=tech)
    with pytest.raises(services.FleetError, match="MAC"):
        services.update_asset(assets["a"], {"mac_address": "zz"}, actor=tech)
    assert Asset.objects.count() == 3
    assert not AssetEvent.objects.exists()


def test_tablet_goes_in_its_case(world, tech):
    case = services.create_asset(world.lorient, {"kind": "tablet_case", "serial": "C1"}, actor=tech)
    fields = {"kind": "tablet", "serial": "T1", "parent": case}
    tablet = services.create_asset(world.lorient, fields, actor=tech)
    page = world.client_for(tech).get(reverse("fleet:asset_detail", args=[case.pk])).text
    assert str(tablet) in page


def test_qr_code_url_redirects_to_the_asset(world, assets, tech, client):
    url = reverse("fleet:asset_by_code", args=["aaaa2222"])
    assert url == "/fleet/a/aaaa2222"
    response = world.client_for(tech).get(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("fleet:asset_detail", args=[assets["a"].pk])
    assert client.get(url).status_code == 302
    assert "login" in client.get(url)["Location"]
    assert world.client_for(world.b.director).get(url).status_code == 404


def test_labels_pdf_carries_codes_and_urls(world, assets, tech):
    response = world.client_for(tech).get(reverse("fleet:labels_pdf"))
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "AAAA2222" in text
    assert "BBBB2222" in text
    assert "VVVV2222" not in text
    filtered = world.client_for(tech).get(reverse("fleet:labels_pdf"), {"kind": "display"})
    text = PdfReader(io.BytesIO(filtered.content)).pages[0].extract_text()
    assert "BBBB2222" in text
    assert "AAAA2222" not in text
    # directors read assets but print no labels
    assert world.client_for(world.a.director).get(reverse("fleet:labels_pdf")).status_code == 404
    assert AuditEvent.objects.filter(action="fleet.labels_printed").count() == 2


def test_label_qr_encodes_the_absolute_asset_url(assets, settings):
    from preau.fleet import labels

    settings.PUBLIC_URL = "https://ecoles.example.org"
    assert labels.asset_url(assets["a"]) == "https://ecoles.example.org/fleet/a/AAAA2222"
    drawing = labels._qr(labels.asset_url(assets["a"]))
    assert drawing.contents[0].value == "https://ecoles.example.org/fleet/a/AAAA2222"
