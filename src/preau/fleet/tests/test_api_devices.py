"""The fleet API's inventoried devices, as each persona, from a real agent's inventory."""

from __future__ import annotations

import pytest
from django.utils import timezone

from preau.fleet.models import AgentTag, Asset, Device, DeviceCompliance, InstalledSoftware

from .helpers import fixture, post

pytestmark = pytest.mark.django_db
API = "/api/v1/fleet"


@pytest.fixture
def device(world, client, django_capture_on_commit_callbacks):
    """The OCS agent's inventory of a Debian VM, tagged for site A (913 packages)."""
    AgentTag.objects.create(site=world.a.school.site, tag="SITE-A")
    with django_capture_on_commit_callbacks(execute=True):
        post(client, fixture("ocs-inventory.zlib"))
    return Device.objects.get()


def rate(device, status, failures=()):
    DeviceCompliance.objects.update_or_create(
        device=device,
        defaults={"status": status, "failures": list(failures), "evaluated_at": timezone.now()},
    )


@pytest.mark.parametrize(
    ("persona", "status"),
    [("city_admin", 200), ("director_a", 200), ("teacher_a1", 200), ("erun", 200),
     ("director_b", 404), ("teacher_b0", 404), ("vannes_admin", 404), ("parent", 404),
     ("pupil", 404), ("outsider", 404)],
)  # fmt: skip
def test_device_detail_and_list_per_persona(world, device, persona, status):
    client = world.client_for(world.persona(persona))
    detail = client.get(f"{API}/devices/{device.pk}")
    assert detail.status_code == status
    listed = [row["id"] for row in client.get(f"{API}/devices").json()["items"]]
    assert listed == ([device.pk] if status == 200 else [])
    software = client.get(f"{API}/devices/{device.pk}/software")
    assert software.status_code == status


def test_detail_carries_hardware_interfaces_software_and_verdict(world, device, tech):
    rate(device, "warning", [{"rule": 1, "name": "Antivirus", "detail": "none found"}])
    Device.objects.filter(pk=device.pk).update(
        antivirus=[{"name": "ClamAV", "version": "1.0", "enabled": True, "uptodate": True}]
    )
    body = world.client_for(tech).get(f"{API}/devices/{device.pk}").json()
    assert (body["hostname"], body["os_name"], body["cpu"]) == (
        "vm",
        "Debian GNU/Linux 12",
        "AMD EPYC",
    )
    assert body["cpu_cores"] == 2
    assert body["disks"][0]["filesystem"] == "ext4"
    assert body["aliases"] == [device.deviceid]
    assert {i["name"] for i in body["interfaces"]} >= {"eth0"}
    assert body["software_count"] == 913
    assert len(body["software"]) == 200  # capped; the rest is paginated below
    assert body["software"][0]["name"] == "adduser"
    assert body["antivirus"][0]["name"] == "ClamAV"
    assert body["compliance"]["status"] == "warning"
    assert body["compliance"]["failures"][0]["detail"] == "none found"
    assert body["asset"] is None


def test_software_is_paginated_and_searchable(world, device, tech):
    client = world.client_for(tech)
    page = client.get(f"{API}/devices/{device.pk}/software", {"page": 2, "page_size": 200}).json()
    assert page["count"] == 913
    assert len(page["items"]) == 200
    found = client.get(f"{API}/devices/{device.pk}/software", {"q": "adduser"}).json()
    assert [row["name"] for row in found["items"]] == ["adduser"]


def test_linked_asset_only_for_who_may_see_it(world, device, assets, tech):
    """The device stands on site A (its agent's tag); its asset was moved to site B."""
    Device.objects.filter(pk=device.pk).update(asset=assets["b"])
    staff = world.client_for(tech)
    assert staff.get(f"{API}/devices/{device.pk}").json()["asset"] == {
        "id": assets["b"].pk,
        "code": "BBBB2222",
        "kind": "display",
        "label": str(Asset.objects.get(pk=assets["b"].pk)),
    }
    assert staff.get(f"{API}/devices").json()["items"][0]["asset_id"] == assets["b"].pk
    school = world.client_for(world.a.director)
    assert school.get(f"{API}/devices/{device.pk}").json()["asset"] is None
    assert school.get(f"{API}/devices").json()["items"][0]["asset_id"] is None


def test_filters(world, device, tech):
    client = world.client_for(tech)

    def ids(**params):
        response = client.get(f"{API}/devices", params)
        assert response.status_code == 200, response.content
        return [row["id"] for row in response.json()["items"]]

    assert ids(q="VM") == [device.pk]
    assert ids(q="other") == []
    assert ids(os="debian") == [device.pk]
    assert ids(os="windows") == []
    assert ids(site=world.a.school.site.pk) == [device.pk]
    assert ids(site=world.b.school.site.pk) == []
    DeviceCompliance.objects.filter(device=device).delete()
    assert ids(compliance="none") == [device.pk]
    rate(device, "critical")
    assert ids(compliance="critical") == [device.pk]
    assert ids(compliance="ok") == []
    bad = client.get(f"{API}/devices", {"compliance": "great"})
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["loc"][-1] == "compliance"


def test_device_list_query_count_is_flat(world, tech, django_assert_max_num_queries):
    client = world.client_for(tech)
    site = world.a.school.site
    for n in (2, 25):
        made = Device.objects.bulk_create(
            Device(municipality=world.lorient, site=site, deviceid=f"d{n}-{i}", hostname=f"pc{i}")
            for i in range(n)
        )
        InstalledSoftware.objects.bulk_create(
            InstalledSoftware(device=d, name=f"app{j}") for d in made for j in range(3)
        )
        for d in made:
            rate(d, "ok")
            d.asset = Asset.objects.create(
                municipality=world.lorient, kind="desktop", code=d.deviceid.upper(), site=site
            )
            d.save(update_fields=["asset"])
        with django_assert_max_num_queries(8):
            rows = client.get(f"{API}/devices", {"page_size": 200}).json()["items"]
        assert len(rows) >= n
        assert all(row["software_count"] == 3 and row["asset_id"] for row in rows)
