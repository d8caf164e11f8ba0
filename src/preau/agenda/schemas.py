"""What the agenda API shows of an event."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from ninja import Schema

from preau.agenda.dates import local_zone


class EventOut(Schema):
    id: int
    uid: str
    title: str
    category: str
    audience: str
    audience_label: str
    school_id: int | None
    class_id: int | None
    all_day: bool
    starts_on: dt.date
    ends_on: dt.date
    starts_at: dt.datetime | None
    ends_at: dt.datetime | None
    place: str
    description: str

    @staticmethod
    def resolve_class_id(obj: Any) -> int | None:
        return obj.school_class_id

    @staticmethod
    def resolve_starts_at(obj: Any) -> dt.datetime | None:
        return _local(obj.starts_at)

    @staticmethod
    def resolve_ends_at(obj: Any) -> dt.datetime | None:
        return _local(obj.ends_at)


def _local(moment: dt.datetime | None) -> dt.datetime | None:
    """Times in the site's zone, so that clients show the school's wall-clock time."""
    return timezone.localtime(moment, local_zone()) if moment is not None else None
