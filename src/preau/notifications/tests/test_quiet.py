"""Quiet hours and delivery times, table-driven, on the Europe/Paris clock."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from preau.notifications.delivery import Delivery, email_due_at
from preau.notifications.quiet import (
    OFF,
    QuietHours,
    end_of_quiet_hours,
    in_quiet_hours,
    next_digest_at,
)

PARIS = ZoneInfo("Europe/Paris")
UTC = dt.UTC
TEACHER = QuietHours(enabled=True, start=dt.time(19), end=dt.time(7, 30), weekends=True)
NIGHTS = QuietHours(enabled=True, start=dt.time(19), end=dt.time(7, 30), weekends=False)
LUNCH = QuietHours(enabled=True, start=dt.time(12), end=dt.time(14), weekends=False)
WEEKENDS = QuietHours(enabled=True, start=dt.time(0), end=dt.time(0), weekends=True)
EMPTY = QuietHours(enabled=True, start=dt.time(8), end=dt.time(8), weekends=False)
DISABLED = QuietHours(enabled=False, start=dt.time(19), end=dt.time(7, 30), weekends=True)


def paris(day: str, hhmm: str) -> dt.datetime:
    """2026-03-04 is a Wednesday; 2026-03-29 and 2026-10-25 are the DST changes."""
    return dt.datetime.fromisoformat(f"{day}T{hhmm}").replace(tzinfo=PARIS)


@pytest.mark.parametrize(
    ("quiet", "now", "expected"),
    [
        (TEACHER, paris("2026-03-04", "18:59"), False),  # Wednesday evening, before
        (TEACHER, paris("2026-03-04", "19:00"), True),  # the window starts, inclusive
        (TEACHER, paris("2026-03-04", "23:59"), True),
        (TEACHER, paris("2026-03-05", "00:00"), True),  # across midnight
        (TEACHER, paris("2026-03-05", "07:29"), True),
        (TEACHER, paris("2026-03-05", "07:30"), False),  # the window ends, exclusive
        (TEACHER, paris("2026-03-05", "12:00"), False),
        (TEACHER, paris("2026-03-06", "18:00"), False),  # Friday afternoon
        (TEACHER, paris("2026-03-06", "20:00"), True),  # Friday night
        (TEACHER, paris("2026-03-07", "12:00"), True),  # Saturday noon: weekend
        (TEACHER, paris("2026-03-08", "23:00"), True),  # Sunday night
        (TEACHER, paris("2026-03-09", "07:00"), True),  # Monday early: the night window
        (TEACHER, paris("2026-03-09", "07:30"), False),  # Monday, school opens
        (NIGHTS, paris("2026-03-07", "12:00"), False),  # no weekend for this one
        (NIGHTS, paris("2026-03-07", "22:00"), True),
        (LUNCH, paris("2026-03-04", "11:59"), False),  # a window within one day
        (LUNCH, paris("2026-03-04", "12:00"), True),
        (LUNCH, paris("2026-03-04", "14:00"), False),
        (WEEKENDS, paris("2026-03-06", "23:59"), False),
        (WEEKENDS, paris("2026-03-07", "00:00"), True),
        (WEEKENDS, paris("2026-03-09", "00:00"), False),
        (EMPTY, paris("2026-03-04", "08:00"), False),  # an empty window is never quiet
        (DISABLED, paris("2026-03-04", "22:00"), False),
        (OFF, paris("2026-03-07", "22:00"), False),
        # Aware times in UTC are read on the Paris clock, winter (UTC+1) and summer (UTC+2).
        (TEACHER, dt.datetime(2026, 3, 4, 18, 30, tzinfo=UTC), True),  # 19:30 in Paris
        (TEACHER, dt.datetime(2026, 3, 4, 17, 30, tzinfo=UTC), False),  # 18:30 in Paris
        (TEACHER, dt.datetime(2026, 7, 1, 17, 30, tzinfo=UTC), True),  # 19:30 in Paris
        (TEACHER, dt.datetime(2026, 7, 1, 16, 30, tzinfo=UTC), False),  # 18:30 in Paris
        (TEACHER, dt.datetime(2026, 3, 6, 23, 30, tzinfo=UTC), True),  # Saturday 00:30 Paris
    ],
)
def test_in_quiet_hours(quiet: QuietHours, now: dt.datetime, expected: bool) -> None:
    assert in_quiet_hours(quiet, now) is expected


@pytest.mark.parametrize(
    ("quiet", "now", "expected"),
    [
        (TEACHER, paris("2026-03-04", "12:00"), paris("2026-03-04", "12:00")),  # not quiet
        (TEACHER, paris("2026-03-04", "20:00"), paris("2026-03-05", "07:30")),
        (TEACHER, paris("2026-03-05", "01:00"), paris("2026-03-05", "07:30")),
        (TEACHER, paris("2026-03-06", "20:00"), paris("2026-03-09", "07:30")),  # Fri → Mon
        (TEACHER, paris("2026-03-07", "10:00"), paris("2026-03-09", "07:30")),
        (NIGHTS, paris("2026-03-06", "20:00"), paris("2026-03-07", "07:30")),
        (LUNCH, paris("2026-03-04", "12:15"), paris("2026-03-04", "14:00")),
        (WEEKENDS, paris("2026-03-07", "10:00"), paris("2026-03-09", "00:00")),
        # Across the spring DST change (Sunday 29 March 2026): Monday 07:30 is UTC+2.
        (TEACHER, paris("2026-03-28", "20:00"), paris("2026-03-30", "07:30")),
        # Across the autumn change (Sunday 25 October 2026): back to UTC+1.
        (TEACHER, paris("2026-10-24", "09:00"), paris("2026-10-26", "07:30")),
    ],
)
def test_end_of_quiet_hours(quiet: QuietHours, now: dt.datetime, expected: dt.datetime) -> None:
    end = end_of_quiet_hours(quiet, now)
    assert end == expected
    assert not in_quiet_hours(quiet, end)


def test_end_of_quiet_hours_keeps_utc_offsets_right_across_dst() -> None:
    end = end_of_quiet_hours(TEACHER, paris("2026-03-28", "20:00"))
    assert end.utcoffset() == dt.timedelta(hours=2)
    end = end_of_quiet_hours(TEACHER, paris("2026-10-24", "09:00"))
    assert end.utcoffset() == dt.timedelta(hours=1)


@pytest.mark.parametrize(
    ("hour", "now", "expected"),
    [
        (17, paris("2026-03-04", "10:00"), paris("2026-03-04", "17:00")),
        (17, paris("2026-03-04", "17:00"), paris("2026-03-04", "17:00")),
        (17, paris("2026-03-04", "17:01"), paris("2026-03-05", "17:00")),
        (7, paris("2026-03-04", "23:00"), paris("2026-03-05", "07:00")),
        (17, paris("2026-03-28", "18:00"), paris("2026-03-29", "17:00")),  # DST day
        (17, dt.datetime(2026, 3, 4, 16, 30, tzinfo=UTC), paris("2026-03-05", "17:00")),
    ],
)
def test_next_digest_at(hour: int, now: dt.datetime, expected: dt.datetime) -> None:
    assert next_digest_at(hour, now) == expected


GUARDIAN = Delivery()
STAFF = Delivery(quiet=TEACHER)


@pytest.mark.parametrize(
    ("mode", "who", "now", "expected"),
    [
        ("immediate", GUARDIAN, paris("2026-03-04", "22:00"), paris("2026-03-04", "22:00")),
        ("immediate", STAFF, paris("2026-03-04", "22:00"), paris("2026-03-05", "07:30")),
        ("immediate", STAFF, paris("2026-03-04", "10:00"), paris("2026-03-04", "10:00")),
        ("digest", GUARDIAN, paris("2026-03-04", "22:00"), paris("2026-03-05", "17:00")),
        ("digest", STAFF, paris("2026-03-06", "16:00"), paris("2026-03-06", "17:00")),
        # Saturday's digest falls in a teacher's weekend: it leaves on Monday morning.
        ("digest", STAFF, paris("2026-03-07", "10:00"), paris("2026-03-09", "07:30")),
        (
            "digest",
            Delivery(digest_hour=7),
            paris("2026-03-04", "08:00"),
            paris("2026-03-05", "07:00"),
        ),
        ("none", GUARDIAN, paris("2026-03-04", "10:00"), None),
        ("immediate", Delivery(emails_enabled=False), paris("2026-03-04", "10:00"), None),
    ],
)
def test_email_due_at(
    mode: str, who: Delivery, now: dt.datetime, expected: dt.datetime | None
) -> None:
    assert email_due_at(mode, who, now) == expected
