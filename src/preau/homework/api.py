"""The cahier de textes, read-only, for the families' and pupils' apps (mounted by
``preau.api`` under /api/v1/homework/).

The same access kernel as the pages: a class or a file that is not the caller's is the
API's JSON 404, like a missing one.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest
from ninja import Query, Router, Schema

from preau.core import access
from preau.homework import queries
from preau.homework.access import homework_classes
from preau.homework.models import Attachment
from preau.homework.schemas import WeekOut

router = Router(tags=["homework"])


class WeekQuery(Schema):
    date: dt.date | None = None
    view: Literal["day", "due"] = "day"


def _user(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


def _out(weeks: list[queries.ClassWeek]) -> list[dict[str, Any]]:
    return [
        {
            "class_id": week.school_class.pk,
            "class_label": week.school_class.label,
            "school_name": week.school_class.school.name,
            "children": week.children,
            "can_write": week.can_write,
            "days": week.days,  # Day objects: the schemas read their entries' attributes
        }
        for week in weeks
    ]


def _week(user: Any, classes: list[Any], params: WeekQuery) -> dict[str, Any]:
    monday = queries.monday_of(params.date or queries.default_day())
    writable = frozenset(homework_classes(user, access.CHANGE).values_list("pk", flat=True))
    weeks = queries.class_weeks(user, classes, monday, params.view, writable)
    return {
        "week_start": monday,
        "week_end": monday + dt.timedelta(days=6),
        "by": params.view,
        "classes": _out(weeks),
    }


@router.get("/week", response=WeekOut, summary="A week of homework of my classes")
def my_week(request: HttpRequest, params: Query[WeekQuery]) -> dict[str, Any]:
    """The week holding ``date`` (default: this week) for each class of the caller's
    children (or the pupil's own class), then each class the caller writes for.
    ``view=due`` lists entries by the day they are due instead of the day given."""
    user = _user(request)
    classes = queries.family_classes(user)
    seen = {cls.pk for cls, _names in classes}
    classes += [(cls, []) for cls in queries.staff_classes(user) if cls.pk not in seen]
    return _week(user, classes, params)


@router.get("/classes/{id}/week", response=WeekOut, summary="A week of one class's homework")
def class_week(request: HttpRequest, id: int, params: Query[WeekQuery]) -> dict[str, Any]:
    user = _user(request)
    classes = homework_classes(user).select_related("school")
    school_class = access.get_or_404(user, classes, pk=id)
    return _week(user, [(school_class, [])], params)


@router.get("/attachments/{id}", summary="Download an attachment", response={200: None})
def attachment(request: HttpRequest, id: int) -> FileResponse:
    found = access.get_or_404(_user(request), Attachment, pk=id)
    if not default_storage.exists(found.file.name):
        raise Http404
    return FileResponse(
        default_storage.open(found.file.name, "rb"),
        content_type=found.content_type,
        as_attachment=True,
        filename=found.original_name,
    )
