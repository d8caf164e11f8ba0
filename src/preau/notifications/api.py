"""My notifications for a future mobile app: the timeline, the unread count, marking read.

Rows come only through the access kernel, so a client sees its user's notifications and
nobody else's. Mounted by ``preau.api`` under ``/notifications/``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from preau.core.access import restrict
from preau.notifications import services
from preau.notifications.models import Notification

router = Router(tags=["notifications"])

PAGE_SIZE = 25
MAX_PAGE_SIZE = 100


class Pages(PageNumberPagination):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE, **kwargs)


class NotificationOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    url: str = Field(description="The page it is about, a path on this site")
    actor: str = Field(alias="actor_label", description="Who did it, as recorded")
    created_at: dt.datetime
    read_at: dt.datetime | None


class UnreadOut(Schema):
    unread: int = Field(description="Unread notifications, counted up to 100")


class MarkReadIn(Schema):
    ids: list[int] = Field(default_factory=list, max_length=500)
    all: bool = Field(False, description="Mark every one of my notifications read")


class MarkedOut(Schema):
    marked: int


def _user(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


@router.get("/", response=list[NotificationOut], summary="My notifications, newest first")
@paginate(Pages)
def notification_list(request: HttpRequest, unread: bool = False) -> QuerySet[Notification]:
    notifications = restrict(_user(request), Notification)
    return notifications.filter(read_at__isnull=True) if unread else notifications


@router.get("/unread", response=UnreadOut, summary="How many are unread (for a badge)")
def unread_count(request: HttpRequest) -> UnreadOut:
    return UnreadOut(unread=services.unread_count(_user(request)))


@router.post("/read", response=MarkedOut, summary="Mark some, or all, of mine read")
def mark_read(request: HttpRequest, payload: MarkReadIn) -> MarkedOut:
    """Ids that are not mine (or do not exist) are ignored; replaying changes nothing."""
    user = _user(request)
    marked = services.mark_read(user, "all" if payload.all else payload.ids)
    return MarkedOut(marked=marked)
