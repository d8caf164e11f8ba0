"""The fleet API's assets, as each persona, through HTTP: the same rules as the pages."""

from __future__ import annotations

import pytest
from django.test import Client

from preau.accounts import token_services
from preau.core.models import AuditEvent
from preau.fleet import services
from preau.fleet.models import Asset, AssetEvent

pytestmark = pytest.mark.django_db
API = "/api/v1/fleet"
JSON = "application/json"


def serials(response) -> set[str]:
    assert response.status_code == 200, response.content[:300]
    return {row["serial"] for row in response.json()["items"]}


def detail_of(client, asset):
    return client.get(f"{API}/assets/{asset.pk}")


@pytest.mark.parametrize(
    ("persona", "sees"),
    [("city_admin", {"SN-A", "SN-B"}), ("director_a", {"SN-A"}), ("teacher_b0", {"SN-B"}),
     ("erun", {"SN-A"}), ("vannes_admin", {"SN-V"}), ("parent", set()), ("pupil", set()),
     ("outsider", set())],
)  # fmt: skip
def test_asset_list_shows_each_persona_their_own(world, assets, persona, sees):
    client = world.client_for(world.persona(persona))
    assert serials(client.get(f"{API}/assets")) == sees


@pytest.mark.parametrize(
    ("persona", "status"),
    [("city_admin", 200), ("director_a", 200), ("teacher_a0", 200), ("erun", 200),
     ("director_b", 404), ("teacher_b0", 404), ("vannes_admin", 404), ("parent", 404),
     ("pupil", 404), ("outsider", 404)],
)  # fmt: skip
def test_asset_detail_is_someone_elses_404(world, assets, persona, status):
    client = world.client_for(world.persona(persona))
    response = detail_of(client, assets["a"])
    assert response.status_code == status
    assert client.get(f"{API}/assets/code/aaaa2222").status_code == status
    if status == 404:
        assert response.json() == {"detail": "Not Found"}


def test_detail_carries_history_and_what_may_follow(world, assets, tech):
    services.transition(assets["a"], "deployed", actor=tech, note="salle 3")
    body = detail_of(world.client_for(tech), assets["a"]).json()
    assert body["status"] == "deployed"
    assert body["site_name"] == "Site A"
    assert body["can_change"] is True
    assert set(body["transitions"]) == {"in_stock", "on_loan", "in_repair", "retired"}
    [event] = body["events"]
    assert event["kind"] == "status"
    assert event["changes"] == {"status": ["in_stock", "deployed"]}
    assert event["actor"] == "Tom Technicien"
    assert event["note"] == "salle 3"
    assert detail_of(world.client_for(world.a.director), assets["a"]).json()["can_change"] is False


def test_filters_and_search(world, assets, tech):
    client = world.client_for(tech)
    assert serials(client.get(f"{API}/assets", {"site": world.a.school.site.pk})) == {"SN-A"}
    assert serials(client.get(f"{API}/assets", {"kind": "display"})) == {"SN-B"}
    assert serials(client.get(f"{API}/assets", {"q": "sn-a"})) == {"SN-A"}
    assert serials(client.get(f"{API}/assets", {"status": "deployed"})) == set()
    assert serials(client.get(f"{API}/assets", {"site": world.v.school.site.pk})) == set()
    bad = client.get(f"{API}/assets", {"kind": "spaceship"})
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["loc"][-1] == "kind"


def test_asset_list_query_count_is_flat(world, tech, django_assert_max_num_queries):
    client = world.client_for(tech)
    for n in (3, 30):
        for i in range(n):
            services.create_asset(
                world.lorient,
                {"kind": "tablet", "serial": f"T{n}-{i}", "site": world.a.school.site},
                actor=tech,
            )
        with django_assert_max_num_queries(8):
            assert len(client.get(f"{API}/assets", {"page_size": 200}).json()["items"]) >= n


def test_technician_registers_changes_and_moves_an_asset(world, tech):
    client = world.client_for(tech)
    body = {"kind": "laptop", "serial": "PF3ABC", "model": "T14", "site_id": world.a.school.site.pk,
            "assignee_id": world.a.teachers[0].pk, "purchase_date": "2024-09-01"}  # fmt: skip
    made = client.post(f"{API}/assets", body, content_type=JSON)
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    asset = Asset.objects.get(pk=pk)
    assert (asset.municipality, asset.site, asset.assignee) == (
        world.lorient,
        world.a.school.site,
        world.a.teachers[0],
    )
    changed = client.patch(
        f"{API}/assets/{pk}", {"model": "T14 Gen 4", "assignee_id": None}, content_type=JSON
    )
    assert changed.status_code == 200
    assert changed.json()["model"] == "T14 Gen 4"
    assert changed.json()["assignee_id"] is None
    moved = client.post(
        f"{API}/assets/{pk}/transition", {"status": "deployed", "note": "CM2"}, content_type=JSON
    )
    assert moved.json()["status"] == "deployed"
    kinds = [event["kind"] for event in moved.json()["events"]]
    assert kinds == ["status", "changed", "created"]
    asset.refresh_from_db()
    assert asset.serial == "PF3ABC"  # left out of the PATCH: unchanged
    assert asset.events.get(kind="changed").changes == {
        "model": ["T14", "T14 Gen 4"],
        "assignee": [str(world.a.teachers[0]), None],
    }
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"fleet.asset_created", "fleet.asset_changed", "fleet.asset_status"} <= actions


