"""The messaging API's shapes: only what a mobile client shows, nothing more."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from preau.messaging.models import SUBJECT_MAX
from preau.messaging.services import MAX_RECIPIENTS
from preau.messaging.text import BODY_MAX


class ConversationOut(Schema):
    id: int
    subject: str
    others: list[str] = Field(description="The other participants' names")
    last_message_at: dt.datetime | None
    last_sender: str
    last_excerpt: str
    unread: bool
    archived: bool
    closed: bool


class AttachmentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    url: str


class MessageOut(Schema):
    id: int
    sender: str
    mine: bool
    body: str
    created_at: dt.datetime
    status: str = Field(description="sent, held (awaiting a teacher) or rejected")
    attachments: list[AttachmentOut]
    read_by: int | None = Field(None, description="For your own messages: how many read it")
    read_of: int | None = Field(None, description="… out of how many other participants")


class ConversationDetailOut(ConversationOut):
    messages: list[MessageOut]
    can_reply: bool
    reply_refused: str = Field("", description="Why you cannot reply to everyone, if so")


class RecipientOut(Schema):
    id: int
    name: str
    detail: str
    role: str


class UnreadOut(Schema):
    count: int


class SendIn(Schema):
    recipients: list[int] = Field(min_length=1, max_length=MAX_RECIPIENTS)
    subject: str = Field("", max_length=SUBJECT_MAX)
    body: str = Field(min_length=1, max_length=BODY_MAX)
    separately: bool | None = Field(
        None,
        description="One conversation each (true) or one for all (false); by default, "
        "separate as soon as a family is among several recipients",
    )


class SentOut(Schema):
    conversations: list[int]
    held: bool = Field(description="True when a teacher must approve the message first")


class ReplyIn(Schema):
    body: str = Field(min_length=1, max_length=BODY_MAX)


class ReplyOut(Schema):
    message: MessageOut


class ArchiveIn(Schema):
    archived: bool = True


class DoneOut(Schema):
    changed: bool


class ErrorOut(Schema):
    detail: str
