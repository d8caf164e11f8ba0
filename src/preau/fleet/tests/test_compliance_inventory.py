"""Antivirus facts from the agents' payloads, verdicts after ingestion, the daily pass, the
demo rules."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path

import pytest
from django.utils import timezone

from preau.fleet.compliance import services, tasks
from preau.fleet.compliance.seed import seed_rules
from preau.fleet.inventory import glpi, xml
from preau.fleet.models import AgentTag, ComplianceRule, Device, DeviceCompliance

from .helpers import FUSION_AGENT, glpi_message, post, post_json, with_deviceid, xml_of

pytestmark = pytest.mark.django_db
SHARED = Path("/work/shared/fixtures/glpi-inventory-format")
DEFENDER = (
    "<ANTIVIRUS><COMPANY>Microsoft Corporation</COMPANY><ENABLED>1</ENABLED>"
    "<GUID>{D68DDC3A-831F-4fae-9E44-DA132C1ACF46}</GUID><NAME>Windows Defender</NAME>"
    "<UPTODATE>0</UPTODATE><VERSION>4.18.24090.11</VERSION></ANTIVIRUS>"
    "<ANTIVIRUS><NAME>ESET Endpoint Security</NAME><ENABLED></ENABLED></ANTIVIRUS>"
    "<ANTIVIRUS><NAME></NAME></ANTIVIRUS>"
)


def with_antivirus(text: str, sections: str = DEFENDER) -> str:
    return text.replace("</CONTENT>", f"{sections}</CONTENT>", 1)


def test_fusion_xml_antivirus_section_is_read():
    text = with_antivirus(xml_of("fusion-inventory.zlib"))
    inventory = xml.to_inventory(xml.parse(text.encode()))
    assert inventory.antivirus == [
        {"name": "Windows Defender", "version": "4.18.24090.11", "enabled": True,
         "uptodate": False},
        {"name": "ESET Endpoint Security", "version": "", "enabled": None, "uptodate": None},
    ]  # fmt: skip


@pytest.mark.parametrize("name", ["ocs-inventory.zlib", "fusion-inventory.zlib"])
def test_linux_agents_report_no_antivirus(name):
    inventory = xml.to_inventory(xml.parse(xml_of(name).encode()))
    assert inventory.antivirus == []


def _glpi_with_antivirus(source: dict) -> dict:
    message = copy.deepcopy(source)
    message["content"]["antivirus"] = [
        {"name": "Microsoft Defender Antivirus", "company": "Microsoft Corporation",
         "enabled": True, "uptodate": True, "version": "4.18.24090.11",
         "guid": "{D68DDC3A-831F-4fae-9E44-DA132C1ACF46}", "base_version": "1.421.0.0"},
        {"name": "Sophos", "enabled": False, "uptodate": False},
    ]  # fmt: skip
    return message


@pytest.mark.parametrize(
    "source",
    [glpi_message(), json.loads((SHARED / "computer_1.json").read_text())],
    ids=["tests-fixture", "shared-fixture"],
)
def test_glpi_json_antivirus_entries_are_read_and_valid(source):
    message = glpi.parse(json.dumps(_glpi_with_antivirus(source)).encode())
    glpi.validate_inventory(message)  # the GLPI schema accepts the entries
    inventory = glpi.to_inventory(message)
    assert inventory.antivirus == [
        {"name": "Microsoft Defender Antivirus", "version": "4.18.24090.11", "enabled": True,
         "uptodate": True},
        {"name": "Sophos", "version": "", "enabled": False, "uptodate": False},
    ]  # fmt: skip
    assert glpi.to_inventory(glpi.parse(json.dumps(source).encode())).antivirus is None


WINDOWS_OS = (
    "<OPERATINGSYSTEM><FULL_NAME>Microsoft Windows 10 Professionnel</FULL_NAME>"
    "<KERNEL_NAME>MSWin32</KERNEL_NAME><KERNEL_VERSION>10.0.19045</KERNEL_VERSION>"
    "<NAME>Windows</NAME><VERSION>22H2</VERSION></OPERATINGSYSTEM>"
)


def test_windows_release_keeps_its_build_to_compare():
    text = xml_of("fusion-inventory.zlib")
    start, end = text.index("<OPERATINGSYSTEM>"), text.index("</OPERATINGSYSTEM>") + 18
    inventory = xml.to_inventory(xml.parse((text[:start] + WINDOWS_OS + text[end:]).encode()))
    assert inventory.os_version == "10.0.19045 (22H2)"
    message = glpi_message()
    message["content"]["operatingsystem"] = {
        "full_name": "Microsoft Windows 11 Education", "name": "Windows", "version": "23H2",
        "kernel_name": "MSWin32", "kernel_version": "10.0.22631",
    }  # fmt: skip
    assert glpi.to_inventory(glpi.parse(json.dumps(message).encode())).os_version == (
        "10.0.22631 (23H2)"
    )
    # Linux keeps its distribution's version, not the kernel's.
    assert xml.to_inventory(xml.parse(text.encode())).os_version == "12.11"


@pytest.fixture
def site_a(world):
    AgentTag.objects.create(site=world.a.school.site, tag="SITE-A")
    AgentTag.objects.create(site=world.a.school.site, tag="000005")  # the GLPI example's tag
    return world.a.school.site


def _rule(world, kind, value="", severity="critical", **extra):
    fields = {"name": f"{kind} rule", "kind": kind, "value": value, "severity": severity}
    return ComplianceRule.objects.create(
        municipality=world.lorient, **services.clean_rule(fields | extra)
    )


def test_each_inventory_refreshes_the_verdict(
    world, site_a, client, django_capture_on_commit_callbacks
):
    _rule(world, "antivirus", "clamav")
    text = xml_of("ocs-inventory.zlib")
    with django_capture_on_commit_callbacks(execute=True):
        post(client, text.encode())
    device = Device.objects.get()
    verdict = DeviceCompliance.objects.get(device=device)
    assert verdict.status == "critical"
    assert verdict.failures[0]["code"] == "antivirus_missing"
    assert verdict.failures[0]["detail"] == "no antivirus found (looked for: clamav)"
    # The next run lists ClamAV among the packages (Linux agents send no ANTIVIRUS section).
    clamav = "<SOFTWARES><NAME>clamav</NAME><VERSION>1.0.7</VERSION></SOFTWARES>"
    later = with_deviceid(with_antivirus(text, clamav), device.deviceid)
    with django_capture_on_commit_callbacks(execute=True):
        post(client, later.encode())
    verdict.refresh_from_db()
    assert (verdict.status, verdict.failures) == ("ok", [])


def test_fusion_antivirus_reaches_the_device(
    world, site_a, client, django_capture_on_commit_callbacks
):
    _rule(world, "antivirus", "defender")
    body = with_antivirus(xml_of("fusion-inventory.zlib")).encode()
    with django_capture_on_commit_callbacks(execute=True):
        post(client, body, path="/plugins/fusioninventory/", agent=FUSION_AGENT)
    device = Device.objects.get()
    assert device.antivirus[0]["name"] == "Windows Defender"
    verdict = device.compliance
    assert verdict.status == "critical"
    assert verdict.failures[0]["code"] == "antivirus_outdated"


def test_glpi_partial_inventory_keeps_the_antivirus(
    world, site_a, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post_json(client, _glpi_with_antivirus(glpi_message()))
    device = Device.objects.get()
    assert len(device.antivirus) == 2
    partial = glpi_message(partial=True)
    system = {"full_name": "Fedora 29", "version": "29"}
    partial["content"] = {
        "versionclient": partial["content"]["versionclient"],
        "operatingsystem": system,
    }
    with django_capture_on_commit_callbacks(execute=True):
        post_json(client, partial)
    device.refresh_from_db()
    assert len(device.antivirus) == 2
    assert DeviceCompliance.objects.filter(device=device, status="ok").exists()


def test_device_without_municipality_gets_no_verdict(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        post(client, xml_of("ocs-inventory.zlib").encode())  # no tag: no municipality yet
    assert Device.objects.get().municipality_id is None
    assert not DeviceCompliance.objects.exists()


def _device(world, n, **fields):
    defaults = {"municipality": world.lorient, "site": world.a.school.site,
                "deviceid": f"pc{n}-2026-01-01-00-00-00", "hostname": f"pc{n}",
                "last_inventory_at": timezone.now()}  # fmt: skip
    return Device.objects.create(**(defaults | fields))


def test_daily_pass_catches_inventories_growing_old(world):
    _rule(world, "inventory_age", "7", severity="warning")
    fresh = _device(world, 1)
    stale = _device(world, 2, last_inventory_at=timezone.now() - dt.timedelta(days=10))
    other = _device(world, 3, municipality=world.vannes, site=world.v.school.site)
    assert tasks.evaluate_every_municipality.call_local() == 3
    assert DeviceCompliance.objects.get(device=fresh).status == "ok"
    assert DeviceCompliance.objects.get(device=stale).status == "warning"
    assert DeviceCompliance.objects.get(device=other).status == "ok"  # Vannes has no rule


def test_tasks_are_idempotent_and_skip_missing_devices(world):
    device = _device(world, 1)
    assert tasks.evaluate_device_task.call_local(device.pk) == "ok"
    assert tasks.evaluate_device_task.call_local(device.pk) == "ok"
    assert DeviceCompliance.objects.filter(device=device).count() == 1
    assert tasks.evaluate_device_task.call_local(device.pk + 1000) is None
    assert tasks.evaluate_municipality_task.call_local(world.lorient.pk) == {"ok": 1}


def test_municipality_evaluation_is_flat_in_queries(world, django_assert_max_num_queries):
    for kind, value in [("antivirus", "clamav"), ("software", "firefox"), ("free_disk", "10")]:
        _rule(world, kind, value)
    for n in range(40):
        _device(world, n, disks=[{"mount": "/", "total_mb": 100, "free_mb": n}])
    # rules, devices, matching software, one upsert (per 500 devices)
    with django_assert_max_num_queries(4):
        counts = services.evaluate_municipality(world.lorient)
    assert counts == {"critical": 40}


def test_seed_rules(world):
    laptop = _device(world, 1, os_name="Microsoft Windows 11 Éducation", os_version="10.0.22631",
                     disks=[{"mount": "C:", "total_mb": 100, "free_mb": 50}])  # fmt: skip
    laptop.software.create(name="Windows Defender")
    assert seed_rules(world.lorient) == 5
    assert seed_rules(world.lorient) == 0
    names = set(ComplianceRule.objects.values_list("kind", flat=True))
    assert names == {"os_version", "inventory_age", "antivirus", "free_disk", "warranty"}
    verdict = DeviceCompliance.objects.get(device=laptop)
    # Not linked to an asset: only the warranty rule (every kind) applies, and cannot tell.
    assert [f["code"] for f in verdict.failures] == ["unknown_asset"]
