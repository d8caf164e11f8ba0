from __future__ import annotations

import datetime as dt
import itertools
import secrets
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import translation

from preau.agenda.dates import combine
from preau.agenda.models import Event

MONDAY = dt.date(2025, 10, 6)
_IPS = itertools.count(secrets.randbelow(60000))


def client_for(world: Any, user: Any) -> Any:
    """A logged-in client that asks for English pages (the tests read English messages)."""
    client = world.client_for(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def fresh_ip() -> str:
    """A client address of its own, so that no rate-limit counter leaks between tests."""
    k = next(_IPS) % 65024
    return f"198.19.{k // 254}.{k % 254 + 1}"


@pytest.fixture(autouse=True)
def english() -> Any:
    with translation.override("en"):
        yield


def timed(title: str, day: dt.date, start: dt.time, end: dt.time, **fields: Any) -> Event:
    return Event.objects.create(
        title=title,
        all_day=False,
        starts_on=day,
        ends_on=day,
        starts_at=combine(day, start),
        ends_at=combine(day, end),
        **fields,
    )


@dataclass
class Events:
    holidays: Event  # Lorient, all schools
    school_a: Event
    school_b: Event
    class_a0: Event
    class_a1: Event
    class_b0: Event
    vannes: Event

    def all(self) -> list[Event]:
        return list(self.__dict__.values())


@pytest.fixture
def events(world: Any) -> Events:
    a, b = world.a, world.b
    return Events(
        holidays=Event.objects.create(
            title="Vacances de la Toussaint",
            audience=Event.Audience.MUNICIPALITY,
            municipality=world.lorient,
            category=Event.Category.HOLIDAY,
            starts_on=dt.date(2025, 10, 18),
            ends_on=dt.date(2025, 11, 2),
        ),
        school_a=timed(
            "Conseil d'école A",
            MONDAY + dt.timedelta(days=1),
            dt.time(18),
            dt.time(20),
            audience=Event.Audience.SCHOOL,
            municipality=world.lorient,
            school=a.school,
            place="BCD",
        ),
        school_b=timed(
            "Conseil d'école B",
            MONDAY + dt.timedelta(days=1),
            dt.time(18),
            dt.time(20),
            audience=Event.Audience.SCHOOL,
            municipality=world.lorient,
            school=b.school,
        ),
        class_a0=timed(
            "Sortie CP A au musée",
            MONDAY + dt.timedelta(days=3),
            dt.time(9),
            dt.time(16, 30),
            audience=Event.Audience.CLASS,
            municipality=world.lorient,
            school=a.school,
            school_class=a.classes[0],
            place="Musée de la Compagnie des Indes",
            description="Prévoir un pique-nique.",
        ),
        class_a1=Event.objects.create(
            title="Photo de classe CM2 A",
            audience=Event.Audience.CLASS,
            municipality=world.lorient,
            school=a.school,
            school_class=a.classes[1],
            starts_on=MONDAY + dt.timedelta(days=4),
            ends_on=MONDAY + dt.timedelta(days=4),
        ),
        class_b0=Event.objects.create(
            title="Piscine CP B",
            audience=Event.Audience.CLASS,
            municipality=world.lorient,
            school=b.school,
            school_class=b.classes[0],
            starts_on=MONDAY,
            ends_on=MONDAY,
        ),
        vannes=Event.objects.create(
            title="Vacances à Vannes",
            audience=Event.Audience.MUNICIPALITY,
            municipality=world.vannes,
            starts_on=MONDAY,
            ends_on=MONDAY + dt.timedelta(days=4),
        ),
    )


# Who sees which of the fixture's events (the rest is a 404 for them).
VISIBLE = {
    "parent": {"holidays", "school_a", "class_a0", "class_a1"},
    "pupil": {"holidays", "school_a", "class_a0"},
    "teacher_a0": {"holidays", "school_a", "class_a0"},
    "teacher_a1": {"holidays", "school_a", "class_a1"},
    "teacher_b0": {"holidays", "school_b", "class_b0"},
    "director_a": {"holidays", "school_a", "class_a0", "class_a1"},
    "director_b": {"holidays", "school_b", "class_b0"},
    "erun": {"holidays", "school_a"},
    "city_admin": {"holidays", "school_a", "school_b"},
    "vannes_admin": {"vannes"},
    "outsider": set(),
}
