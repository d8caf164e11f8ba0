"""Telling people: the notifications a message, a held message or a report causes.

Notifications go through ``preau.notifications.services.notify`` inside the caller's
transaction; that app sends the e-mails after commit and holds them during each
person's quiet hours (teachers' evenings and weekends). Titles name the sender and the
subject only: never the text of a message, never another family.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from preau.accounts.models import User
from preau.core import access
from preau.directory.models import Membership, Role
from preau.messaging import tasks
from preau.messaging.models import AbuseReport, Conversation, Message, Participant
from preau.notifications.models import Notification
from preau.notifications.services import mark_read, notify

KIND_MESSAGE = "messaging.message"
KIND_MODERATION = "messaging.moderation"
KIND_REPORT = "messaging.report"


def _url(conversation: Conversation) -> str:
    return reverse("messaging:conversation", args=[conversation.pk])


def tell_participants(message: Message) -> int:
    conversation = message.conversation
    others = Participant.objects.filter(conversation=conversation)
    if message.sender_id is not None:
        others = others.exclude(user_id=message.sender_id)
    recipients = User.objects.filter(pk__in=others.values("user_id"), is_active=True)
    return notify(
        recipients=recipients,
        kind=KIND_MESSAGE,
        title=_("%(name)s: %(subject)s")
        % {"name": message.sender_label, "subject": conversation.subject},
        url=_url(conversation),
        actor=message.sender,
        municipality_id=conversation.municipality_id,
    )


def tell_closed(conversation: Conversation, actor: Any) -> int:
    recipients = User.objects.filter(
        pk__in=Participant.objects.filter(conversation=conversation).values("user_id"),
        is_active=True,
    )
    return notify(
        recipients=recipients,
        kind=KIND_MESSAGE,
        title=_("Conversation closed: %(subject)s") % {"subject": conversation.subject},
        url=_url(conversation),
        actor=actor,
        municipality_id=conversation.municipality_id,
    )


def tell_moderators(message: Message) -> int:
    """A pupil's message waits: the teachers of their class hear of it."""
    if message.held_class_id is None:
        return 0
    teachers = User.objects.filter(
        pk__in=Membership.objects.filter(
            role=Role.TEACHER, school_class_id=message.held_class_id
        ).values("user_id"),
        is_active=True,
    )
    return notify(
        recipients=teachers,
        kind=KIND_MODERATION,
        title=_("A pupil's message awaits your approval"),
        url=reverse("messaging:moderation"),
        municipality_id=message.conversation.municipality_id,
    )


def tell_sender_rejected(message: Message, actor: Any) -> int:
    if message.sender is None:
        return 0
    return notify(
        recipients=[message.sender],
        kind=KIND_MODERATION,
        title=_("Your message was not delivered: %(subject)s")
        % {"subject": message.conversation.subject},
        url=_url(message.conversation),
        actor=actor,
        municipality_id=message.conversation.municipality_id,
    )


def tell_reviewers(report: AbuseReport) -> int:
    """The school's director(s) and the city admins see a new report."""
    staff = Membership.objects.filter(municipality_id=report.municipality_id).filter(
        role=Role.CITY_ADMIN
    )
    if report.school_id is not None:
        staff = staff | Membership.objects.filter(role=Role.DIRECTOR, school_id=report.school_id)
    reviewers = User.objects.filter(pk__in=staff.values("user_id"), is_active=True)
    return notify(
        recipients=reviewers,
        kind=KIND_REPORT,
        title=_("A message was reported"),
        url=reverse("messaging:moderation"),
        actor=report.reporter,
        municipality_id=report.municipality_id,
    )


def mark_notifications_read(user: Any, url: str) -> int:
    """Opening a conversation also reads the notifications that pointed to it."""
    unread = access.restrict(user, Notification, access.CHANGE).filter(
        url=url, kind=KIND_MESSAGE, read_at__isnull=True
    )
    ids = list(unread.values_list("pk", flat=True))
    return mark_read(user, ids) if ids else 0


def make_thumbnails(attachment_ids: list[int]) -> None:
    """Hand the new images to the worker (call after commit)."""
    tasks.make_thumbnails(attachment_ids)
