"""What the API shows of the news: a post's words, audience, photos and files.

Photo and file URLs point at this API's own endpoints (token auth works for them);
``html`` is the sanitised subset (p, br, strong, em, ul, ol, li, a[href]).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from ninja import Schema

from preau.news.audience import audience_label
from preau.news.richtext import plain, sanitize


def _api_url(context: Any, name: str, pk: int) -> str:
    request = context["request"]
    namespace = request.resolver_match.namespace if request.resolver_match else "api"
    return reverse(f"{namespace}:{name}", args=[pk])


class AudienceOut(Schema):
    kind: str
    class_id: int | None
    school_id: int | None
    municipality_id: int
    label: str


class PhotoOut(Schema):
    id: int
    caption: str
    width: int
    height: int
    url: str
    thumbnail_url: str

    @staticmethod
    def resolve_url(obj: Any, context: Any) -> str:
        return _api_url(context, "news_photo", obj.pk)

    @staticmethod
    def resolve_thumbnail_url(obj: Any, context: Any) -> str:
        return _api_url(context, "news_photo_thumbnail", obj.pk)


class AttachmentOut(Schema):
    id: int
    filename: str
    size: int
    url: str

    @staticmethod
    def resolve_url(obj: Any, context: Any) -> str:
        return _api_url(context, "news_attachment", obj.pk)


class PostOut(Schema):
    id: int
    title: str
    html: str
    summary: str
    audience: AudienceOut
    author: str
    published_at: dt.datetime
    edited_at: dt.datetime | None
    comments_enabled: bool
    comment_count: int
    photos: list[PhotoOut]
    attachments: list[AttachmentOut]

    @staticmethod
    def resolve_html(obj: Any) -> str:
        return sanitize(obj.html)

    @staticmethod
    def resolve_summary(obj: Any) -> str:
        return plain(obj.html, 200)

    @staticmethod
    def resolve_audience(obj: Any) -> dict[str, Any]:
        return {
            "kind": obj.audience,
            "class_id": obj.school_class_id,
            "school_id": obj.school_id,
            "municipality_id": obj.municipality_id,
            "label": audience_label(obj),
        }

    @staticmethod
    def resolve_author(obj: Any) -> str:
        return obj.author.display_name if obj.author is not None else ""

    @staticmethod
    def resolve_published_at(obj: Any) -> dt.datetime:
        return obj.publish_at

    @staticmethod
    def resolve_comment_count(obj: Any) -> int:
        return int(getattr(obj, "comment_count", 0))

    @staticmethod
    def resolve_photos(obj: Any) -> list[Any]:
        return list(obj.shown_photos)

    @staticmethod
    def resolve_attachments(obj: Any) -> list[Any]:
        return list(obj.shown_attachments)


class CommentOut(Schema):
    id: int
    author: str
    text: str
    status: str
    created_at: dt.datetime

    @staticmethod
    def resolve_author(obj: Any) -> str:
        return obj.author_name


class PostDetailOut(PostOut):
    comments: list[CommentOut]

    @staticmethod
    def resolve_comments(obj: Any) -> list[Any]:
        return list(obj.shown_comments)
