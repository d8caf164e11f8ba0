"""Every write of the helpdesk: validated, transactional, audited, notified.

Views and API endpoints obtain tickets through the access kernel and call one function
here. Bad input raises :class:`HelpdeskError` with a message that says which field and
why, and writes nothing (photos included).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from preau.core import access, audit
from preau.directory.models import Municipality, School
from preau.directory.scope import scope_of
from preau.fleet.models import Asset
from preau.helpdesk import notify, photos
from preau.helpdesk.access import handles_tickets, reporting_schools, sla_municipalities
from preau.helpdesk.models import Category, Comment, Photo, SlaTarget, Status, Ticket, Urgency
from preau.news.images import UploadRefused

S = Status
# Which status a technician may set after which; a reporter's reopening is separate.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    S.NEW: (S.ASSIGNED, S.IN_PROGRESS, S.WAITING, S.RESOLVED, S.CLOSED),
    S.ASSIGNED: (S.IN_PROGRESS, S.WAITING, S.RESOLVED, S.CLOSED),
    S.IN_PROGRESS: (S.ASSIGNED, S.WAITING, S.RESOLVED, S.CLOSED),
    S.WAITING: (S.ASSIGNED, S.IN_PROGRESS, S.RESOLVED, S.CLOSED),
    S.RESOLVED: (S.IN_PROGRESS, S.CLOSED),
    S.CLOSED: (),
}
MAX_TEXT = 5000
MAX_MINUTES = 24 * 60


class HelpdeskError(ValueError):
    """A helpdesk write refused; the message says which field and why."""


def reopen_days() -> int:
    return settings.PREAU_HELPDESK_REOPEN_DAYS


@dataclass(frozen=True)
class TicketInput:
    category: str
    title: str
    description: str
    urgency: str = Urgency.NORMAL


@dataclass(frozen=True)
class Handling:
    """What a technician does in one go: any of status, assignee, comment, time."""

    status: str = ""
    assignee: Any = None
    unassign: bool = False
    body: str = ""
    internal: bool = False
    minutes: int = 0
    uploads: list[photos.Upload] = field(default_factory=list)


def _text(value: str, label: str, *, required: bool, limit: int = MAX_TEXT) -> str:
    value = value.strip()
    if required and not value:
        raise HelpdeskError(_("%(field)s: this field is required.") % {"field": label})
    if len(value) > limit:
        raise HelpdeskError(
            _("%(field)s: at most %(max)d characters.") % {"field": label, "max": limit}
        )
    return value


def _save_photos(ticket: Ticket, actor: Any, uploads: list[photos.Upload]) -> int:
    try:
        cleaned = photos.clean(uploads)
    except UploadRefused as error:
        raise HelpdeskError(_("Photos: %(reason)s") % {"reason": error}) from None
    if ticket.photos.count() + len(cleaned) > 3 * photos.MAX_PHOTOS:
        raise HelpdeskError(_("Photos: this ticket already holds as many photos as it may."))
    Photo.objects.bulk_create(
        Photo(
            ticket=ticket,
            uploaded_by=actor,
            name=p.name,
            data=p.encoded.data,
            width=p.encoded.width,
            height=p.encoded.height,
        )
        for p in cleaned
    )
    return len(cleaned)


@transaction.atomic
def report(
    actor: Any,
    school: School,
    data: TicketInput,
    *,
    asset: Asset | None = None,
    uploads: list[photos.Upload] | None = None,
    request: HttpRequest | None = None,
) -> Ticket:
    """A teacher or director reports a problem at their school (about an asset or not)."""
    if school.pk not in reporting_schools(actor):
        raise HelpdeskError(_("You can only report a problem for a school you work in."))
    if data.category not in Category.values:
        raise HelpdeskError(
            _("Category: “%(value)s” is not a category.") % {"value": data.category}
        )
    if data.urgency not in Urgency.values:
        raise HelpdeskError(_("Urgency: “%(value)s” is not an urgency.") % {"value": data.urgency})
    if asset is not None and (
        asset.municipality_id != school.municipality_id
        or not access.restrict(actor, Asset).filter(pk=asset.pk).exists()
    ):
        raise HelpdeskError(_("Equipment: you cannot report a problem with this equipment."))
    ticket = Ticket.objects.create(
        municipality_id=school.municipality_id,
        school=school,
        site_id=school.site_id,
        asset=asset,
        reporter=actor,
        category=data.category,
        urgency=data.urgency,
        title=_text(data.title, _("Summary"), required=True, limit=150),
        description=_text(data.description, _("Description"), required=True),
    )
    count = _save_photos(ticket, actor, uploads or [])
    audit.record(
        "helpdesk.ticket_reported", actor=actor, request=request, target=ticket, photos=count
    )
    notify.tell_technicians(ticket, _("new ticket"), actor, new=True)
    return ticket


def _locked(ticket: Ticket) -> Ticket:
    return Ticket.objects.select_for_update().select_related("reporter").get(pk=ticket.pk)


def _check_assignee(ticket: Ticket, user: Any) -> None:
    if ticket.municipality_id not in handles_tickets(user):
        raise HelpdeskError(
            _("Assigned to: %(name)s is not a technician or city admin of this municipality.")
            % {"name": user.get_full_name() or user.get_username()}
        )


def _set_status(ticket: Ticket, status: str, now: dt.datetime) -> None:
    if status not in TRANSITIONS.get(ticket.status, ()):
        raise HelpdeskError(
            _("Status: a ticket cannot go from “%(current)s” to “%(target)s”.")
            % {"current": ticket.get_status_display(), "target": Status(status).label}
        )
    ticket.status = status
    if status == S.RESOLVED:
        ticket.resolved_at = now
    elif status == S.CLOSED:
        ticket.closed_at = now
        ticket.resolved_at = ticket.resolved_at or now
    else:
        ticket.resolved_at = None


@transaction.atomic
def handle(
    actor: Any, ticket: Ticket, change: Handling, *, request: HttpRequest | None = None
) -> Comment:
    """A technician's step: assign, change the status, comment, record time spent."""
    ticket = _locked(ticket)
    if ticket.municipality_id not in handles_tickets(actor):
        raise HelpdeskError(_("Only the municipality's technicians handle this ticket."))
    body = _text(change.body, _("Comment"), required=False)
    if not 0 <= change.minutes <= MAX_MINUTES:
        raise HelpdeskError(_("Time spent: between 0 and %(max)d minutes.") % {"max": MAX_MINUTES})
    now = timezone.now()
    before = ticket.status
    assignee_changed = False
    if change.unassign and ticket.assignee_id is not None:
        ticket.assignee, assignee_changed = None, True
    elif change.assignee is not None and change.assignee.pk != ticket.assignee_id:
        _check_assignee(ticket, change.assignee)
        ticket.assignee, assignee_changed = change.assignee, True
    status = change.status
    if not status and assignee_changed and ticket.status == S.NEW and ticket.assignee:
        status = S.ASSIGNED
    if status and status != ticket.status:
        _set_status(ticket, status, now)
    if ticket.status == S.ASSIGNED and ticket.assignee is None:
        raise HelpdeskError(_("Status: an assigned ticket needs someone it is assigned to."))
    changed_status = ticket.status != before
    if not (changed_status or assignee_changed or body or change.minutes or change.uploads):
        raise HelpdeskError(_("Nothing to record: change something or write a comment."))
    visible = changed_status or assignee_changed or (body and not change.internal)
    if visible and ticket.first_response_at is None:
        ticket.first_response_at = now
    ticket.save()
    if change.minutes:
        Ticket.objects.filter(pk=ticket.pk).update(
            minutes_spent=F("minutes_spent") + change.minutes
        )
    comment = Comment.objects.create(
        ticket=ticket,
        author=actor,
        body=body,
        internal=change.internal,
        status_before=before if changed_status else "",
        status_after=ticket.status if changed_status else "",
        minutes=change.minutes,
    )
    _save_photos(ticket, actor, change.uploads)
    audit.record(
        "helpdesk.ticket_handled",
        actor=actor,
        request=request,
        target=ticket,
        status=[before, ticket.status] if changed_status else None,
        assignee=ticket.assignee_id if assignee_changed else None,
        internal=change.internal,
        minutes=change.minutes,
    )
    if visible:
        notify.tell_school(ticket, _describe(ticket, changed_status, assignee_changed), actor)
    return comment


