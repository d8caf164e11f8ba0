"""The demo agenda: the zone B calendar, each school's and class's events, fast."""

from __future__ import annotations

import datetime as dt
import time

from django.urls import reverse

from preau.agenda.models import Event
from preau.agenda.seed import load_demo_agenda
from preau.agenda.tests.conftest import client_for


def _snapshot():
    return list(
        Event.objects.order_by(
            "starts_on", "title", "school_class__label", "school__name"
        ).values_list(
            "title",
            "starts_on",
            "ends_on",
            "starts_at",
            "audience",
            "school__name",
            "school_class__label",
        )
    )


def test_seed_is_deterministic_idempotent_and_plausible(world):
    started = time.perf_counter()
    count = load_demo_agenda(world.lorient)
    elapsed = time.perf_counter() - started
    assert count == Event.objects.count()
    assert elapsed < 2
    first = _snapshot()
    assert load_demo_agenda(world.lorient) == 0
    Event.objects.all().delete()
    load_demo_agenda(world.lorient)
    assert _snapshot() == first
    toussaint = Event.objects.get(title="Vacances de la Toussaint")
    assert (toussaint.audience, toussaint.starts_on, toussaint.ends_on) == (
        "municipality",
        dt.date(2025, 10, 18),
        dt.date(2025, 11, 2),
    )
    assert Event.objects.filter(audience="school", school=world.a.school).count() >= 8
    assert Event.objects.filter(school_class=world.a.classes[0], category="outing").exists()
    assert not Event.objects.filter(municipality=world.vannes).exists()
    # A guardian's month shows the holidays and their children's class events.
    html = client_for(world, world.parent).get(reverse("agenda:month"), {"month": "2025-10"})
    assert "Vacances de la Toussaint" in html.content.decode()
