"""What the agenda pages, the feed and the API read: a person's events. No writes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from preau.agenda import dates
from preau.agenda.models import Event
from preau.core import access
from preau.directory.models import SchoolYear

FEED_PAST = dt.timedelta(days=400)
FEED_FUTURE = dt.timedelta(days=400)
FEED_MAX = 3000


def events_between(user: Any, first: dt.date, last: dt.date) -> QuerySet[Event]:
    """The events ``user`` may see that happen on any day from ``first`` to ``last``."""
    return (
        access.restrict(user, Event)
        .filter(starts_on__lte=last, ends_on__gte=first)
        .select_related("municipality", "school", "school_class")
        .order_by("starts_on", "starts_at", "title", "pk")
    )


def feed_events(user: Any) -> list[Event]:
    """What a calendar app receives: the whole current school year, and everything from
    400 days ago to 400 days ahead."""
    today = timezone.localdate()
    first = today - FEED_PAST
    year = SchoolYear.objects.filter(is_current=True).values_list("starts_on", flat=True).first()
    if year is not None:
        first = min(first, year)
    return list(events_between(user, first, today + FEED_FUTURE)[:FEED_MAX])


@dataclass
class Day:
    date: dt.date
    is_today: bool
    in_month: bool = True
    events: list[Event] = field(default_factory=list)


def days_with_events(
    events: list[Event], first: dt.date, last: dt.date, month: int | None = None
) -> dict[dt.date, Day]:
    today = timezone.localdate()
    days: dict[dt.date, Day] = {}
    day = first
    while day <= last:
        days[day] = Day(day, day == today, month is None or day.month == month)
        day += dt.timedelta(days=1)
    for event in events:
        day = max(event.starts_on, first)
        while day <= min(event.ends_on, last):
            days[day].events.append(event)
            day += dt.timedelta(days=1)
    return days


def week(user: Any, monday: dt.date) -> tuple[list[Event], list[Day]]:
    """A week as a list: events lasting several days once, the others under their day."""
    sunday = monday + dt.timedelta(days=6)
    events = list(events_between(user, monday, sunday))
    long = [e for e in events if e.spans_days]
    days = days_with_events([e for e in events if not e.spans_days], monday, sunday)
    return long, list(days.values())


def month(user: Any, first: dt.date) -> list[list[Day]]:
    grid = dates.month_grid(first)
    events = list(events_between(user, grid[0][0], grid[-1][-1]))
    days = days_with_events(events, grid[0][0], grid[-1][-1], first.month)
    return [[days[d] for d in row] for row in grid]
