"""Compliance pages: who reaches what, bad input in rule forms, verdicts on the device
pages, the CSV export, and query counts that stay flat with the number of devices."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from preau.core.models import AuditEvent
from preau.fleet.compliance import services
from preau.fleet.models import Asset, ComplianceRule, Device, DeviceCompliance

pytestmark = pytest.mark.django_db
DISK = {"mount": "/", "volume": "/dev/sda1", "filesystem": "ext4", "total_mb": 1000}
FULL, ROOMY = [DISK | {"free_mb": 20}], [DISK | {"free_mb": 800}]


def _device(municipality, site, name, disks, asset=None):
    return Device.objects.create(
        municipality=municipality, site=site, asset=asset, hostname=name, disks=disks,
        deviceid=f"{name}-2026-01-01-00-00-00", last_inventory_at=timezone.now(),
    )  # fmt: skip


@pytest.fixture
def fleet(world, assets):
    """Lorient: a free-disk rule; pc-a (site A, full disk), pc-b (site B, fine) and a laptop
    in service on site B that never reported. Vannes: pc-v, no rule."""
    rule = ComplianceRule.objects.create(
        municipality=world.lorient,
        **services.clean_rule(
            {"name": "Disque libre", "kind": "free_disk", "value": "10", "severity": "critical"}
        ),
    )
    a, b = world.a.school.site, world.b.school.site
    devices = {
        "a": _device(world.lorient, a, "pc-a", FULL, assets["a"]),
        "b": _device(world.lorient, b, "pc-b", ROOMY),
        "v": _device(world.vannes, world.v.school.site, "pc-v", FULL),
    }
    Asset.objects.create(municipality=world.lorient, kind="laptop", code="SILENT22", site=b,
                         serial="SN-SILENT", status="deployed")  # fmt: skip
    services.evaluate_municipality(world.lorient)
    services.evaluate_municipality(world.vannes)
    return {"rule": rule, **devices}


# (persona, status, hostnames they see)
READERS = [
    ("city_admin", 200, {"pc-a", "pc-b"}), ("tech", 200, {"pc-a", "pc-b"}),
    ("director_a", 200, {"pc-a"}), ("teacher_a0", 200, {"pc-a"}), ("erun", 200, {"pc-a"}),
    ("director_b", 200, {"pc-b"}), ("vannes_admin", 200, {"pc-v"}),
    ("parent", 404, set()), ("pupil", 404, set()), ("outsider", 404, set()),
]  # fmt: skip
HOSTS = {"pc-a", "pc-b", "pc-v"}


def _client(world, tech, persona):
    return world.client_for(tech if persona == "tech" else world.persona(persona))


@pytest.mark.parametrize(("persona", "status", "seen"), READERS)
def test_dashboard_access(world, tech, fleet, persona, status, seen):
    response = _client(world, tech, persona).get(reverse("fleet:compliance_dashboard"))
    assert response.status_code == status
    if status == 200:
        sites = {n for n in ("Site A", "Site B", "Site V") if n in response.text}
        assert sites == {f"Site {h[-1].upper()}" for h in seen}


@pytest.mark.parametrize(("persona", "status", "seen"), READERS)
def test_devices_list_access(world, tech, fleet, persona, status, seen):
    url = reverse("fleet:compliance_devices")
    response = _client(world, tech, persona).get(url, {"status": "all"})
    assert response.status_code == status
    if status == 200:
        assert {h for h in HOSTS if h in response.text} == seen


@pytest.mark.parametrize(("persona", "status", "seen"), READERS)
def test_csv_access(world, tech, fleet, persona, status, seen):
    url = reverse("fleet:compliance_devices_csv")
    response = _client(world, tech, persona).get(url, {"status": "all"})
    assert response.status_code == status
    if status == 200:
        rows = _csv(response)
        assert {row[0] for row in rows[1:]} == seen


def _csv(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_dashboard_counts_and_drill_down(world, tech, fleet):
    page = world.client_for(tech).get(reverse("fleet:compliance_dashboard"))
    board = page.context["board"]
    cells = {(r.site_name, r.kind_label): dict(r.cells) for r in board.rows}
    assert cells[("Site A", "laptop")]["critical"] == 1
    assert cells[("Site B", "not registered")]["ok"] == 1
    assert cells[("Site B", "laptop")]["never"] == 1
    assert board.totals == {"ok": 1, "warning": 0, "critical": 1, "pending": 0, "never": 1}
    assert "<svg" in page.text
    assert "<caption>" in page.text
    site_a = world.a.school.site.pk
    link = f"?site={site_a}&amp;kind=laptop&amp;status=critical"
    assert link in page.text
    drill = world.client_for(tech).get(
        reverse("fleet:compliance_devices"),
        {"site": site_a, "kind": "laptop", "status": "critical"},
    )
    assert "pc-a" in drill.text
    assert "/ has 2 % free (minimum 10 %)" in drill.text
    never = world.client_for(tech).get(reverse("fleet:compliance_devices"), {"status": "never"})
    assert "SILENT22" in never.text
    assert "pc-a" not in never.text
    unregistered = world.client_for(tech).get(
        reverse("fleet:compliance_devices"), {"kind": "none", "status": "all"}
    )
    assert "pc-b" in unregistered.text
    assert "pc-a" not in unregistered.text


def test_devices_list_defaults_to_failing_and_filters_by_rule(world, tech, fleet):
    client = world.client_for(tech)
    failing = client.get(reverse("fleet:compliance_devices"))
    assert "pc-a" in failing.text
    assert "pc-b" not in failing.text
    by_rule = client.get(reverse("fleet:compliance_devices"), {"rule": fleet["rule"].pk})
    assert "pc-a" in by_rule.text
    other = ComplianceRule.objects.create(municipality=world.lorient, kind="warranty", name="W")
    assert "pc-a" not in client.get(reverse("fleet:compliance_devices"), {"rule": other.pk}).text
    # School staff do not see rules: no rule filter for them.
    director = world.client_for(world.a.director).get(reverse("fleet:compliance_devices"))
    assert 'name="rule"' not in director.text


def test_csv_is_formula_safe(world, tech, fleet):
    Device.objects.filter(pk=fleet["a"].pk).update(hostname='=HYPERLINK("http://x")')
    rows = _csv(world.client_for(tech).get(reverse("fleet:compliance_devices_csv")))
    assert rows[0][0] == "Host name"
    assert rows[1][0] == '\'=HYPERLINK("http://x")'
    assert rows[1][8] == "Critical"
    assert rows[1][9] == "Disque libre"
    assert rows[1][10] == "/ has 2 % free (minimum 10 %)"


def test_device_pages_show_the_verdict(world, tech, fleet):
    client = world.client_for(world.a.teachers[0])
    detail = client.get(reverse("fleet:device_detail", args=[fleet["a"].pk]))
    assert "Rules this device fails" in detail.text
    assert "Disque libre" in detail.text
    assert "/ has 2 % free (minimum 10 %)" in detail.text
    listing = world.client_for(tech).get(reverse("fleet:device_list"), {"compliance": "critical"})
    assert "pc-a" in listing.text
    assert "pc-b" not in listing.text
    everything = world.client_for(tech).get(reverse("fleet:device_list"))
    assert "Compliant" in everything.text
    assert "Critical" in everything.text


def _queries(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params or {}).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    ("name", "params"),
    [("fleet:compliance_dashboard", None), ("fleet:compliance_devices", {"status": "all"}),
     ("fleet:device_list", None)],
)  # fmt: skip
def test_query_counts_are_flat_in_the_number_of_devices(
    world, tech, fleet, name, params, django_assert_max_num_queries
):
    client = world.client_for(tech)
    url = reverse(name)
    client.get(url)  # warm the session and the per-request caches alike
    few = _queries(client, url, params)
    site = world.a.school.site
    for n in range(25):
        asset = Asset.objects.create(municipality=world.lorient, kind="desktop", site=site,
                                     code=f"MANY{n:04d}", serial=f"SN-M{n}")  # fmt: skip
        _device(world.lorient, site, f"many-{n}", FULL if n % 2 else ROOMY, asset)
    services.evaluate_municipality(world.lorient)
    with django_assert_max_num_queries(few):
        client.get(url, params or {})
    assert few <= 14


# Rules -----------------------------------------------------------------------------------

NOT_STAFF = ["director_a", "teacher_a0", "erun", "parent", "pupil", "outsider"]


def _rule_urls(rule_pk):
    return [
        ("get", reverse("fleet:compliance_rules")),
        ("get", reverse("fleet:compliance_rule_create")),
        ("get", reverse("fleet:compliance_rule_edit", args=[rule_pk])),
        ("post", reverse("fleet:compliance_rule_toggle", args=[rule_pk])),
        ("get", reverse("fleet:compliance_rule_delete", args=[rule_pk])),
        ("post", reverse("fleet:compliance_rule_delete", args=[rule_pk])),
        ("post", reverse("fleet:compliance_evaluate")),
    ]


@pytest.mark.parametrize("persona", NOT_STAFF)
def test_rule_pages_are_for_fleet_managers(world, fleet, persona):
    client = world.client_for(world.persona(persona))
    for method, url in _rule_urls(fleet["rule"].pk):
        assert getattr(client, method)(url).status_code == 404, url
    assert ComplianceRule.objects.filter(pk=fleet["rule"].pk, enabled=True).exists()


def test_another_municipalitys_rule_is_404(world, fleet):
    client = world.client_for(world.vannes_admin)
    rule = fleet["rule"]
    for method, url in _rule_urls(rule.pk)[2:6]:
        assert getattr(client, method)(url).status_code == 404, url
    listing = client.get(reverse("fleet:compliance_rules"))
    assert listing.status_code == 200
    assert "Disque libre" not in listing.text
    assert ComplianceRule.objects.filter(pk=rule.pk, enabled=True).exists()


@pytest.mark.parametrize("persona", ["city_admin", "tech"])
def test_rule_pages_for_managers(world, tech, fleet, persona):
    client = _client(world, tech, persona)
    rule = fleet["rule"]
    listing = client.get(reverse("fleet:compliance_rules"))
    assert "Disque libre" in listing.text
    assert f"?rule={rule.pk}" in listing.text  # one failing device, linked
    for name in ("compliance_rule_create", "compliance_rule_edit", "compliance_rule_delete"):
        args = [] if name == "compliance_rule_create" else [rule.pk]
        assert client.get(reverse(f"fleet:{name}", args=args)).status_code == 200


def test_create_edit_toggle_delete(world, tech, fleet, django_capture_on_commit_callbacks):
    client = world.client_for(tech)
    form = {"name": "Antivirus", "kind": "antivirus", "value": "ClamAV", "severity": "warning",
            "enabled": "on", "asset_kinds": ["laptop"]}  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("fleet:compliance_rule_create"), form)
    assert response.status_code == 302
    created = ComplianceRule.objects.get(name="Antivirus")
    assert (created.municipality, created.value, created.asset_kinds) == (
        world.lorient,
        "clamav",
        ["laptop"],
    )
    verdict = DeviceCompliance.objects.get(device=fleet["a"])
    assert {f["name"] for f in verdict.failures} == {"Disque libre", "Antivirus"}
    rule = fleet["rule"]
    edit = {"name": "Disque libre", "kind": "free_disk", "value": "1", "severity": "critical",
            "enabled": "on"}  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("fleet:compliance_rule_edit", args=[rule.pk]), edit)
    assert ComplianceRule.objects.get(pk=rule.pk).value == "1"
    verdict.refresh_from_db()
    assert [f["name"] for f in verdict.failures] == ["Antivirus"]
    assert verdict.status == "warning"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("fleet:compliance_rule_toggle", args=[created.pk]), {"enabled": "0"})
    verdict.refresh_from_db()
    assert verdict.status == "ok"
    assert not ComplianceRule.objects.get(pk=created.pk).enabled
    confirm = client.get(reverse("fleet:compliance_rule_delete", args=[created.pk]))
    assert "Delete the rule" in confirm.text
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("fleet:compliance_rule_delete", args=[created.pk]))
    assert not ComplianceRule.objects.filter(pk=created.pk).exists()
    actions = list(AuditEvent.objects.filter(action__startswith="fleet.compliance_rule")
                   .order_by("pk").values_list("action", flat=True))  # fmt: skip
    assert actions == [
        "fleet.compliance_rule_created", "fleet.compliance_rule_changed",
        "fleet.compliance_rule_changed", "fleet.compliance_rule_deleted",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("fields", "message"),
    [({"kind": "inventory_age", "value": "seven"}, "The number of days must be a whole number"),
     ({"kind": "inventory_age", "value": "0"}, "between 1 and 3650"),
     ({"kind": "free_disk", "value": "150"}, "a percentage between 0 and 100"),
     ({"kind": "free_disk", "value": "-1"}, "a percentage between 0 and 100"),
     ({"kind": "os_version", "value": "Debian twelve"}, "numbers separated by dots"),
     ({"kind": "software", "value": ""}, "at least one software name"),
     ({"kind": "nonsense", "value": "1"}, "Select a valid choice"),
     ({"kind": "warranty", "name": ""}, "This field is required"),
     ({"kind": "warranty", "asset_kinds": ["spaceship"]}, "Select a valid choice")],
)  # fmt: skip
def test_bad_rule_input_is_refused_with_a_reason(world, tech, fleet, fields, message):
    before = ComplianceRule.objects.count()
    form = {"name": "Règle", "severity": "warning", "enabled": "on"} | fields
    response = world.client_for(tech).post(reverse("fleet:compliance_rule_create"), form)
    assert response.status_code == 200
    assert message in response.text
    assert ComplianceRule.objects.count() == before
    # Editing refuses the same and changes nothing.
    rule = fleet["rule"]
    form = {"name": "Disque libre", "severity": "critical", "enabled": "on"} | fields
    edit = world.client_for(tech).post(reverse("fleet:compliance_rule_edit", args=[rule.pk]), form)
    assert message in edit.text
    assert ComplianceRule.objects.get(pk=rule.pk).value == "10"


def test_value_error_is_shown_next_to_the_threshold(world, tech, fleet):
    form = {"name": "R", "kind": "free_disk", "value": "150", "severity": "warning"}
    response = world.client_for(tech).post(reverse("fleet:compliance_rule_create"), form)
    assert response.context["form"].errors["value"] == [
        "The free space must be a percentage between 0 and 100, such as 10."
    ]


def test_evaluate_now(world, tech, fleet):
    Device.objects.filter(pk=fleet["b"].pk).update(disks=FULL)
    client = world.client_for(tech)
    response = client.post(reverse("fleet:compliance_evaluate"), {"next": "dashboard"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("fleet:compliance_dashboard")
    assert "2 devices evaluated: 0 compliant, 0 needing attention, 2 critical." in response.text
    assert DeviceCompliance.objects.get(device=fleet["b"]).status == "critical"
    assert AuditEvent.objects.filter(action="fleet.compliance_evaluated").count() == 1
    assert client.get(reverse("fleet:compliance_evaluate")).status_code == 405


def test_dashboard_tells_managers_when_no_rule_is_enabled(world, tech, fleet):
    ComplianceRule.objects.update(enabled=False)
    page = world.client_for(tech).get(reverse("fleet:compliance_dashboard"))
    assert "No rule is enabled" in page.text
    director = world.client_for(world.a.director).get(reverse("fleet:compliance_dashboard"))
    assert "No rule is enabled" not in director.text
    assert reverse("fleet:compliance_rules") not in director.text
