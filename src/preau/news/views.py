"""Reading the news: my timeline, a class's or a school's news, one post, its files.

Every post, photo and file comes through the access kernel: someone else's is a 404,
like a missing one. Files are streamed from the storage, never from a public URL.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from preau.core.access import CHANGE, get_or_404, restrict
from preau.directory.models import School, SchoolClass
from preau.news import queries
from preau.news.audience import may_post_somewhere, target_for
from preau.news.comments import may_comment
from preau.news.forms import CommentForm
from preau.news.models import Attachment, Audience, Comment, Photo, Post

PAGE_SIZE = 10


def _page(request: HttpRequest, posts: QuerySet[Post]) -> Any:
    page = Paginator(posts, PAGE_SIZE).get_page(request.GET.get("page"))
    editable = set(
        restrict(request.user, Post, CHANGE)
        .filter(pk__in=[p.pk for p in page.object_list])
        .values_list("pk", flat=True)
    )
    for post in page.object_list:
        post.may_change = post.pk in editable
    return page


def _listing(request: HttpRequest, posts: QuerySet[Post], **context: Any) -> HttpResponse:
    page = _page(request, queries.with_media(request.user, posts))
    context.setdefault("may_post", may_post_somewhere(request.user))
    return render(request, "news/list.html", {"page_obj": page, "posts": page, **context})


@login_required
@require_GET
def timeline(request: HttpRequest) -> HttpResponse:
    return _listing(request, queries.readable(request.user), heading=None)


@login_required
@require_GET
def class_news(request: HttpRequest, pk: int) -> HttpResponse:
    school_class = get_or_404(request.user, SchoolClass.objects.select_related("school"), pk=pk)
    posts = queries.readable(request.user).filter(
        audience=Audience.CLASS, school_class=school_class
    )
    target = target_for(request.user, Audience.CLASS, school_class.pk)
    return _listing(request, posts, heading=school_class, target=target)


@login_required
@require_GET
def school_news(request: HttpRequest, pk: int) -> HttpResponse:
    school = get_or_404(request.user, School, pk=pk)
    posts = queries.readable(request.user).filter(school=school)
    target = target_for(request.user, Audience.SCHOOL, school.pk)
    return _listing(request, posts, heading=school, target=target)


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_or_404(
        request.user, Post.objects.select_related("school_class", "school", "author"), pk=pk
    )
    user = request.user
    may_change = restrict(user, Post, CHANGE).filter(pk=post.pk).exists()
    comments = restrict(user, Comment).filter(post=post).order_by("created_at", "pk")
    return render(
        request,
        "news/detail.html",
        {
            "post": post,
            "may_change": may_change,
            "photos": list(restrict(user, Photo).filter(post=post).order_by("position", "pk")),
            "attachments": list(restrict(user, Attachment).filter(post=post)),
            "comments": list(comments),
            "may_comment": may_comment(user, post),
            "comment_form": CommentForm(),
        },
    )


def _stream(name: str, content_type: str, **kwargs: Any) -> FileResponse:
    try:
        handle = default_storage.open(name, "rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    response = FileResponse(handle, content_type=content_type, **kwargs)
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def stream_photo(photo: Photo, thumbnail: bool) -> FileResponse:
    name = photo.thumbnail.name if thumbnail and photo.thumbnail else photo.image.name
    return _stream(name, "image/jpeg")


def stream_attachment(attachment: Attachment) -> FileResponse:
    return _stream(
        attachment.file.name,
        "application/pdf",
        as_attachment=True,
        filename=attachment.filename,
    )


@login_required
@require_GET
def photo_file(request: HttpRequest, pk: int) -> FileResponse:
    return stream_photo(get_or_404(request.user, Photo, pk=pk), thumbnail=False)


@login_required
@require_GET
def photo_thumbnail(request: HttpRequest, pk: int) -> FileResponse:
    return stream_photo(get_or_404(request.user, Photo, pk=pk), thumbnail=True)


@login_required
@require_GET
def attachment_file(request: HttpRequest, pk: int) -> FileResponse:
    return stream_attachment(get_or_404(request.user, Attachment, pk=pk))
