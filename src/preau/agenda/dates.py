"""Days, weeks and months of the agenda, in the site's time zone (Europe/Paris)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from preau.directory.models import SchoolYear


def local_zone() -> dt.tzinfo:
    return timezone.get_default_timezone()


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def parse_day(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def parse_month(value: str | None) -> dt.date | None:
    """``2025-10`` (or any day of it) → the first day of that month."""
    if not value:
        return None
    try:
        year, month = (int(part) for part in value[:7].split("-"))
        return dt.date(year, month, 1)
    except ValueError:
        return None


def default_day(today: dt.date | None = None) -> dt.date:
    """Today, kept within the current school year (in summer: its last week)."""
    today = today or timezone.localdate()
    year = SchoolYear.objects.filter(is_current=True).only("starts_on", "ends_on").first()
    if year is None:
        return today
    return min(max(today, year.starts_on), year.ends_on)


def add_months(first: dt.date, months: int) -> dt.date:
    index = first.year * 12 + first.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def month_grid(first: dt.date) -> list[list[dt.date]]:
    """The weeks (Monday to Sunday) that show the month starting on ``first``."""
    start = monday_of(first)
    last = add_months(first, 1) - dt.timedelta(days=1)
    weeks = []
    while start <= last:
        weeks.append([start + dt.timedelta(days=i) for i in range(7)])
        start += dt.timedelta(days=7)
    return weeks


def combine(day: dt.date, time: dt.time) -> dt.datetime:
    """An aware datetime for a wall-clock time in the site's zone."""
    return timezone.make_aware(dt.datetime.combine(day, time), local_zone())


def local_date(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment, local_zone()).date()
