"""What the homework API shows: a week of entries per class, and nothing about people
but the first names of the caller's own children."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from ninja import Schema

from preau.homework import text


class AttachmentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    url: str

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return str(obj.original_name)

    @staticmethod
    def resolve_url(obj: Any) -> str:
        return reverse("homework:attachment", args=[obj.pk])


class EntryOut(Schema):
    id: int
    class_id: int
    date: dt.date
    subject: str
    subject_label: str
    topic: str
    done_html: str
    todo_html: str
    due_on: dt.date | None
    attachments: list[AttachmentOut]

    @staticmethod
    def resolve_class_id(obj: Any) -> int:
        return int(obj.school_class_id)

    @staticmethod
    def resolve_subject_label(obj: Any) -> str:
        return str(obj.subject_display)

    @staticmethod
    def resolve_done_html(obj: Any) -> str:
        return text.clean(obj.done_text)

    @staticmethod
    def resolve_todo_html(obj: Any) -> str:
        return text.clean(obj.todo_text)

    @staticmethod
    def resolve_attachments(obj: Any) -> list[Any]:
        return list(obj.attachments.all())


class DayOut(Schema):
    date: dt.date
    is_today: bool
    entries: list[EntryOut]


class ClassWeekOut(Schema):
    class_id: int
    class_label: str
    school_name: str
    children: list[str]
    can_write: bool
    days: list[DayOut]


class WeekOut(Schema):
    week_start: dt.date
    week_end: dt.date
    by: str
    classes: list[ClassWeekOut]
