"""The helpdesk API's schemas: what a client needs, never an internal comment for the
school's side (the kernel filters comments before they reach these)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema


class CommentOut(Schema):
    id: int
    author: str
    at: dt.datetime
    body: str
    internal: bool
    status_before: str
    status_after: str

    @staticmethod
    def resolve_author(obj: Any) -> str:
        return str(obj.author.get_full_name() or obj.author.get_username())


class TicketOut(Schema):
    id: int
    title: str
    category: str
    urgency: str
    status: str
    school_id: int
    site_id: int
    asset_id: int | None = Field(
        None, validation_alias="visible_asset_id", description="If you may see the asset"
    )
    reporter_id: int
    assignee_id: int | None
    created_at: dt.datetime
    first_response_at: dt.datetime | None
    resolved_at: dt.datetime | None


class TicketDetailOut(TicketOut):
    description: str
    comments: list[CommentOut]
    photo_ids: list[int] = Field(description="Each at /api/v1/helpdesk/photos/{id}")
    may_reopen: bool = Field(
        description="You reported it (or direct its school) and it was "
        "resolved recently enough to reopen"
    )


class TicketIn(Schema):
    school_id: int
    category: str
    title: str = Field(..., max_length=150)
    description: str = Field(..., max_length=5000)
    urgency: str = "normal"
    asset_id: int | None = None


class CommentIn(Schema):
    body: str = Field(..., min_length=1, max_length=5000)


class ReopenIn(Schema):
    reason: str = Field(..., min_length=1, max_length=5000)


class HandleIn(Schema):
    status: str = ""
    assignee_id: int | None = None
    unassign: bool = False
    body: str = Field("", max_length=5000)
    internal: bool = False
    minutes: int = Field(0, ge=0, le=24 * 60)
