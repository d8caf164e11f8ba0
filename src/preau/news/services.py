"""The writes of a post's life: create, edit, publish or schedule, unpublish, delete,
announce; and a guardian's photo-consent choice.

Each is validated, transactional and audited; bad input raises ``NewsError`` with a
message for the person who typed it, and nothing is written. Photos, attachments and
comments have their own modules (``media.py``, ``comments.py``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from preau.core import audit
from preau.directory.models import Guardian, Municipality, Pupil, School, SchoolClass
from preau.news import consent, media, richtext, storage
from preau.news.audience import Target, reader_user_ids
from preau.news.errors import NewsError
from preau.news.media import Upload
from preau.news.models import PhotoConsentChoice, Post, PostRevision

TITLE_MAX = 200
TEXT_MAX = 20_000
SYSTEM_LABEL = "system"

__all__ = ["NewsError", "Upload"]


def _record(action: str, actor: Any, post: Post, request: HttpRequest | None, **data: Any) -> None:
    audit.record(
        action,
        actor=actor,
        actor_label="" if actor is not None else SYSTEM_LABEL,
        target=post,
        municipality_id=post.municipality_id,
        request=request,
        **data,
    )


def _clean(title: str, text: str) -> tuple[str, str, str]:
    title = " ".join(title.split())
    if not title:
        raise NewsError(_("A post needs a title."))
    if len(title) > TITLE_MAX:
        raise NewsError(
            _("The title is %(length)s characters long; the limit is %(limit)s.")
            % {"length": len(title), "limit": TITLE_MAX}
        )
    text = text.strip()
    if len(text) > TEXT_MAX:
        raise NewsError(
            _("The text is %(length)s characters long; the limit is %(limit)s.")
            % {"length": len(text), "limit": TEXT_MAX}
        )
    return title, text, richtext.render(text)


def create_post(
    *,
    actor: Any,
    target: Target,
    title: str,
    text: str,
    comments_enabled: bool = False,
    photos: Sequence[Upload] = (),
    attachments: Sequence[Upload] = (),
    request: HttpRequest | None = None,
) -> Post:
    """A draft for ``target`` (an audience the caller obtained from ``target_for``)."""
    title, text, html = _clean(title, text)
    obj = target.obj
    post = Post(
        audience=target.kind,
        municipality_id=obj.municipality_id,
        school_id=_school_of(obj),
        school_class_id=obj.pk if isinstance(obj, SchoolClass) else None,
        author=actor,
        title=title,
        text=text,
        html=html,
        comments_enabled=comments_enabled,
    )
    prepared = media.prepare(photos, attachments)
    with media.cleanup_on_failure() as stored, transaction.atomic():
        post.save()
        media.save_prepared(post, prepared, stored)
        _record(
            "news.post_created",
            actor,
            post,
            request,
            audience=post.audience,
            photos=len(prepared.photos),
            attachments=len(prepared.pdfs),
        )
    return post


def _school_of(obj: SchoolClass | School | Municipality) -> int | None:
    if isinstance(obj, SchoolClass):
        return obj.school_id
    return obj.pk if isinstance(obj, School) else None


def update_post(
    *,
    actor: Any,
    post: Post,
    title: str,
    text: str,
    comments_enabled: bool,
    request: HttpRequest | None = None,
) -> bool:
    """Save an edit; the previous wording is kept as a revision. False if nothing changed."""
    title, text, html = _clean(title, text)
    changed_words = (title, text) != (post.title, post.text)
    if not changed_words and comments_enabled == post.comments_enabled:
        return False
    with transaction.atomic():
        if changed_words:
            PostRevision.objects.create(
                post=post, title=post.title, text=post.text, html=post.html, edited_by=actor
            )
            post.title, post.text, post.html = title, text, html
            if post.status == Post.Status.PUBLISHED:
                post.edited_at = timezone.now()
        post.comments_enabled = comments_enabled
        post.save(
            update_fields=["title", "text", "html", "comments_enabled", "edited_at", "updated_at"]
        )
        _record("news.post_edited", actor, post, request, wording=changed_words)
    return True


def publish_post(
    *,
    actor: Any,
    post: Post,
    publish_at: dt.datetime | None = None,
    request: HttpRequest | None = None,
) -> Post:
    """Publish now, or at ``publish_at`` if it is in the future.

    Refused while a photo shows a pupil without photo consent, or says nobody which
    pupils appear in it.
    """
    if post.is_live:
        raise NewsError(_("This post is already published."))
    if publish_at is not None and timezone.is_naive(publish_at):
        raise NewsError(_("The publication date needs a time zone."))
    problems = media.consent_problems(post)
    if problems:
        raise NewsError(" ".join(problems))
    now = timezone.now()
    when = publish_at if publish_at is not None and publish_at > now else now
    with transaction.atomic():
        post.status = Post.Status.PUBLISHED
        post.publish_at = when
        post.save(update_fields=["status", "publish_at", "updated_at"])
        scheduled = when > now
        _record(
            "news.post_scheduled" if scheduled else "news.post_published",
            actor,
            post,
            request,
            publish_at=when.isoformat(),
        )
        if not scheduled:
            transaction.on_commit(lambda: _enqueue_announce(post.pk))
    return post


def _enqueue_announce(post_id: int) -> None:
    from preau.news.tasks import announce_post

    announce_post(post_id)


def unpublish_post(*, actor: Any, post: Post, request: HttpRequest | None = None) -> None:
    """Back to a draft: families stop seeing it (a schedule is cancelled)."""
    if post.status == Post.Status.DRAFT:
        return
    with transaction.atomic():
        post.status = Post.Status.DRAFT
        post.publish_at = None
        post.save(update_fields=["status", "publish_at", "updated_at"])
        _record("news.post_unpublished", actor, post, request)


def delete_post(*, actor: Any, post: Post, request: HttpRequest | None = None) -> None:
    """Delete a post with its files, revisions and comments; the audit keeps its words."""
    names = [n for p in post.photos.all() for n in (p.image.name, p.thumbnail.name)]
    names += [a.file.name for a in post.attachments.all()]
    with transaction.atomic():
        _record(
            "news.post_deleted",
            actor,
            post,
            request,
            title=post.title,
            text=post.text[:2000],
            audience=post.audience,
        )
        post.delete()
        storage.delete_after_commit(names)


# Announcing a post that went live ---------------------------------------------------


def announce(post_id: int) -> int:
    """Notify a live post's audience, once. Returns how many people were notified."""
    now = timezone.now()
    with transaction.atomic():
        claimed = Post.objects.filter(
            pk=post_id,
            status=Post.Status.PUBLISHED,
            publish_at__lte=now,
            announced_at__isnull=True,
        ).update(announced_at=now)
        if not claimed:
            return 0
        post = Post.objects.select_related("school_class", "school", "author").get(pk=post_id)
        readers = get_user_model().objects.filter(pk__in=reader_user_ids(post), is_active=True)
        return _notify_published(post, list(readers.only("pk", "is_active")))


