"""Query counts of the fleet's busiest pages stay flat whatever the number of rows.

Each test loads a page with 5 rows, then with 50, and allows the second no more queries
than the first: a per-row query (an N+1) fails it, a fixed cost does not.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from preau.fleet.models import (
    AgentEvent,
    AgentTag,
    Asset,
    AssetEvent,
    AssetKind,
    Device,
    DeviceAlias,
    InstalledSoftware,
    NetworkInterface,
)
from preau.programme.seed import load_demo_spending, load_seed_programme

pytestmark = pytest.mark.django_db


def assert_flat(client: Any, url: str, grow: Callable[[int, int], None], max_queries: Any) -> None:
    """``url`` with 5 rows, then with 50: never more queries the second time."""
    grow(0, 5)
    assert client.get(url).status_code == 200  # warm the session and the caches
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    grow(5, 50)
    with max_queries(len(few)):
        assert client.get(url).status_code == 200


@pytest.fixture
def lorient_order(world: Any) -> Any:
    programme = load_seed_programme(world.lorient)
    load_demo_spending(programme)
    return programme.orders.select_related("supplier").get(number="BC-2022-0230")


def _assets(world: Any, start: int, end: int, **fields: Any) -> list[Asset]:
    fields = {"kind": AssetKind.LAPTOP, "site": world.a.school.site} | fields
    return Asset.objects.bulk_create(
        Asset(municipality=world.lorient, code=f"Q{n:07d}", serial=f"Q-{n}", **fields)
        for n in range(start, end)
    )


def test_asset_list(world, tech, lorient_order, django_assert_max_num_queries):
    from preau.directory.models import Room

    room = Room.objects.create(site=world.a.school.site, name="Salle 1")

    def grow(start: int, end: int) -> None:
        _assets(world, start, end, room=room, assignee=world.a.teachers[0],
                order=lorient_order, order_ref=lorient_order.number)  # fmt: skip

    # The city admin also reads the programme: the order links are looked up too.
    client = world.client_for(world.city_admin)
    assert_flat(client, reverse("fleet:asset_list"), grow, django_assert_max_num_queries)
    filtered = reverse("fleet:asset_list") + f"?order={lorient_order.pk}&kind=laptop"
    assert_flat(client, filtered, lambda a, b: None, django_assert_max_num_queries)


def test_asset_detail(world, tech, lorient_order, django_assert_max_num_queries):
    case = Asset.objects.create(
        municipality=world.lorient, kind=AssetKind.TABLET_CASE, code="CASE0000",
        site=world.a.school.site, order=lorient_order,
        invoice=lorient_order.invoices.first(), parent=None,
    )  # fmt: skip
    Device.objects.create(municipality=world.lorient, asset=case, deviceid="case-device")

    def grow(start: int, end: int) -> None:
        tablets = _assets(world, start, end, kind=AssetKind.TABLET, parent=case)
        AssetEvent.objects.bulk_create(
            AssetEvent(asset=case, actor=tech, kind=AssetEvent.Kind.CHANGED,
                       changes={"notes": ["", t.serial]})
            for t in tablets
        )  # fmt: skip

    url = reverse("fleet:asset_detail", args=[case.pk])
    for user in (world.city_admin, tech, world.a.director):
        Asset.objects.filter(parent=case).delete()
        AssetEvent.objects.all().delete()
        assert_flat(world.client_for(user), url, grow, django_assert_max_num_queries)


def _devices(world: Any, start: int, end: int) -> list[Device]:
    devices = Device.objects.bulk_create(
        Device(municipality=world.lorient, site=world.a.school.site, deviceid=f"dev-{n}",
               hostname=f"PC-{n:03d}", os_name="Windows 11")
        for n in range(start, end)
    )  # fmt: skip
    InstalledSoftware.objects.bulk_create(
        InstalledSoftware(device=d, name=f"App {i}", version="1") for d in devices for i in range(3)
    )
    return devices


def test_device_list(world, tech, django_assert_max_num_queries):
    def grow(start: int, end: int) -> None:
        devices = _devices(world, start, end)
        assets = _assets(world, start, end)
        for device, asset in zip(devices, assets, strict=True):
            device.asset = asset
        Device.objects.bulk_update(devices, ["asset"])

    for user in (tech, world.a.director):
        Device.objects.all().delete()
        Asset.objects.all().delete()
        url = reverse("fleet:device_list")
        assert_flat(world.client_for(user), url, grow, django_assert_max_num_queries)


def test_device_detail(world, tech, django_assert_max_num_queries):
    device = _devices(world, 0, 1)[0]

    def grow(start: int, end: int) -> None:
        InstalledSoftware.objects.bulk_create(
            InstalledSoftware(device=device, name=f"Soft {n}", version=f"{n}.0")
            for n in range(start, end)
        )
        NetworkInterface.objects.bulk_create(
            NetworkInterface(device=device, name=f"eth{n}", mac=f"00:11:22:33:44:{n:02x}")
            for n in range(start, end)
        )
        DeviceAlias.objects.bulk_create(
            DeviceAlias(device=device, deviceid=f"alias-{n}") for n in range(start, end)
        )

    url = reverse("fleet:device_detail", args=[device.pk])
    assert_flat(world.client_for(tech), url, grow, django_assert_max_num_queries)


def test_agents_page(world, tech, django_assert_max_num_queries):
    def grow(start: int, end: int) -> None:
        AgentEvent.objects.bulk_create(
            AgentEvent(municipality=world.lorient, kind=AgentEvent.Kind.REFUSED,
                       deviceid=f"dev-{n}", message="unknown tag")
            for n in range(start, end)
        )  # fmt: skip
        AgentTag.objects.bulk_create(
            AgentTag(site=world.a.school.site if n % 2 else world.b.school.site, tag=f"tag-{n}")
            for n in range(start, end)
        )

    url = reverse("fleet:agents")
    assert_flat(world.client_for(tech), url, grow, django_assert_max_num_queries)


def test_label_pdf(world, tech, django_assert_max_num_queries):
    def grow(start: int, end: int) -> None:
        _assets(world, start, end)

    url = reverse("fleet:labels_pdf")
    assert_flat(world.client_for(tech), url, grow, django_assert_max_num_queries)
