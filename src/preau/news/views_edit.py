"""Writing the news: choose an audience, write a draft, add and tag photos, publish or
schedule, edit with history, delete.

A post is reached only with the kernel's ``change`` right, an audience only among
those the user may post to: anything else is a 404 (a teacher asking for another
class's form gets the same answer as for a class that does not exist).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.uploadedfile import UploadedFile
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from preau.core.access import CHANGE, VIEW, get_or_404, restrict
from preau.news import media, services
from preau.news.audience import audience_pupils, target_for, targets
from preau.news.consent import pupils_without_consent
from preau.news.errors import NewsError
from preau.news.forms import MediaForm, NewPostForm, PhotoForm, PostForm, PublishForm
from preau.news.images import UploadRefused, max_attachment_bytes, max_photo_bytes
from preau.news.models import Attachment, Photo, Post, PostRevision


def _uploads(files: Sequence[UploadedFile], limit: int) -> list[media.Upload]:
    """The files' bytes; a file over the limit is refused before it is read."""
    found = []
    for f in files:
        name = f.name or "?"
        if f.size is not None and f.size > limit:
            raise NewsError(
                _("“%(name)s” weighs %(size)s MB; the limit is %(limit)s MB.")
                % {
                    "name": name,
                    "size": f"{f.size / (1024 * 1024):.1f}",
                    "limit": f"{limit / (1024 * 1024):.0f}",
                }
            )
        found.append(media.Upload(name, f.read()))
    return found


def _media(form: MediaForm) -> tuple[list[media.Upload], list[media.Upload]]:
    photos = _uploads(form.cleaned_data["photos"], max_photo_bytes())
    pdfs = _uploads(form.cleaned_data["attachments"], max_attachment_bytes())
    return photos, pdfs


def _editable(request: HttpRequest, pk: int) -> Post:
    return get_or_404(
        request.user, Post.objects.select_related("school_class", "school"), CHANGE, pk=pk
    )


@login_required
@require_GET
def new_index(request: HttpRequest) -> HttpResponse:
    found = targets(request.user)
    if not found:
        raise Http404
    return render(request, "news/new_index.html", {"targets": found})