def _describe(ticket: Ticket, changed_status: bool, assignee_changed: bool) -> str:
    if changed_status:
        return _("now “%(status)s”") % {"status": ticket.get_status_display()}
    if assignee_changed and ticket.assignee is not None:
        return _("assigned to %(name)s") % {"name": ticket.assignee.get_full_name()}
    return _("a technician answered")


@transaction.atomic
def comment(
    actor: Any,
    ticket: Ticket,
    body: str,
    *,
    uploads: list[photos.Upload] | None = None,
    request: HttpRequest | None = None,
) -> Comment:
    """The reporter or a colleague of the school adds to a ticket (always public)."""
    ticket = _locked(ticket)
    if not access.restrict(actor, Ticket).filter(pk=ticket.pk).exists():
        raise HelpdeskError(_("You cannot comment on this ticket."))
    if ticket.status == S.CLOSED:
        raise HelpdeskError(_("This ticket is closed: reopen it or report a new problem."))
    text = _text(body, _("Comment"), required=not uploads)
    made = Comment.objects.create(ticket=ticket, author=actor, body=text)
    _save_photos(ticket, actor, uploads or [])
    Ticket.objects.filter(pk=ticket.pk).update(updated_at=timezone.now())
    audit.record("helpdesk.ticket_commented", actor=actor, request=request, target=ticket)
    if ticket.municipality_id in handles_tickets(actor):
        if ticket.first_response_at is None:
            Ticket.objects.filter(pk=ticket.pk).update(first_response_at=made.at)
        notify.tell_school(ticket, _("a technician answered"), actor)
    else:
        notify.tell_technicians(ticket, _("new comment"), actor)
    return made


