"""The sender's tools after sending: reminders (rate-limited per note), the deadline,
the audit of exports. Validated, transactional, audited, like ``services``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from preau.core import audit
from preau.liaison import notify
from preau.liaison.models import Note, NoteGuardian
from preau.liaison.services import LiaisonError, format_day, format_moment, validate_due_on
from preau.liaison.status import needs

REMINDER_INTERVAL = dt.timedelta(hours=settings.PREAU_LIAISON_REMINDER_HOURS)


@dataclass(frozen=True)
class Reminded:
    notified: int
    without_account: int


def pending_rows(note: Note) -> list[NoteGuardian]:
    """The guardians who still have something to do, every child of the note together."""
    rows = list(
        NoteGuardian.objects.filter(recipient__note=note, recipient__completed_at__isnull=True)
        .select_related("guardian__user")
        .order_by("recipient_id", "pk")
    )
    by_recipient: dict[int, list[NoteGuardian]] = {}
    for r in rows:
        by_recipient.setdefault(r.recipient_id, []).append(r)
    return [r for r in rows if needs(note, r, by_recipient[r.recipient_id])]


def send_reminders(user: Any, note: Note, *, request: HttpRequest | None = None) -> Reminded:
    """Remind the guardians who have not signed (or answered), at most once per interval."""
    if not note.collects:
        raise LiaisonError(_("This note asks for no signature and no answer: nothing to remind."))
    if note.is_closed():
        assert note.due_on is not None
        raise LiaisonError(
            _("The deadline (%(date)s) has passed: move it before sending reminders.")
            % {"date": format_day(note.due_on)}
        )
    pending = pending_rows(note)
    people = {
        r.guardian.user_id: r.guardian.user
        for r in pending
        if r.guardian.user is not None and r.guardian.user.is_active
    }
    without_account = len({r.guardian_id for r in pending if r.guardian.user_id is None})
    if not people:
        if without_account:
            raise LiaisonError(
                _(
                    "Nobody can be reminded: the %(n)d guardian(s) still to sign have no "
                    "account yet (give them their activation letter)."
                )
                % {"n": without_account}
            )
        raise LiaisonError(_("Every family has done what the note asks: nobody to remind."))
    now = timezone.now()
    with transaction.atomic():
        claimed = (
            Note.objects.filter(pk=note.pk)
            .filter(
                Q(last_reminded_at__isnull=True) | Q(last_reminded_at__lte=now - REMINDER_INTERVAL)
            )
            .update(last_reminded_at=now, reminders_sent=F("reminders_sent") + 1)
        )
        if not claimed:
            note.refresh_from_db(fields=["last_reminded_at", "reminders_sent"])
            assert note.last_reminded_at is not None
            raise LiaisonError(
                _(
                    "A reminder for this note was sent on %(last)s; the next one can be sent "
                    "from %(next)s."
                )
                % {
                    "last": format_moment(note.last_reminded_at),
                    "next": format_moment(note.last_reminded_at + REMINDER_INTERVAL),
                }
            )
        notified = notify.reminder(note, list(people.values()), user)
        audit.record(
            "liaison.reminders_sent",
            actor=user,
            request=request,
            target=note,
            notified=notified,
            without_account=without_account,
        )
    note.refresh_from_db(fields=["last_reminded_at", "reminders_sent"])
    return Reminded(notified, without_account)


def set_deadline(
    user: Any, note: Note, due_on: dt.date | None, *, request: HttpRequest | None = None
) -> Note:
    """Move (or remove) a note's deadline; a moved deadline reopens signatures."""
    validate_due_on(due_on)
    with transaction.atomic():
        previous = note.due_on
        Note.objects.filter(pk=note.pk).update(due_on=due_on)
        note.due_on = due_on
        audit.record(
            "liaison.deadline_changed",
            actor=user,
            request=request,
            target=note,
            previous=previous.isoformat() if previous else "",
            due_on=due_on.isoformat() if due_on else "",
        )
    return note


def record_export(user: Any, note: Note, fmt: str, rows: int, request: HttpRequest) -> None:
    """Exports carry children's and families' names: each one is in the audit log."""
    audit.record(
        "liaison.tracking_exported", actor=user, request=request, target=note, format=fmt, rows=rows
    )