@login_required
def new(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    target = target_for(request.user, kind, pk)
    if target is None:
        raise Http404
    form = NewPostForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            photos, pdfs = _media(form)
            post = services.create_post(
                actor=request.user,
                target=target,
                title=form.cleaned_data["title"],
                text=form.cleaned_data["text"],
                comments_enabled=form.cleaned_data["comments_enabled"],
                photos=photos,
                attachments=pdfs,
                request=request,
            )
        except (NewsError, UploadRefused) as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Draft saved. Check the photos, then publish."))
            return redirect("news:edit", post.pk)
    return render(request, "news/new.html", {"form": form, "target": target})


def _pupil_choices(post: Post) -> list[tuple[int, str]]:
    """The audience's pupils, first name and initial, flagged when consent is missing."""
    pupils = list(audience_pupils(post).order_by("first_name", "last_name").distinct())
    refused = pupils_without_consent(p.pk for p in pupils)
    flag = _("no photo consent")
    return [
        (
            p.pk,
            f"{p.first_name} {p.display_last_name[:1]}."
            + (f" — {flag}" if p.pk in refused else ""),
        )
        for p in pupils
    ]


def _photo_rows(post: Post, bound: dict[int, PhotoForm] | None = None) -> list[dict[str, Any]]:
    choices = _pupil_choices(post)
    problems = media.photo_problems(post)
    rows = []
    for number, photo in enumerate(post.photos.prefetch_related("pupils"), start=1):
        form = (bound or {}).get(photo.pk) or PhotoForm(
            prefix=f"photo{photo.pk}",
            choices=choices,
            initial={
                "caption": photo.caption,
                "no_pupils": photo.no_pupils,
                "pupils": [p.pk for p in photo.pupils.all()],
            },
        )
        rows.append(
            {
                "photo": photo,
                "form": form,
                "label": media.photo_label(number, photo),
                "problems": problems.get(photo.pk, []),
            }
        )
    return rows


def _edit_page(request: HttpRequest, post: Post, **forms: Any) -> HttpResponse:
    context = {
        "post": post,
        "form": forms.get("form")
        or PostForm(
            initial={
                "title": post.title,
                "text": post.text,
                "comments_enabled": post.comments_enabled,
            }
        ),
        "media_form": forms.get("media_form") or MediaForm(),
        "publish_form": forms.get("publish_form") or PublishForm(),
        "photo_rows": _photo_rows(post, forms.get("photo_forms")),
        "attachments": list(post.attachments.all()),
        "revision_count": post.revisions.count(),
    }
    return render(request, "news/edit.html", context)


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    post = _editable(request, pk)
    if request.method != "POST":
        return _edit_page(request, post)
    form = PostForm(request.POST)
    if form.is_valid():
        try:
            changed = services.update_post(
                actor=request.user, post=post, request=request, **form.cleaned_data
            )
        except NewsError as error:
            form.add_error(None, str(error))
        else:
            if changed:
                messages.success(request, _("Post saved."))
            return redirect("news:edit", post.pk)
    return _edit_page(request, post, form=form)


@login_required
@require_POST
def add_media(request: HttpRequest, pk: int) -> HttpResponse:
    post = _editable(request, pk)
    form = MediaForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            photos, pdfs = _media(form)
            added = media.add_media(
                actor=request.user, post=post, photos=photos, attachments=pdfs, request=request
            )
        except (NewsError, UploadRefused) as error:
            form.add_error(None, str(error))
        else:
            if added:
                messages.success(request, _("Added. Now say who appears in each photo."))
            return redirect("news:edit", post.pk)
    return _edit_page(request, post, media_form=form)


@login_required
@require_POST
def update_photo(request: HttpRequest, pk: int) -> HttpResponse:
    photo = get_or_404(request.user, Photo.objects.select_related("post"), CHANGE, pk=pk)
    choices = _pupil_choices(photo.post)
    form = PhotoForm(request.POST, prefix=f"photo{photo.pk}", choices=choices)
    if form.is_valid():
        try:
            problems = media.update_photo(
                actor=request.user,
                photo=photo,
                caption=form.cleaned_data["caption"],
                pupil_ids=form.cleaned_data["pupils"],
                no_pupils=form.cleaned_data["no_pupils"],
                request=request,
            )
        except NewsError as error:
            form.add_error(None, str(error))
        else:
            for problem in problems:
                messages.warning(request, problem)
            if not problems:
                messages.success(request, _("Photo saved."))
            return redirect(reverse("news:edit", args=[photo.post_id]) + f"#photo-{photo.pk}")
    return _edit_page(request, photo.post, photo_forms={photo.pk: form})


@login_required
@require_POST
def remove_photo(request: HttpRequest, pk: int) -> HttpResponse:
    photo = get_or_404(request.user, Photo.objects.select_related("post"), CHANGE, pk=pk)
    media.remove_photo(actor=request.user, photo=photo, request=request)
    messages.success(request, _("Photo removed."))
    return redirect("news:edit", photo.post_id)


@login_required
@require_POST
def remove_attachment(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = get_or_404(request.user, Attachment.objects.select_related("post"), CHANGE, pk=pk)
    media.remove_attachment(actor=request.user, attachment=attachment, request=request)
    messages.success(request, _("File removed."))
    return redirect("news:edit", attachment.post_id)


@login_required
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    post = _editable(request, pk)
    form = PublishForm(request.POST)
    if form.is_valid():
        try:
            services.publish_post(
                actor=request.user,
                post=post,
                publish_at=form.cleaned_data["publish_at"],
                request=request,
            )
        except NewsError as error:
            form.add_error(None, str(error))
        else:
            if post.is_scheduled:
                messages.success(request, _("Post scheduled."))
            else:
                messages.success(request, _("Post published."))
            return redirect("news:detail", post.pk)
    return _edit_page(request, post, publish_form=form)


@login_required
@require_POST
def unpublish(request: HttpRequest, pk: int) -> HttpResponse:
    post = _editable(request, pk)
    services.unpublish_post(actor=request.user, post=post, request=request)
    messages.success(request, _("The post is a draft again; families no longer see it."))
    return redirect("news:edit", post.pk)


@login_required
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    post = _editable(request, pk)
    if request.method == "POST":
        services.delete_post(actor=request.user, post=post, request=request)
        messages.success(request, _("Post deleted."))
        return redirect("news:mine")
    return render(request, "news/delete.html", {"post": post})


@login_required
@require_GET
def history(request: HttpRequest, pk: int) -> HttpResponse:
    post = _editable(request, pk)
    revisions = restrict(request.user, PostRevision, VIEW).filter(post=post)
    return render(
        request,
        "news/history.html",
        {"post": post, "revisions": list(revisions.select_related("edited_by"))},
    )


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    """The posts I may change: drafts, scheduled and published."""
    if not targets(request.user) and not restrict(request.user, Post, CHANGE).exists():
        raise Http404
    posts = (
        restrict(request.user, Post, CHANGE)
        .select_related("school_class", "school")
        .order_by("-updated_at", "-pk")
    )
    page = Paginator(posts, 25).get_page(request.GET.get("page"))
    return render(request, "news/mine.html", {"page_obj": page})
