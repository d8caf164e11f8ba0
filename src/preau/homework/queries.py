"""What the cahier de textes pages and API read: weeks of entries per class. No writes.

A week runs Monday to Sunday; Monday to Friday are always shown, the weekend only when
something is written there. "By day" lists each day's entries (what was done, what is
to do); "due" lists what is due each day of the week, whatever day it was given.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from django.db.models import QuerySet
from django.utils import timezone

from preau.core import access
from preau.directory.models import Enrolment, SchoolClass, SchoolYear
from preau.directory.scope import scope_of
from preau.homework.access import homework_classes
from preau.homework.models import Entry

By = Literal["day", "due"]


@dataclass
class Day:
    date: dt.date
    is_today: bool
    entries: list[Entry] = field(default_factory=list)


@dataclass
class ClassWeek:
    school_class: SchoolClass
    children: list[str]
    days: list[Day]
    can_write: bool = False

    @property
    def entry_count(self) -> int:
        return sum(len(day.entries) for day in self.days)


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def parse_day(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def default_day(today: dt.date | None = None) -> dt.date:
    """Today, kept within the current school year (in summer: its last week)."""
    today = today or timezone.localdate()
    year = SchoolYear.objects.filter(is_current=True).only("starts_on", "ends_on").first()
    if year is None:
        return today
    return min(max(today, year.starts_on), year.ends_on)


def family_classes(user: Any) -> list[tuple[SchoolClass, list[str]]]:
    """The classes of the user's children (or their own, for a pupil), each with the
    first names of the children in it, in a stable order."""
    scope = scope_of(user)
    own = set(scope.children) | ({scope.pupil_id} if scope.pupil_id else set())
    if not own:
        return []
    enrolments = (
        access.restrict(user, Enrolment)
        .filter(pupil_id__in=own, ended_on__isnull=True)
        .select_related("pupil", "school_class__school")
        .order_by("pupil__first_name", "pupil_id")
    )
    found: dict[int, tuple[SchoolClass, list[str]]] = {}
    for enrolment in enrolments:
        cls = enrolment.school_class
        names = found.setdefault(cls.pk, (cls, []))[1]
        if enrolment.pupil_id != scope.pupil_id:
            names.append(enrolment.pupil.first_name)
    return sorted(found.values(), key=lambda item: (item[1] or [""], item[0].label))


def staff_classes(user: Any) -> QuerySet[SchoolClass]:
    """The current-year classes whose cahier de textes the user writes."""
    return (
        homework_classes(user, access.CHANGE)
        .filter(year__is_current=True)
        .select_related("school")
        .order_by("school__name", "label")
    )


def entries_of_week(
    user: Any, class_ids: Iterable[int], monday: dt.date, by: By = "day"
) -> QuerySet[Entry]:
    sunday = monday + dt.timedelta(days=6)
    lookup = (
        {"date__range": (monday, sunday)} if by == "day" else {"due_on__range": (monday, sunday)}
    )
    return (
        access.restrict(user, Entry)
        .filter(school_class_id__in=list(class_ids), **lookup)
        .prefetch_related("attachments")
        .order_by("date", "subject", "pk")
    )


def class_weeks(
    user: Any,
    classes: list[tuple[SchoolClass, list[str]]],
    monday: dt.date,
    by: By = "day",
    writable: frozenset[int] = frozenset(),
) -> list[ClassWeek]:
    today = timezone.localdate()
    grouped: dict[int, dict[dt.date, list[Entry]]] = {cls.pk: {} for cls, _names in classes}
    for entry in entries_of_week(user, grouped, monday, by):
        key = entry.date if by == "day" else entry.due_on
        assert key is not None
        grouped[entry.school_class_id].setdefault(key, []).append(entry)
    weeks = []
    for cls, names in classes:
        by_day = grouped[cls.pk]
        dates = [monday + dt.timedelta(days=i) for i in range(7)]
        days = [
            Day(d, d == today, by_day.get(d, [])) for d in dates if d.weekday() < 5 or by_day.get(d)
        ]
        weeks.append(ClassWeek(cls, names, days, cls.pk in writable))
    return weeks
