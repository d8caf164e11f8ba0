"""Every write of a conversation's life: start it, reply, read, archive.

Each checks the communication matrix (``rules.may_write``) between the sender and every
other person the message would reach. A refusal writes nothing but its audit record
(``messaging.refused``) and raises ``Refused`` naming who and why. A pupil's message
that the matrix moderates is *held*: stored, shown to its author and to the teachers of
their class, delivered when one of them approves it (``moderation.approve``).
Attachments are checked and re-encoded before anything is written; a failure after a
file was stored removes the file again.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from preau.core import audit
from preau.core.ratelimit import RateLimit
from preau.messaging import delivery
from preau.messaging.errors import MessagingError, Refused
from preau.messaging.files import CheckedFile
from preau.messaging.matrix import load_matrix
from preau.messaging.models import Attachment, Conversation, Message, Participant
from preau.messaging.people import profiles_for
from preau.messaging.roles import Party
from preau.messaging.rules import Decision, Profile, may_write
from preau.messaging.text import clean_body, clean_subject, shorten

FAMILY_PARTIES = frozenset({Party.GUARDIAN, Party.PUPIL})
MAX_RECIPIENTS = 120  # two guardians for every pupil of a large class, and staff
# A stolen account or a runaway script cannot flood families: a person sends at most
# this many messages in ten minutes (a busy teacher answers a dozen).
SENDING = RateLimit("messaging.send", limit=40, window=600)


def _throttle(sender: Any) -> None:
    if SENDING.hit(str(sender.pk)) > SENDING.limit:
        raise MessagingError(
            _("You have sent many messages in a few minutes; wait a little and try again.")
        )


def conversation_url(conversation: Conversation) -> str:
    return reverse("messaging:conversation", args=[conversation.pk])


def decide(
    sender: Any, recipient_ids: Iterable[int], *, names: bool = True
) -> tuple[Profile, dict[int, Decision]]:
    """The matrix's decision for each recipient (an unknown id is refused like the rest).

    With ``names=False`` a refusal does not name the person: someone trying user ids
    one after another must not learn who they belong to.
    """
    ids = set(recipient_ids)
    profiles = profiles_for(ids | {sender.pk})
    me = profiles.get(sender.pk) or Profile(sender.pk, sender.get_username(), active=False)
    matrix = load_matrix({a.municipality_id for a in me.anchors})
    anonymous = _("one of the people you chose")
    decisions = {}
    for rid in sorted(ids):
        them = profiles.get(rid) or Profile(0, anonymous, active=False)
        decisions[rid] = may_write(me, them if names else replace(them, name=anonymous), matrix)
    return me, decisions


def _refuse(
    sender: Any,
    decisions: dict[int, Decision],
    request: HttpRequest | None,
    conversation: Conversation | None = None,
) -> None:
    refused = {rid: d for rid, d in decisions.items() if not d.allowed}
    if not refused:
        return
    audit.record(
        "messaging.refused",
        actor=sender,
        request=request,
        target=conversation,
        recipients=sorted(refused),
        reasons=sorted({d.reason for d in refused.values()}),
    )
    raise Refused(" ".join(dict.fromkeys(d.reason for d in refused.values())))


def start_conversation(
    sender: Any,
    *,
    recipient_ids: Sequence[int],
    subject: str,
    body: str,
    files: Sequence[CheckedFile] = (),
    separately: bool | None = None,
    request: HttpRequest | None = None,
) -> list[Conversation]:
    """Write to one or several people: one conversation, or one each if ``separately``.

    By default (``None``) a message to several people that reaches any family (a
    guardian or a pupil) goes as separate conversations, so that families never see
    each other's names or replies; staff among themselves share one conversation.
    """
    body = clean_body(body)
    if not body and not files:
        raise MessagingError(_("Write a message or attach a file."))
    subject = clean_subject(subject, body)
    ids = list(dict.fromkeys(int(r) for r in recipient_ids))
    if not ids:
        raise MessagingError(_("Choose at least one recipient."))
    if len(ids) > MAX_RECIPIENTS:
        raise MessagingError(
            _("A message goes to at most %(count)d people.") % {"count": MAX_RECIPIENTS}
        )
    me, decisions = decide(sender, ids, names=False)
    _refuse(sender, decisions, request)
    _throttle(sender)
    if separately is None:
        separately = len(ids) > 1 and any(
            d.recipient_party in FAMILY_PARTIES for d in decisions.values()
        )
    groups = [[rid] for rid in ids] if separately else [ids]
    with _storing(files) as stored, transaction.atomic():
        conversations = [
            _create(sender, me, group, decisions, subject, body, stored) for group in groups
        ]
        audit.record(
            "messaging.sent",
            actor=sender,
            request=request,
            target=conversations[0],
            municipality_id=conversations[0].municipality_id,
            conversations=[c.pk for c in conversations],
            recipients=len(ids),
            attachments=len(files),
            held=any(decisions[r].moderated for r in ids),
        )
    return conversations


def _create(
    sender: Any,
    me: Profile,
    group: list[int],
    decisions: dict[int, Decision],
    subject: str,
    body: str,
    stored: list[tuple[CheckedFile, str]],
) -> Conversation:
    first = decisions[group[0]]
    assert first.municipality_id is not None
    conversation = Conversation.objects.create(
        municipality_id=first.municipality_id,
        school_id=first.school_id,
        subject=subject,
        created_by=sender,
    )
    now = timezone.now()
    Participant.objects.bulk_create(
        [Participant(conversation=conversation, user_id=sender.pk, last_read_at=now)]
        + [Participant(conversation=conversation, user_id=rid) for rid in group]
    )
    held = next((decisions[r] for r in group if decisions[r].moderated), None)
    _add_message(conversation, sender, me.name, body, stored, held)
    return conversation


def _add_message(
    conversation: Conversation,
    sender: Any,
    sender_label: str,
    body: str,
    stored: list[tuple[CheckedFile, str]],
    held: Decision | None,
) -> Message:
    now = timezone.now()
    message = Message.objects.create(
        conversation=conversation,
        sender=sender,
        sender_label=sender_label,
        body=body,
        status=Message.Status.HELD if held else Message.Status.SENT,
        visible_at=None if held else now,
        held_class_id=held.held_class_id if held else None,
    )
    attachments = Attachment.objects.bulk_create(
        [
            Attachment(
                message=message,
                file=name,
                original_name=checked.name,
                content_type=checked.content_type,
                size=len(checked.data),
                sha256=checked.sha256,
                width=checked.width,
                height=checked.height,
            )
            for checked, name in stored
        ]
    )
    images = [a.pk for a in attachments if a.is_image]
    if images:
        transaction.on_commit(lambda: delivery.make_thumbnails(images))
    if held:
        delivery.tell_moderators(message)
    else:
        publish(message, now)
    return message


def publish(message: Message, when: Any) -> None:
    """A message becomes visible: the conversation moves up every inbox (archived ones
    come back), and the other participants are notified."""
    conversation = message.conversation
    conversation.last_message_at = when
    conversation.last_excerpt = shorten(message.body) or _("(attachment)")
    conversation.last_sender_label = message.sender_label
    conversation.save(update_fields=["last_message_at", "last_excerpt", "last_sender_label"])
    Participant.objects.filter(conversation=conversation, archived_at__isnull=False).update(
        archived_at=None
    )
    if message.sender_id is not None:
        Participant.objects.filter(conversation=conversation, user_id=message.sender_id).update(
            last_read_at=when
        )
    delivery.tell_participants(message)


class _storing:
    """Store the checked files under random names; remove them if the writes fail."""

    def __init__(self, files: Sequence[CheckedFile]) -> None:
        self.files = files
        self.stored: list[tuple[CheckedFile, str]] = []

    def __enter__(self) -> list[tuple[CheckedFile, str]]:
        month = timezone.now().strftime("%Y/%m")
        for checked in self.files:
            name = f"messaging/{month}/{uuid.uuid4().hex}{checked.extension}"
            self.stored.append((checked, default_storage.save(name, ContentFile(checked.data))))
        return self.stored

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        if exc_type is not None:
            for _checked, name in self.stored:
                default_storage.delete(name)


def others(conversation: Conversation, user: Any) -> list[int]:
    """The other participants who can still receive messages."""
    return list(
        Participant.objects.filter(conversation=conversation, user__is_active=True)
        .exclude(user_id=user.pk)
        .values_list("user_id", flat=True)
    )


def reply_decisions(
    user: Any, conversation: Conversation, participants: Iterable[Participant] | None = None
) -> dict[int, Decision]:
    """What the matrix says of a reply by ``user`` to each other participant (pass the
    participants with their users, when already loaded, to save a query)."""
    if participants is None:
        return decide(user, others(conversation, user))[1]
    ids = [p.user_id for p in participants if p.user_id != user.pk and p.user.is_active]
    return decide(user, ids)[1]


def reply(
    sender: Any,
    conversation: Conversation,
    *,
    body: str,
    files: Sequence[CheckedFile] = (),
    request: HttpRequest | None = None,
) -> Message:
    """Answer in a conversation: allowed only if the sender may write to everyone in it."""
    body = clean_body(body)
    if not body and not files:
        raise MessagingError(_("Write a message or attach a file."))
    if not Participant.objects.filter(conversation=conversation, user_id=sender.pk).exists():
        raise MessagingError(_("You do not take part in this conversation."))
    if conversation.is_closed:
        raise MessagingError(_("This conversation is closed: no new message can be added."))
    me, decisions = decide(sender, others(conversation, sender))
    if not decisions:
        raise MessagingError(_("Nobody else can receive messages in this conversation."))
    _refuse(sender, decisions, request, conversation)
    _throttle(sender)
    held = next((d for d in decisions.values() if d.moderated), None)
    with _storing(files) as stored, transaction.atomic():
        locked = Conversation.objects.select_for_update().get(pk=conversation.pk)
        if locked.is_closed:
            raise MessagingError(_("This conversation is closed: no new message can be added."))
        message = _add_message(locked, sender, me.name, body, stored, held)
        audit.record(
            "messaging.replied",
            actor=sender,
            request=request,
            target=locked,
            attachments=len(files),
            held=held is not None,
        )
    return message


def mark_read(user: Any, conversation: Conversation) -> bool:
    """Move the reader's marker to the conversation's last message; False if nothing new."""
    last = conversation.last_message_at
    if last is None:
        return False
    updated = (
        Participant.objects.filter(conversation=conversation, user_id=user.pk)
        .exclude(last_read_at__gte=last)
        .update(last_read_at=max(last, timezone.now()))
    )
    if updated:
        delivery.mark_notifications_read(user, conversation_url(conversation))
    return bool(updated)


def set_archived(user: Any, conversation: Conversation, archived: bool) -> None:
    """Archive (or bring back) a conversation for this person only."""
    updated = Participant.objects.filter(conversation=conversation, user_id=user.pk).update(
        archived_at=timezone.now() if archived else None
    )
    if not updated:
        raise MessagingError(_("You do not take part in this conversation."))
