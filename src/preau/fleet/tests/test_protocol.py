"""The agents' protocols on payloads captured from the real agents (fixtures/)."""

from __future__ import annotations

import zlib

import pytest

from preau.fleet.models import AgentTag, Asset, Device, InstalledSoftware, RawInventory

from .helpers import (
    FUSION_AGENT,
    fixture,
    glpi_message,
    post,
    post_json,
    reply_json,
    reply_xml,
    with_deviceid,
    xml_of,
)

pytestmark = pytest.mark.django_db


def test_ocs_prolog_is_answered_send_compressed(client):
    response = post(client, fixture("ocs-prolog.zlib"))
    assert response.status_code == 200
    reply = reply_xml(response)  # the OCS agent cannot read an uncompressed reply
    assert "<RESPONSE>SEND</RESPONSE>" in reply
    assert "<PROLOG_FREQ>24</PROLOG_FREQ>" in reply
    assert not RawInventory.objects.exists()


def test_ocs_inventory_becomes_a_device(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, fixture("ocs-inventory.zlib"))
    assert response.status_code == 200
    assert "<RESPONSE>NO_ACCOUNT_UPDATE</RESPONSE>" in reply_xml(response)
    device = Device.objects.get()
    assert device.deviceid == "vm-2026-11-28-18-34-17"
    assert device.hostname == "vm"
    assert device.cpu == "AMD EPYC"
    assert device.memory_mb == 24105
    assert device.os_name == "Debian GNU/Linux 12"
    assert device.disks[0]["filesystem"] == "ext4"
    assert device.software.count() == 913
    assert device.software.filter(name="adduser", version="3.134").exists()
    assert device.interfaces.filter(mac="6a:9b:08:1d:18:4a").exists()
    raw = RawInventory.objects.get()
    assert raw.status == RawInventory.Status.INGESTED
    assert raw.device == device
    assert bytes(raw.payload) == fixture("ocs-inventory.zlib")  # kept as received


def test_fusion_inventory_fills_os_from_its_own_section(client, django_capture_on_commit_callbacks):
    assert "<TOKEN>" in zlib.decompress(fixture("fusion-prolog.zlib")).decode()
    prolog = post(
        client, fixture("fusion-prolog.zlib"), path="/plugins/fusioninventory/", agent=FUSION_AGENT
    )
    assert "<RESPONSE>SEND</RESPONSE>" in reply_xml(prolog)
    with django_capture_on_commit_callbacks(execute=True):
        response = post(
            client,
            fixture("fusion-inventory.zlib"),
            path="/plugins/fusioninventory/",
            agent=FUSION_AGENT,
        )
    assert response.status_code == 200
    device = Device.objects.get()
    assert device.os_name == "Debian GNU/Linux 12 (bookworm)"
    assert device.os_version == "12.11"
    assert device.cpu_cores == 2
    assert device.agent == FUSION_AGENT
    assert device.software.filter(name="adduser", publisher="Debian").exists()


def test_plain_xml_is_answered_plain(client, django_capture_on_commit_callbacks):
    text = xml_of("ocs-prolog.zlib").encode()
    response = post(client, text)
    assert response.content.startswith(b"<?xml")


def test_a_reinstall_with_a_new_deviceid_updates_the_same_device(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post(client, fixture("ocs-inventory.zlib"))
    again = with_deviceid(xml_of("ocs-inventory.zlib"), "vm-2027-01-02-03-04-05")
    with django_capture_on_commit_callbacks(execute=True):
        post(client, zlib.compress(again.encode()))
    device = Device.objects.get()  # matched by its MACs, not duplicated
    assert device.deviceid == "vm-2027-01-02-03-04-05"
    assert set(device.aliases.values_list("deviceid", flat=True)) == {
        "vm-2026-11-28-18-34-17",
        "vm-2027-01-02-03-04-05",
    }
    assert InstalledSoftware.objects.count() == 913


def test_the_ocs_and_fusion_agents_of_one_machine_make_one_device(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post(client, fixture("ocs-inventory.zlib"))
        post(client, fixture("fusion-inventory.zlib"), agent=FUSION_AGENT)
    assert Device.objects.count() == 1


def test_tagged_inventory_lands_on_its_site_and_links_the_asset(
    world, client, django_capture_on_commit_callbacks
):
    site = world.a.school.site
    AgentTag.objects.create(site=site, tag="SITE-A")
    asset = Asset.objects.create(
        municipality=world.lorient,
        kind="desktop",
        code="TESTCODE",
        site=site,
        mac_address="6a:9b:08:1d:18:4a",
    )
    with django_capture_on_commit_callbacks(execute=True):
        post(client, fixture("ocs-inventory.zlib"))
    device = Device.objects.get()
    assert device.site == site
    assert device.municipality == world.lorient
    assert device.tag == "SITE-A"
    assert device.asset == asset
    assert asset.events.filter(kind="device").exists()


def test_glpi_contact_then_inventory_then_partial_merge(client, django_capture_on_commit_callbacks):
    contact = {
        "action": "contact",
        "deviceid": "glpixps-2018-07-09-09-07-13",
        "installed-tasks": ["inventory", "deploy"],
        "enabled-tasks": ["inventory", "deploy"],
    }
    answer = reply_json(post_json(client, contact))
    assert answer["status"] == "ok"
    assert "inventory" in answer["tasks"]
    assert answer["disabled"] == ["deploy"]
    with django_capture_on_commit_callbacks(execute=True):
        response = post_json(client, glpi_message())
    assert response.status_code == 200
    assert reply_json(response) == {"status": "ok", "expiration": 24}
    device = Device.objects.get()
    assert device.hostname == "glpixps"
    software = device.software.count()
    assert software > 0
    memory = device.memory_mb
    partial = glpi_message(partial=True)
    partial["content"] = {
        "versionclient": partial["content"]["versionclient"],
        "operatingsystem": {"full_name": "Fedora 29 (Rawhide)", "version": "29"},
    }
    with django_capture_on_commit_callbacks(execute=True):
        assert post_json(client, partial).status_code == 200
    device.refresh_from_db()
    assert device.os_name == "Fedora 29 (Rawhide)"
    assert device.memory_mb == memory  # untouched by the partial
    assert device.software.count() == software  # merged, not replaced


def test_glpi_prolog_switches_to_json(client):
    response = post(client, fixture("ocs-prolog.zlib"), HTTP_GLPI_AGENT_ID="x")
    assert reply_json(response)["status"] == "ok"


def test_fusion_asks_for_its_task_configuration(client):
    response = client.get(
        "/plugins/fusioninventory/?action=getConfig&machineid=vm-2026-01-01-00-00-00"
    )
    assert response.json() == {"schedule": []}


@pytest.mark.parametrize(
    "path", ["/ocsinventory", "/plugins/fusioninventory/", "/front/inventory.php"]
)
def test_every_agent_path_takes_every_dialect(client, path):
    assert post(client, fixture("ocs-prolog.zlib"), path=path).status_code == 200
