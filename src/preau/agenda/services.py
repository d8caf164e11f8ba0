"""Every write of the agenda's events: validated, transactional, audited.

Who may write where is decided by the access kernel (``agenda.access``); the functions
here check it again, so that a command or a task cannot write what a page could not.
Feed links are in ``agenda.feeds``, .ics imports in ``agenda.imports``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from preau.agenda import dates
from preau.agenda.access import agenda_classes
from preau.agenda.models import Event
from preau.core import access, audit
from preau.directory.models import Municipality, Role, School, SchoolClass
from preau.directory.scope import scope_of

MAX_DAYS = 366
TITLE_MAX, PLACE_MAX, DESCRIPTION_MAX = 200, 200, 5000


class AgendaError(Exception):
    """Bad input to an agenda write; the message is meant for the person writing."""


@dataclass(frozen=True)
class Audience:
    """Where an event goes: a municipality, a school or a class (exactly one)."""

    municipality: Municipality | None = None
    school: School | None = None
    school_class: SchoolClass | None = None

    @property
    def key(self) -> str:
        if self.school_class is not None:
            return f"c:{self.school_class.pk}"
        if self.school is not None:
            return f"s:{self.school.pk}"
        assert self.municipality is not None
        return f"m:{self.municipality.pk}"


@dataclass(frozen=True)
class EventInput:
    title: str
    starts_on: dt.date
    ends_on: dt.date | None = None
    all_day: bool = True
    start_time: dt.time | None = None
    end_time: dt.time | None = None
    category: str = Event.Category.OTHER
    place: str = ""
    description: str = ""


def writable_audiences(user: Any) -> list[tuple[Audience, str]]:
    """Where ``user`` may add events, each with a label: their municipality (city
    admins), their school (directors), their classes (teachers, directors)."""
    scope = scope_of(user)
    found: list[tuple[Audience, str]] = []
    admin = scope.municipalities_with(Role.CITY_ADMIN)
    for muni in access.restrict(user, Municipality).filter(pk__in=admin).order_by("name"):
        label = _("All schools of %(city)s") % {"city": muni.name}
        found.append((Audience(municipality=muni), label))
    schools = access.restrict(user, School).filter(pk__in=scope.director_schools)
    for school in schools.order_by("name"):
        found.append((Audience(school=school), _("%(school)s (whole school)") % {"school": school}))
    classes = agenda_classes(user).filter(year__is_current=True).select_related("school")
    for cls in classes.order_by("school__name", "label"):
        found.append((Audience(school_class=cls), f"{cls.label} — {cls.school.name}"))
    return found


def _check_audience(actor: Any, audience: Audience) -> None:
    if audience.key not in {a.key for a, _label in writable_audiences(actor)}:
        raise AgendaError(_("You cannot add events there."))


def _clean(data: EventInput) -> dict[str, Any]:
    title = " ".join(data.title.split())
    if not title:
        raise AgendaError(_("Title: say what the event is."))
    if len(title) > TITLE_MAX:
        raise AgendaError(_("Title: at most %(max)d characters.") % {"max": TITLE_MAX})
    place = " ".join(data.place.split())
    if len(place) > PLACE_MAX:
        raise AgendaError(_("Place: at most %(max)d characters.") % {"max": PLACE_MAX})
    description = data.description.replace("\r\n", "\n").strip()
    if len(description) > DESCRIPTION_MAX:
        raise AgendaError(_("Description: at most %(max)d characters.") % {"max": DESCRIPTION_MAX})
    if data.category not in Event.Category.values:
        raise AgendaError(
            _("Kind: « %(value)s » is not a kind of event.") % {"value": data.category}
        )
    ends_on = data.ends_on or data.starts_on
    if ends_on < data.starts_on:
        raise AgendaError(_("Until: the event ends before it starts."))
    if (ends_on - data.starts_on).days > MAX_DAYS:
        raise AgendaError(_("Until: an event lasts at most a year."))
    fields: dict[str, Any] = {
        "title": title,
        "place": place,
        "description": description,
        "category": data.category,
        "all_day": data.all_day,
        "starts_on": data.starts_on,
        "ends_on": ends_on,
        "starts_at": None,
        "ends_at": None,
    }
    if not data.all_day:
        if data.start_time is None or data.end_time is None:
            raise AgendaError(_("Times: give a start and an end time, or tick « all day »."))
        starts_at = dates.combine(data.starts_on, data.start_time)
        ends_at = dates.combine(ends_on, data.end_time)
        if ends_at <= starts_at:
            raise AgendaError(_("Times: the event ends before it starts."))
        fields |= {"starts_at": starts_at, "ends_at": ends_at}
    return fields


def _audience_fields(audience: Audience) -> dict[str, Any]:
    if audience.school_class is not None:
        school = audience.school_class.school
        return {
            "audience": Event.Audience.CLASS,
            "school_class": audience.school_class,
            "school": school,
            "municipality_id": school.municipality_id,
        }
    if audience.school is not None:
        return {
            "audience": Event.Audience.SCHOOL,
            "school": audience.school,
            "municipality_id": audience.school.municipality_id,
        }
    assert audience.municipality is not None
    return {"audience": Event.Audience.MUNICIPALITY, "municipality": audience.municipality}


def create_event(
    actor: Any, audience: Audience, data: EventInput, request: HttpRequest | None = None
) -> Event:
    _check_audience(actor, audience)
    fields = _clean(data)
    with transaction.atomic():
        event = Event.objects.create(created_by=actor, **_audience_fields(audience), **fields)
        audit.record(
            "agenda.event_created",
            actor=actor,
            request=request,
            target=event,
            audience=event.audience,
            starts_on=event.starts_on.isoformat(),
        )
    return event


def update_event(
    actor: Any, event: Event, data: EventInput, request: HttpRequest | None = None
) -> Event:
    if not access.can(actor, event, access.CHANGE):
        raise AgendaError(_("You cannot change this event."))
    fields = _clean(data)
    with transaction.atomic():
        before = {name: str(getattr(event, name)) for name in fields}
        for name, value in fields.items():
            setattr(event, name, value)
        event.save()
        changed = {k: v for k, v in before.items() if v != str(getattr(event, k))}
        audit.record(
            "agenda.event_updated", actor=actor, request=request, target=event, before=changed
        )
    return event


def delete_event(actor: Any, event: Event, request: HttpRequest | None = None) -> None:
    if not access.can(actor, event, access.CHANGE):
        raise AgendaError(_("You cannot delete this event."))
    with transaction.atomic():
        audit.record(
            "agenda.event_deleted",
            actor=actor,
            request=request,
            target=event,
            title=event.title,
            starts_on=event.starts_on.isoformat(),
            ends_on=event.ends_on.isoformat(),
            place=event.place,
            description=event.description,
        )
        event.delete()
