"""Moderation writes: a teacher approves or rejects a pupil's held message; a participant
reports a message; a director closes (or reopens) a conversation; reports get handled.

The callers obtained every object through the access kernel with the right action
(``MODERATE`` for held messages and closing, ``CHANGE`` for reports); these functions
check the state (a message already approved cannot be approved twice) and audit.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from preau.core import audit
from preau.messaging import delivery
from preau.messaging.errors import MessagingError
from preau.messaging.models import AbuseReport, Conversation, Message, Participant
from preau.messaging.people import display_name
from preau.messaging.services import publish
from preau.messaging.text import one_line

NOTE_MAX = 300
REASON_MAX = 1000


def _note(text: str, limit: int = NOTE_MAX) -> str:
    note = one_line(text)
    if len(note) > limit:
        raise MessagingError(
            _("Keep it under %(limit)d characters (it has %(length)d).")
            % {"limit": limit, "length": len(note)}
        )
    return note


def _held(message_id: int) -> Message:
    message = Message.objects.select_for_update().select_related("conversation").get(pk=message_id)
    if message.status != Message.Status.HELD:
        raise MessagingError(_("This message was already moderated."))
    return message


@transaction.atomic
def approve(moderator: Any, message: Message, request: HttpRequest | None = None) -> Message:
    message = _held(message.pk)
    if message.conversation.is_closed:
        raise MessagingError(_("This conversation is closed: the message cannot be delivered."))
    now = timezone.now()
    message.status = Message.Status.SENT
    message.visible_at = now
    message.moderated_by = moderator
    message.moderated_at = now
    message.save(update_fields=["status", "visible_at", "moderated_by", "moderated_at"])
    publish(message, now)
    audit.record("messaging.approved", actor=moderator, request=request, target=message)
    return message


@transaction.atomic
def reject(
    moderator: Any, message: Message, note: str = "", request: HttpRequest | None = None
) -> Message:
    note = _note(note)
    message = _held(message.pk)
    message.status = Message.Status.REJECTED
    message.moderated_by = moderator
    message.moderated_at = timezone.now()
    message.moderation_note = note
    message.save(update_fields=["status", "moderated_by", "moderated_at", "moderation_note"])
    delivery.tell_sender_rejected(message, moderator)
    audit.record("messaging.rejected", actor=moderator, request=request, target=message)
    return message


def report(
    reporter: Any, message: Message, reason: str = "", request: HttpRequest | None = None
) -> AbuseReport:
    """A participant flags a message they received; the school's director and the city
    admins see it on their moderation page."""
    reason = _note(reason, REASON_MAX)
    conversation = message.conversation
    if message.sender_id == reporter.pk:
        raise MessagingError(_("You cannot report your own message."))
    if (
        message.status != Message.Status.SENT
        or not Participant.objects.filter(conversation=conversation, user_id=reporter.pk).exists()
    ):
        raise MessagingError(_("Only the people in a conversation can report its messages."))
    try:
        with transaction.atomic():
            found = AbuseReport.objects.create(
                message=message,
                reporter=reporter,
                reporter_label=display_name(
                    reporter.first_name, reporter.last_name, reporter.get_username()
                ),
                reason=reason,
                municipality_id=conversation.municipality_id,
                school_id=conversation.school_id,
            )
            delivery.tell_reviewers(found)
            audit.record(
                "messaging.reported",
                actor=reporter,
                request=request,
                target=message,
                report=found.pk,
            )
    except IntegrityError:
        raise MessagingError(
            _("You already reported this message; the school's director will look at it.")
        ) from None
    return found


@transaction.atomic
def resolve(
    actor: Any, found: AbuseReport, note: str = "", request: HttpRequest | None = None
) -> AbuseReport:
    note = _note(note)
    updated = AbuseReport.objects.filter(pk=found.pk, resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolved_by=actor, resolution=note
    )
    if not updated:
        raise MessagingError(_("This report was already handled."))
    found.refresh_from_db()
    audit.record("messaging.report_resolved", actor=actor, request=request, target=found.message)
    return found


@transaction.atomic
def close(
    actor: Any, conversation: Conversation, reason: str = "", request: HttpRequest | None = None
) -> Conversation:
    """No new message may be added; the participants still read it and see why."""
    reason = _note(reason)
    updated = Conversation.objects.filter(pk=conversation.pk, closed_at__isnull=True).update(
        closed_at=timezone.now(), closed_by=actor, closed_reason=reason
    )
    if not updated:
        raise MessagingError(_("This conversation is already closed."))
    conversation.refresh_from_db()
    delivery.tell_closed(conversation, actor)
    audit.record("messaging.closed", actor=actor, request=request, target=conversation)
    return conversation


@transaction.atomic
def reopen(
    actor: Any, conversation: Conversation, request: HttpRequest | None = None
) -> Conversation:
    updated = Conversation.objects.filter(pk=conversation.pk, closed_at__isnull=False).update(
        closed_at=None, closed_by=None, closed_reason=""
    )
    if not updated:
        raise MessagingError(_("This conversation is not closed."))
    conversation.refresh_from_db()
    audit.record("messaging.reopened", actor=actor, request=request, target=conversation)
    return conversation