def may_reopen(actor: Any, ticket: Ticket, now: dt.datetime | None = None) -> bool:
    """The reporter (or the school's director or ERUN) within ``reopen_days()`` of the
    resolution."""
    if ticket.status not in (S.RESOLVED, S.CLOSED) or ticket.resolved_at is None:
        return False
    scope = scope_of(actor)
    leading = scope.director_schools | scope.erun_schools
    mine = ticket.reporter_id == actor.pk or ticket.school_id in leading
    limit = ticket.resolved_at + dt.timedelta(days=reopen_days())
    return mine and (now or timezone.now()) <= limit


@transaction.atomic
def reopen(
    actor: Any, ticket: Ticket, reason: str, *, request: HttpRequest | None = None
) -> Ticket:
    ticket = _locked(ticket)
    if not may_reopen(actor, ticket):
        raise HelpdeskError(
            _("Only the reporter can reopen a ticket, within %(days)d days of its resolution.")
            % {"days": reopen_days()}
        )
    text = _text(reason, _("Why reopen"), required=True)
    before = ticket.status
    ticket.status = S.ASSIGNED if ticket.assignee_id else S.NEW
    ticket.resolved_at = ticket.closed_at = None
    ticket.save(update_fields=["status", "resolved_at", "closed_at", "updated_at"])
    Comment.objects.create(
        ticket=ticket, author=actor, body=text, status_before=before, status_after=ticket.status
    )
    audit.record("helpdesk.ticket_reopened", actor=actor, request=request, target=ticket)
    notify.tell_technicians(ticket, _("reopened"), actor)
    return ticket


def close_resolved(now: dt.datetime | None = None) -> int:
    """Close the tickets resolved more than ``reopen_days()`` ago (the periodic task)."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=reopen_days())
    stale = Ticket.objects.filter(status=S.RESOLVED, resolved_at__lt=cutoff)
    return stale.update(status=S.CLOSED, closed_at=now or timezone.now())


@transaction.atomic
def set_targets(
    actor: Any,
    municipality: Municipality,
    rows: dict[str, tuple[int, int]],
    *,
    request: HttpRequest | None = None,
) -> None:
    """A city admin's service targets: category → (first response, resolution) in hours."""
    if municipality.pk not in sla_municipalities(actor, access.CHANGE):
        raise HelpdeskError(_("Only a city admin of the municipality sets its service targets."))
    for category, (response, resolution) in rows.items():
        label = Category(category).label if category in Category.values else category
        if category not in Category.values:
            raise HelpdeskError(_("“%(value)s” is not a category.") % {"value": category})
        if not 1 <= response <= resolution <= 24 * 365:
            raise HelpdeskError(
                _(
                    "%(category)s: the first response must come before the resolution, "
                    "both between 1 hour and a year."
                )
                % {"category": label}
            )
        SlaTarget.objects.update_or_create(
            municipality=municipality,
            category=category,
            defaults={"first_response_hours": response, "resolution_hours": resolution},
        )
    audit.record(
        "helpdesk.targets_changed",
        actor=actor,
        request=request,
        target=municipality,
        categories=sorted(rows),
    )