def _notify_published(post: Post, readers: list[Any]) -> int:
    from preau.notifications.services import notify

    where = post.school_class.label if post.school_class is not None else ""
    title = f"{where} · {post.title}" if where else post.title
    return notify(
        recipients=readers,
        kind="news.published",
        title=title,
        url=reverse("news:detail", args=[post.pk]),
        body=richtext.plain(post.html, 300),
        actor=post.author,
        municipality_id=post.municipality_id,
    )


def announce_due_posts(limit: int = 200) -> int:
    """Announce the scheduled posts whose time has come (the periodic task)."""
    due = Post.objects.filter(
        status=Post.Status.PUBLISHED, publish_at__lte=timezone.now(), announced_at__isnull=True
    ).order_by("publish_at", "pk")
    return sum(announce(pk) for pk in due.values_list("pk", flat=True)[:limit])


# Photo consent ----------------------------------------------------------------------


def set_photo_consent(
    *,
    actor: Any,
    guardian: Guardian,
    pupil: Pupil,
    granted: bool,
    request: HttpRequest | None = None,
) -> bool:
    """Record a guardian's choice for their child; returns the consent now in force.

    The caller obtained ``pupil`` among the guardian's own children (the kernel).
    Withdrawing hides at once every published photo tagging the child (the access
    rule), and the authors of those posts are told.
    """
    if not guardian.links.filter(pupil=pupil).exists():
        raise NewsError(_("You can only decide for your own children."))
    with transaction.atomic():
        before = consent.effective(pupil)
        PhotoConsentChoice.objects.update_or_create(
            pupil=pupil, guardian=guardian, defaults={"granted": granted}
        )
        now_in_force = consent.write_pupil_consent(pupil)
        audit.record(
            "news.photo_consent_changed",
            actor=actor,
            target=pupil,
            municipality_id=pupil.municipality_id,
            request=request,
            granted=granted,
            in_force=now_in_force,
            guardian_id=guardian.pk,
        )
        if before and not now_in_force:
            media.tell_authors_of_hidden_photos(pupil)
    return now_in_force