def test_a_token_works_like_the_session(world, assets, tech):
    _token, clear = token_services.create_token(tech, "inventaire")
    client = Client(headers={"Authorization": f"Bearer {clear}"})
    response = client.post(
        f"{API}/assets/{assets['a'].pk}/transition", {"status": "on_loan"}, content_type=JSON
    )
    assert response.status_code == 200
    assert Client().get(f"{API}/assets").status_code == 401


@pytest.mark.parametrize(
    ("persona", "change", "create"),
    [("director_a", 403, 403), ("teacher_a0", 403, 403), ("erun", 403, 403),
     ("director_b", 404, 403), ("vannes_admin", 404, 201), ("parent", 404, 404),
     ("pupil", 404, 404), ("outsider", 404, 404)],
)  # fmt: skip
def test_only_technicians_and_city_admins_write(world, assets, persona, change, create):
    """School staff read the fleet: a write is a 403; others get the 404 of a missing page.
    Vannes' admin registers assets, in Vannes."""
    client = world.client_for(world.persona(persona))
    pk = assets["a"].pk
    patch = client.patch(f"{API}/assets/{pk}", {"model": "X"}, content_type=JSON)
    move = client.post(f"{API}/assets/{pk}/transition", {"status": "deployed"}, content_type=JSON)
    assert (patch.status_code, move.status_code) == (change, change)
    made = client.post(f"{API}/assets", {"kind": "tablet"}, content_type=JSON)
    assert made.status_code == create
    assert Asset.objects.filter(municipality=assets["a"].municipality).count() == 2
    assert not AssetEvent.objects.filter(asset_id=pk).exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "spaceship"}, "kind"),
        ({"kind": "laptop", "serial": "x" * 101}, "serial"),
        ({"kind": "laptop", "purchase_date": "hier"}, "purchase_date"),
    ],
)
def test_malformed_input_is_422_naming_the_field(world, tech, body, field):
    response = world.client_for(tech).post(f"{API}/assets", body, content_type=JSON)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == field
    assert not Asset.objects.exists()


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ({"site_id": "vannes"}, "site_id: nothing you may choose"),
        ({"room_id": 999999}, "room_id: nothing you may choose"),
        ({"assignee_id": "vannes_admin"}, "assignee_id: nothing you may choose"),
        ({"parent_id": "b"}, "parent_id: nothing you may choose"),  # not a tablet case
        ({"serial": "SN-B"}, "serial number SN-B"),
        ({"mac_address": "zz"}, "MAC address"),
        ({"kind": None}, "kind: an asset always has a kind"),
        ({"purchase_date": "2025-01-01", "warranty_end": "2024-01-01"}, "warranty cannot end"),
    ],
)
def test_refused_changes_say_why_and_change_nothing(world, assets, tech, body, says):
    ids = {"vannes": world.v.school.site.pk, "vannes_admin": world.vannes_admin.pk,
           "b": assets["b"].pk}  # fmt: skip
    body = {key: ids.get(value, value) for key, value in body.items()}
    client = world.client_for(tech)
    response = client.patch(f"{API}/assets/{assets['a'].pk}", body, content_type=JSON)
    assert response.status_code == 422
    assert says in response.json()["detail"]
    assert not AssetEvent.objects.exists()


def test_municipality_of_a_new_asset(world, tech):
    client = world.client_for(tech)
    other = client.post(
        f"{API}/assets", {"kind": "ups", "municipality_id": world.vannes.pk}, content_type=JSON
    )
    assert other.status_code == 422
    assert other.json()["detail"].startswith("municipality_id:")
    made = client.post(
        f"{API}/assets", {"kind": "ups", "municipality_id": world.lorient.pk}, content_type=JSON
    )
    assert made.json()["municipality_id"] == world.lorient.pk


def test_lifecycle_is_enforced(world, assets, tech):
    client = world.client_for(tech)
    url = f"{API}/assets/{assets['a'].pk}/transition"
    refused = client.post(url, {"status": "recycled"}, content_type=JSON)
    assert refused.status_code == 422
    assert refused.json()["detail"].startswith("status: An asset cannot go from")
    unknown = client.post(url, {"status": "lost"}, content_type=JSON)
    assert unknown.status_code == 422
    assert unknown.json()["detail"][0]["loc"][-1] == "status"
    assert Asset.objects.get(pk=assets["a"].pk).status == "in_stock"
