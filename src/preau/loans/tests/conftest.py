from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone, translation

from preau.conftest import World
from preau.fleet import services as fleet
from preau.fleet.models import Asset, AssetKind, AssetStatus
from preau.helpdesk.tests.conftest import client_for, technician_of  # noqa: F401
from preau.loans import services
from preau.loans.models import Booking, Loanable

# A Monday far ahead: bookings are never in the past.
MONDAY = dt.date(2031, 3, 3)


@pytest.fixture(autouse=True)
def english() -> Any:
    with translation.override("en"):
        yield


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


@pytest.fixture
def tech(world: World) -> Any:
    return technician_of(world.lorient, "tech")


@pytest.fixture
def case(world: World, tech: Any) -> Loanable:
    """Site A's tablet case with 9 tablets, open to bookings."""
    site = world.a.school.site
    box = fleet.create_asset(
        world.lorient, {"kind": AssetKind.TABLET_CASE, "serial": "CASE-A", "site": site}, actor=tech
    )
    fleet.transition(box, AssetStatus.DEPLOYED, actor=tech)
    for i in range(9):
        fleet.create_asset(
            world.lorient,
            {"kind": AssetKind.TABLET, "serial": f"TAB-A-{i}", "site": site, "parent": box},
            actor=tech,
        )
    return services.make_loanable(tech, Asset.objects.get(pk=box.pk), "Chargée chaque soir")


def book(
    world: World,
    case: Loanable,
    start: dt.datetime,
    end: dt.datetime,
    who: Any = None,
    cls: int = 0,
) -> Booking:
    return services.book(who or world.a.teachers[cls], case, world.a.classes[cls], start, end)


@pytest.fixture(autouse=True)
def _english_messages(settings):
    """These tests read the English source messages: English is the default language
    for their requests (no Accept-Language) and for service calls outside a request."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
