"""Reading the news: querysets shared by the pages, the API and the home page.

They only narrow or decorate querysets that came from the access kernel, and load a
page of posts with its photos, files and comment counts in a fixed number of queries.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from preau.core.access import restrict
from preau.news.models import Attachment, Comment, Photo, Post, live


def readable(user: Any) -> QuerySet[Post]:
    """The live posts ``user`` reads, newest first."""
    return (
        restrict(user, Post)
        .filter(live())
        .select_related("school_class", "school", "author")
        .order_by("-publish_at", "-pk")
    )


def with_media(user: Any, posts: QuerySet[Post]) -> QuerySet[Post]:
    """Posts with the photos ``user`` may see (``shown_photos``), their files
    (``shown_attachments``) and their count of visible comments."""
    return posts.annotate(
        comment_count=Count("comments", filter=Q(comments__status=Comment.Status.VISIBLE))
    ).prefetch_related(
        Prefetch(
            "photos",
            queryset=restrict(user, Photo).order_by("position", "pk"),
            to_attr="shown_photos",
        ),
        Prefetch(
            "attachments",
            queryset=restrict(user, Attachment).order_by("pk"),
            to_attr="shown_attachments",
        ),
    )


def latest(user: Any, limit: int = 3) -> list[Post]:
    """The few newest posts for the home page: one query, no photos."""
    return list(
        readable(user).only(
            "pk",
            "title",
            "publish_at",
            "audience",
            "school_class__label",
            "school__name",
            "author__first_name",
            "author__last_name",
            "author__username",
        )[:limit]
    )
