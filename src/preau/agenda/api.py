"""A person's agenda, read-only, for the families' and pupils' apps (mounted by
``preau.api`` under /api/v1/agenda/).

The same access kernel as the pages: someone else's class or school event is the API's
JSON 404, like a missing one. Times are ISO 8601 with their offset (Europe/Paris);
``starts_on``/``ends_on`` are the local days, ``ends_on`` included.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from pydantic import model_validator

from preau.agenda import dates, queries
from preau.agenda.models import Event
from preau.agenda.schemas import EventOut
from preau.core import access

router = Router(tags=["agenda"])
MAX_SPAN_DAYS = 366


class Between(Schema):
    start: dt.date | None = None
    end: dt.date | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Between:
        if self.start and self.end and self.end < self.start:
            raise ValueError("end must not be before start")
        return self


def _user(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


@router.get("/events", response=list[EventOut], summary="My agenda between two days")
def events(request: HttpRequest, params: Query[Between]) -> list[Event]:
    """Every event of the caller's agenda happening on a day from ``start`` to ``end``
    (both included; by default the current month), at most 366 days apart."""
    first = params.start or dates.default_day().replace(day=1)
    last = params.end or dates.add_months(first.replace(day=1), 1) - dt.timedelta(days=1)
    if (last - first).days > MAX_SPAN_DAYS:
        raise HttpError(422, f"Ask for at most {MAX_SPAN_DAYS} days at a time.")
    return list(queries.events_between(_user(request), first, last))


@router.get("/events/{id}", response=EventOut, summary="One event")
def event(request: HttpRequest, id: int) -> Event:
    events = Event.objects.select_related("municipality", "school", "school_class")
    return access.get_or_404(_user(request), events, pk=id)
