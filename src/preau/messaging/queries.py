"""Reading messaging for a person (no writes): inbox, archive, search, unread count,
and a conversation's page with its read receipts.

The inbox is a constant number of queries whatever its length: the person's own
participant rows with their conversation (one query, unread first), the other
participants of the page's conversations (one query), and the page count.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    Case,
    F,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from preau.core import access
from preau.core.navigation import BADGE_MAX
from preau.core.search import fold
from preau.messaging.access import MODERATE
from preau.messaging.models import (
    AbuseReport,
    Attachment,
    Conversation,
    Message,
    Participant,
)

MAX_SEARCH_WORDS = 8
MESSAGES_SHOWN = 200


def unread_q() -> Q:
    last = "conversation__last_message_at"
    return Q(**{f"{last}__isnull": False}) & (
        Q(last_read_at__isnull=True) | Q(last_read_at__lt=F(last))
    )


def _shown() -> Q:
    """A conversation appears once it has a visible message, or to its author."""
    return Q(conversation__last_message_at__isnull=False) | Q(
        conversation__created_by_id=F("user_id")
    )


def mine(user: Any) -> QuerySet[Participant]:
    return access.restrict(user, Participant).filter(user_id=user.pk).filter(_shown())


def inbox(user: Any, *, archived: bool = False, query: str = "") -> QuerySet[Participant]:
    """The person's conversations, unread first, then the most recent first."""
    rows = mine(user).filter(archived_at__isnull=not archived)
    if query:
        rows = search(user, rows, query)
    others = Participant.objects.select_related("user").order_by("joined_at", "pk")
    return (
        rows.select_related("conversation")
        .annotate(
            unread=Case(When(unread_q(), then=Value(True)), default=Value(False)),
            last_at=Coalesce("conversation__last_message_at", "conversation__created_at"),
        )
        .prefetch_related(Prefetch("conversation__participants", queryset=others))
        .order_by("-unread", "-last_at", "-pk")
    )


def search(user: Any, rows: QuerySet[Participant], query: str) -> QuerySet[Participant]:
    """Every word in the subject or in a message the person can read (accents ignored)."""
    words = fold(query).split()[:MAX_SEARCH_WORDS]
    conversations = rows.values("conversation_id")
    readable = access.restrict(user, Message).filter(conversation_id__in=conversations)
    for word in words:
        in_body = readable.filter(body__fold__contains=word).values("conversation_id")
        rows = rows.filter(
            Q(conversation__subject__fold__contains=word) | Q(conversation_id__in=in_body)
        )
    return rows


def unread_count(user: Any) -> int:
    """Conversations with something unread, counted up to just past the badge's cap."""
    return mine(user).filter(unread_q())[: BADGE_MAX + 1].count()


@dataclass
class Receipt:
    read: int
    total: int
    readers: list[str] = field(default_factory=list)


@dataclass
class Page:
    conversation: Conversation
    me: Participant | None
    participants: list[Participant]
    messages: list[Message]
    receipts: dict[int, Receipt]
    my_reports: set[int]
    reports: list[AbuseReport]

    @property
    def unread(self) -> bool:
        last = self.conversation.last_message_at
        return bool(
            self.me and last and (self.me.last_read_at is None or self.me.last_read_at < last)
        )


def conversation_page(user: Any, conversation: Conversation) -> Page:
    participants = list(
        conversation.participants.select_related("user").order_by("joined_at", "pk")
    )
    me = next((p for p in participants if p.user_id == user.pk), None)
    messages: list[Message] = list(
        access.restrict(user, Message)
        .filter(conversation=conversation)
        .annotate(shown_at=Coalesce("visible_at", "created_at"))
        .prefetch_related(Prefetch("attachments", queryset=Attachment.objects.order_by("pk")))
        .order_by("-shown_at", "-pk")[:MESSAGES_SHOWN]
    )
    messages.reverse()
    mine_reported = access.restrict(user, AbuseReport).filter(
        message__conversation=conversation, reporter_id=user.pk, resolved_at__isnull=True
    )
    to_review = access.restrict(user, AbuseReport, access.CHANGE).filter(
        message__conversation=conversation
    )
    page = Page(
        conversation=conversation,
        me=me,
        participants=participants,
        messages=messages,
        receipts=receipts(user, messages, participants),
        my_reports=set(mine_reported.values_list("message_id", flat=True)),
        reports=list(to_review.select_related("message").order_by("-created_at", "-pk")),
    )
    reported = {r.message_id for r in page.reports}
    held = [m.pk for m in messages if m.status == Message.Status.HELD and m.sender_id != user.pk]
    moderatable = (
        set(
            access.restrict(user, Message, MODERATE)
            .filter(pk__in=held)
            .values_list("pk", flat=True)
        )
        if held
        else set()
    )
    for m in messages:  # what the template shows beside each message
        m.receipt = page.receipts.get(m.pk)  # type: ignore[attr-defined]
        m.reported_by_me = m.pk in page.my_reports  # type: ignore[attr-defined]
        m.under_review = m.pk in reported  # type: ignore[attr-defined]
        m.moderatable = m.pk in moderatable  # type: ignore[attr-defined]
    return page


def receipts(
    user: Any, messages: list[Message], participants: list[Participant]
) -> dict[int, Receipt]:
    """For each of the person's own sent messages: how many of the others have read it."""
    found: dict[int, Receipt] = {}
    for m in messages:
        if m.sender_id != user.pk or m.visible_at is None:
            continue
        others = [p for p in participants if p.user_id != user.pk]
        readers = [
            p.user.display_name
            for p in others
            if p.last_read_at is not None and p.last_read_at >= m.visible_at
        ]
        found[m.pk] = Receipt(len(readers), len(others), readers)
    return found


def held_for_moderation(user: Any) -> QuerySet[Message]:
    return (
        access.restrict(user, Message, MODERATE)
        .select_related("conversation", "held_class")
        .prefetch_related("attachments")
        .order_by("created_at", "pk")
    )


def open_reports(user: Any) -> QuerySet[AbuseReport]:
    return (
        access.restrict(user, AbuseReport, access.CHANGE)
        .filter(resolved_at__isnull=True)
        .select_related("message", "message__conversation", "school")
        .order_by("created_at", "pk")
    )
