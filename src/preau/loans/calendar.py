"""A week of bookings, per day and per asset, as a person may see it (no writes).

Times come from the kernel's ``SLOT`` action (anyone who may view the asset); who booked
and for which class only from ``view`` (one's own school, technicians).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from preau.core import access
from preau.loans.access import SLOT
from preau.loans.models import Booking, Loanable

DAYS = 5  # Monday to Friday: schools lend during school days


@dataclass
class Slot:
    booking: Booking
    start: dt.datetime  # local time
    end: dt.datetime
    visible: bool  # may the person see who and which class


@dataclass
class Row:
    loanable: Loanable
    slots: list[Slot] = field(default_factory=list)


@dataclass
class Day:
    date: dt.date
    rows: list[Row]

    @property
    def is_today(self) -> bool:
        return self.date == timezone.localdate()


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def parse_week(value: str | None) -> dt.date:
    try:
        day = dt.date.fromisoformat(value) if value else timezone.localdate()
    except ValueError:
        day = timezone.localdate()
    return monday_of(day)


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def week(user: Any, loanables: list[Loanable], monday: dt.date) -> list[Day]:
    start, end = _start_of(monday), _start_of(monday + dt.timedelta(days=DAYS))
    bookings = (
        access.restrict(user, Booking, SLOT)
        .filter(
            loanable__in=loanables,
            status__in=(Booking.Status.BOOKED, Booking.Status.CHECKED_OUT, Booking.Status.RETURNED),
            starts_at__lt=end,
            ends_at__gt=start,
        )
        .select_related("school_class", "borrower")
        .order_by("starts_at")
    )
    rows = list(bookings)
    visible = set(
        access.restrict(user, Booking)
        .filter(pk__in=[b.pk for b in rows])
        .values_list("pk", flat=True)
    )
    days = []
    for offset in range(DAYS):
        date = monday + dt.timedelta(days=offset)
        day_start, day_end = _start_of(date), _start_of(date + dt.timedelta(days=1))
        day_rows = []
        for loanable in loanables:
            slots = [
                Slot(
                    b,
                    timezone.localtime(max(b.starts_at, day_start)),
                    timezone.localtime(min(b.ends_at, day_end)),
                    b.pk in visible,
                )
                for b in rows
                if b.loanable_id == loanable.pk and b.starts_at < day_end and b.ends_at > day_start
            ]
            day_rows.append(Row(loanable, slots))
        days.append(Day(date, day_rows))
    return days
