"""Messaging under the API (mounted by ``preau/api.py``): the inbox, a conversation,
writing and replying, marking read, archiving, and the people one may write to.

Same access kernel and same communication matrix as the pages: someone else's
conversation is a JSON 404, a message the matrix forbids a 403 with the reason (and an
audit record), bad input a 400 saying what is wrong. Reading a conversation does not
mark it read; a client says so with ``POST /{id}/read`` once it has shown it.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from ninja import Query, Router
from ninja.pagination import PageNumberPagination, paginate
from ninja.responses import Status

from preau.core.access import get_or_404
from preau.messaging import queries, services
from preau.messaging.errors import MessagingError, Refused
from preau.messaging.models import Conversation, Message, Participant
from preau.messaging.queries import Receipt
from preau.messaging.recipients import allowed_recipients
from preau.messaging.schemas import (
    ArchiveIn,
    AttachmentOut,
    ConversationDetailOut,
    ConversationOut,
    DoneOut,
    ErrorOut,
    MessageOut,
    RecipientOut,
    ReplyIn,
    ReplyOut,
    SendIn,
    SentOut,
    UnreadOut,
)

router = Router(tags=["messages"])

SEARCH = Query(None, max_length=100, description="Words to find in subjects and messages")
Errors = {400: ErrorOut, 403: ErrorOut}


class Pages(PageNumberPagination):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(page_size=25, max_page_size=100, **kwargs)


def _user(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


def _row(row: Participant, user_id: int) -> ConversationOut:
    c = row.conversation
    return ConversationOut(
        id=c.pk,
        subject=c.subject,
        others=[p.user.display_name for p in c.participants.all() if p.user_id != user_id],
        last_message_at=c.last_message_at,
        last_sender=c.last_sender_label,
        last_excerpt=c.last_excerpt,
        unread=bool(getattr(row, "unread", False)),
        archived=row.archived_at is not None,
        closed=c.is_closed,
    )


@router.get("/", response=list[ConversationOut], summary="My conversations, unread first")
@paginate(Pages)
def inbox(
    request: HttpRequest, archived: bool = False, q: str | None = SEARCH
) -> list[ConversationOut]:
    user = _user(request)
    rows: QuerySet[Participant] = queries.inbox(user, archived=archived, query=q or "")
    return _LazyRows(rows, user.pk)  # type: ignore[return-value]


class _LazyRows:
    """Lets the paginator slice the queryset before rows become schemas."""

    def __init__(self, rows: QuerySet[Participant], user_id: int) -> None:
        self.rows, self.user_id = rows, user_id

    def count(self) -> int:
        return self.rows.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, s: slice) -> list[ConversationOut]:
        return [_row(r, self.user_id) for r in self.rows[s]]


@router.get("/unread", response=UnreadOut, summary="How many conversations have news")
def unread(request: HttpRequest) -> UnreadOut:
    return UnreadOut(count=queries.unread_count(_user(request)))


@router.get("/recipients", response=list[RecipientOut], summary="People I may write to")
def recipients(request: HttpRequest, q: str | None = SEARCH) -> list[RecipientOut]:
    return [
        RecipientOut(id=c.user_id, name=c.name, detail=c.detail, role=c.party)
        for c in allowed_recipients(_user(request), q or "")[:200]
    ]


def _message(m: Message, user_id: int, receipt: Receipt | None) -> MessageOut:
    return MessageOut(
        id=m.pk,
        sender=m.sender_label,
        mine=m.sender_id == user_id,
        body=m.body,
        created_at=m.created_at,
        status=m.status,
        attachments=[
            AttachmentOut(
                id=a.pk,
                name=a.original_name,
                content_type=a.content_type,
                size=a.size,
                url=reverse("messaging:attachment", args=[a.pk]),
            )
            for a in m.attachments.all()
        ],
        read_by=receipt.read if receipt else None,
        read_of=receipt.total if receipt else None,
    )


def _conversation(request: HttpRequest, id: int) -> Conversation:
    return get_or_404(_user(request), Conversation, pk=id)


@router.get("/{int:id}", response=ConversationDetailOut, summary="A conversation")
def conversation(request: HttpRequest, id: int) -> ConversationDetailOut:
    user = _user(request)
    found = _conversation(request, id)
    page = queries.conversation_page(user, found)
    refusals: list[str] = []
    if page.me is not None and not found.is_closed:
        decisions = services.reply_decisions(user, found, page.participants)
        refusals = [d.reason for d in decisions.values() if not d.allowed]
    me = page.me
    return ConversationDetailOut(
        id=found.pk,
        subject=found.subject,
        others=[p.user.display_name for p in page.participants if p.user_id != user.pk],
        last_message_at=found.last_message_at,
        last_sender=found.last_sender_label,
        last_excerpt=found.last_excerpt,
        unread=page.unread,
        archived=bool(me and me.archived_at),
        closed=found.is_closed,
        messages=[_message(m, user.pk, page.receipts.get(m.pk)) for m in page.messages],
        can_reply=me is not None and not found.is_closed and not refusals,
        reply_refused=" ".join(dict.fromkeys(refusals)),
    )


@router.post("/", response={201: SentOut, **Errors}, summary="Write to one or several people")
def send(request: HttpRequest, payload: SendIn) -> Status[Any]:
    try:
        sent = services.start_conversation(
            _user(request),
            recipient_ids=payload.recipients,
            subject=payload.subject,
            body=payload.body,
            separately=payload.separately,
            request=request,
        )
    except Refused as error:
        return Status(403, ErrorOut(detail=str(error)))
    except MessagingError as error:
        return Status(400, ErrorOut(detail=str(error)))
    held = sent[0].last_message_at is None
    return Status(201, SentOut(conversations=[c.pk for c in sent], held=held))


@router.post(
    "/{int:id}/messages", response={201: ReplyOut, **Errors}, summary="Reply in a conversation"
)
def reply(request: HttpRequest, id: int, payload: ReplyIn) -> Status[Any]:
    user = _user(request)
    found = _conversation(request, id)
    try:
        message = services.reply(user, found, body=payload.body, request=request)
    except Refused as error:
        return Status(403, ErrorOut(detail=str(error)))
    except MessagingError as error:
        return Status(400, ErrorOut(detail=str(error)))
    return Status(201, ReplyOut(message=_message(message, user.pk, None)))


@router.post("/{int:id}/read", response=DoneOut, summary="I have read this conversation")
def mark_read(request: HttpRequest, id: int) -> DoneOut:
    found = _conversation(request, id)
    return DoneOut(changed=services.mark_read(_user(request), found))


@router.post("/{int:id}/archive", response={200: DoneOut, 400: ErrorOut}, summary="Archive")
def archive(request: HttpRequest, id: int, payload: ArchiveIn) -> Status[Any]:
    found = _conversation(request, id)
    try:
        services.set_archived(_user(request), found, payload.archived)
    except MessagingError as error:
        return Status(400, ErrorOut(detail=str(error)))
    return Status(200, DoneOut(changed=True))
