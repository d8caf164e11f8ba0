"""The order's page counts the equipment the fleet registered with it: counts for whoever
reads the order, the link to the fleet's list only for those who may see those assets;
the page's query count does not grow with the assets."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from preau.fleet.models import Asset, AssetKind, AssetStatus
from preau.programme.models import Order, Programme
from preau.programme.tests.edit_helpers import en_client, order_of, with_spending

pytestmark = pytest.mark.django_db

LAPTOPS = "BC-2022-0230"


@pytest.fixture
def order(world: Any, seed: Programme) -> Order:
    with_spending(seed)
    return order_of(LAPTOPS)


def add_assets(world: Any, order: Order, count: int, start: int = 0) -> None:
    kinds = [(AssetKind.LAPTOP, AssetStatus.DEPLOYED), (AssetKind.LAPTOP, AssetStatus.IN_STOCK),
             (AssetKind.MONITOR, AssetStatus.DEPLOYED)]  # fmt: skip
    Asset.objects.bulk_create(
        Asset(municipality=world.lorient, kind=kinds[n % 3][0], status=kinds[n % 3][1],
              code=f"C{n:07d}", serial=f"S-{n}", order=order, order_ref=order.number,
              site=world.a.school.site)
        for n in range(start, start + count)
    )  # fmt: skip


def _url(order: Order) -> str:
    return reverse("programme:order_detail", args=[order.pk])


def test_counts_per_kind_and_status(world, order, officer):
    add_assets(world, order, 6)
    Asset.objects.create(municipality=world.lorient, kind="laptop", code="ZZZZ0000")  # no order
    response = en_client(world, officer).get(_url(order))
    equipment = response.context["equipment"]
    assert equipment.total == 6
    assert equipment.statuses == [("in_stock", "in stock"), ("deployed", "deployed")]
    assert equipment.rows == [("laptop", [2, 2], 4), ("monitor", [0, 2], 2)]
    assert equipment.totals == [2, 4]
    assert "6 assets registered in the fleet, by kind and status" in response.content.decode()


@pytest.mark.parametrize(("persona", "link"), [("officer", False), ("city_admin", True)])
def test_the_fleet_link_shows_only_to_who_may_see_the_assets(world, order, officer, persona, link):
    add_assets(world, order, 3)
    user = officer if persona == "officer" else world.city_admin
    html = en_client(world, user).get(_url(order)).content.decode()
    assert "Equipment bought with this order" in html
    assert (f"{reverse('fleet:asset_list')}?order={order.pk}" in html) is link


def test_an_order_without_equipment_says_so(world, order, officer):
    html = en_client(world, officer).get(_url(order)).content.decode()
    assert "No asset of the fleet is linked to this order yet." in html


@pytest.mark.parametrize("persona", ["technician", "director", "erun", "vannes_officer"])
def test_the_order_page_stays_closed_to_others(world, order, technician, vannes_officer, persona):
    add_assets(world, order, 3)
    user = {"technician": technician, "vannes_officer": vannes_officer}.get(persona)
    user = user or {"director": world.a.director, "erun": world.erun}[persona]
    assert en_client(world, user).get(_url(order)).status_code == 404


def test_the_query_count_does_not_grow_with_the_assets(world, order, django_assert_max_num_queries):
    client = en_client(world, world.city_admin)
    add_assets(world, order, 5)
    client.get(_url(order))  # warm the session and caches
    with CaptureQueriesContext(connection) as few:
        assert client.get(_url(order)).status_code == 200
    add_assets(world, order, 45, start=5)
    with django_assert_max_num_queries(len(few)):
        assert client.get(_url(order)).context["equipment"].total == 50
