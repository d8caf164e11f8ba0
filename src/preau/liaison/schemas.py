"""What the notes API shows families: their own children's notes and their own rows.

A co-guardian of the same child appears by name and signature date only; no other
family, pupil or guardian is ever named.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field, Schema


class ChildOut(Schema):
    id: int
    first_name: str
    class_label: str


class NoteSummaryOut(Schema):
    id: int
    title: str
    sender: str
    school: str
    sent_at: dt.datetime
    due_on: dt.date | None
    signature: str = Field(description="none, one (one guardian per child) or all")
    question: str = Field(description="none, yes_no or choice")
    state: str = Field(description="to_do, missed, done or info")
    signed_at: dt.datetime | None
    answer: str


class ChildNotesOut(Schema):
    child: ChildOut
    to_do: int
    notes: list[NoteSummaryOut]


class SignatureOut(Schema):
    guardian: str
    signed_at: dt.datetime | None


class ChoiceOut(Schema):
    value: str
    label: str


class ChildStatusOut(Schema):
    child: ChildOut
    state: str
    signed_at: dt.datetime | None
    answer: str
    answer_label: str
    can_respond: bool
    done: int
    required: int
    co_guardians: list[SignatureOut]


class NoteDetailOut(Schema):
    id: int
    title: str
    body_html: str = Field(description="Sanitised HTML (a small safe subset)")
    body_text: str
    sender: str
    school: str
    sent_at: dt.datetime
    due_on: dt.date | None
    closed: bool
    signature: str
    question: str
    choices: list[ChoiceOut]
    attachment_url: str | None
    children: list[ChildStatusOut]


class RespondIn(Schema):
    answer: str | None = Field(None, max_length=100, description="One of the note's choices")


class RespondOut(Schema):
    status: Literal["signed", "answered", "unchanged"]
    signed_at: dt.datetime | None
    answer: str
    message: str
