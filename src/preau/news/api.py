"""The news for a future mobile app (guardians' and pupils' views), read-only.

The same access kernel as the pages: the timeline lists the live posts the caller
reads, a post someone else's or missing is the same JSON 404, and photos tagging a
pupil without photo consent are left out. Photos and PDFs are served by this API too,
so a token is enough to show them. Mounted by ``preau.api`` under ``/news/``.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import FileResponse, Http404, HttpRequest
from ninja import Router
from ninja.pagination import PageNumberPagination, paginate

from preau.core.access import get_or_404, restrict
from preau.news import queries
from preau.news.models import Attachment, Comment, Photo, Post
from preau.news.schemas import PostDetailOut, PostOut
from preau.news.views import stream_attachment, stream_photo

router = Router(tags=["news"])

PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


class Pages(PageNumberPagination):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE, **kwargs)


def _user(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


@router.get("/timeline", response=list[PostOut], summary="My news, newest first")
@paginate(Pages)
def timeline(request: HttpRequest) -> QuerySet[Post]:
    user = _user(request)
    return queries.with_media(user, queries.readable(user))


@router.get("/posts/{id}", response=PostDetailOut, summary="One post, with its comments")
def post_detail(request: HttpRequest, id: int) -> Post:
    user = _user(request)
    comments = restrict(user, Comment).order_by("created_at", "pk")
    posts = queries.with_media(user, queries.readable(user)).prefetch_related(
        Prefetch("comments", queryset=comments, to_attr="shown_comments")
    )
    post = posts.filter(pk=id).first()
    if post is None:
        raise Http404
    return post


@router.get("/photos/{id}", url_name="news_photo", summary="A photo (JPEG)", response={200: None})
def photo(request: HttpRequest, id: int) -> FileResponse:
    return stream_photo(get_or_404(_user(request), Photo, pk=id), thumbnail=False)


@router.get(
    "/photos/{id}/thumbnail",
    url_name="news_photo_thumbnail",
    summary="A photo's thumbnail (JPEG)",
    response={200: None},
)
def photo_thumbnail(request: HttpRequest, id: int) -> FileResponse:
    return stream_photo(get_or_404(_user(request), Photo, pk=id), thumbnail=True)


@router.get(
    "/attachments/{id}",
    url_name="news_attachment",
    summary="A post's PDF document",
    response={200: None},
)
def attachment(request: HttpRequest, id: int) -> FileResponse:
    return stream_attachment(get_or_404(_user(request), Attachment, pk=id))
