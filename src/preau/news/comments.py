"""Comments on a post: allowed per post by its author, written by the post's families.

Moderation: a guardian's comment is shown at once (the author can hide or delete it
afterwards); a pupil's comment waits for the author's approval, since pupils are
children writing to their whole class. The author (or whoever may change the post)
sees every comment and moderates; a commenter may delete their own comment.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from preau.core import access, audit
from preau.directory.scope import scope_of
from preau.news.audience import family_readers
from preau.news.errors import NewsError
from preau.news.models import Comment, Post

COMMENT_MAX = 2000
MODERATION_ACTIONS = ("approve", "hide", "show", "delete")


def may_moderate(user: Any, post: Post) -> bool:
    return access.restrict(user, Post, access.CHANGE).filter(pk=post.pk).exists()


def may_comment(user: Any, post: Post) -> bool:
    """Comments are open, the post is live, and ``user`` is of its families or may
    change it (staff who only read a school's posts do not comment)."""
    if not post.comments_enabled or not post.is_live:
        return False
    if may_moderate(user, post):
        return True
    return Post.objects.filter(pk=post.pk).filter(family_readers(scope_of(user))).exists()


def _held_for_moderation(user: Any, post: Post) -> bool:
    scope = scope_of(user)
    return scope.pupil_id is not None and scope.guardian_id is None and not may_moderate(user, post)


def add_comment(
    *, actor: Any, post: Post, text: str, request: HttpRequest | None = None
) -> Comment:
    text = text.strip()
    if not text:
        raise NewsError(_("A comment cannot be empty."))
    if len(text) > COMMENT_MAX:
        raise NewsError(
            _("A comment has at most %(limit)s characters (this one has %(length)s).")
            % {"limit": COMMENT_MAX, "length": len(text)}
        )
    if not post.comments_enabled or not post.is_live:
        raise NewsError(_("Comments are closed on this post."))
    if not may_comment(actor, post):
        raise NewsError(_("Only the families this post is for can comment on it."))
    held = _held_for_moderation(actor, post)
    scope = scope_of(actor)
    name = actor.first_name if scope.pupil_id and not scope.guardian_id else actor.display_name
    with transaction.atomic():
        comment = Comment.objects.create(
            post=post,
            author=actor,
            author_name=(name or actor.get_username())[:200],
            text=text,
            status=Comment.Status.PENDING if held else Comment.Status.VISIBLE,
        )
        audit.record(
            "news.comment_added",
            actor=actor,
            target=post,
            municipality_id=post.municipality_id,
            request=request,
            comment=comment.pk,
            held=held,
        )
        if held and post.author is not None:
            _tell_author(post, post.author)
    return comment


def _tell_author(post: Post, author: Any) -> None:
    from preau.notifications.services import notify

    notify(
        recipients=[author],
        kind="news.comment_pending",
        title=_("A comment awaits your approval on “%(title)s”.") % {"title": post.title},
        url=reverse("news:detail", args=[post.pk]) + "#comments",
        municipality_id=post.municipality_id,
    )


def moderate_comment(
    *, actor: Any, comment: Comment, action: str, request: HttpRequest | None = None
) -> None:
    """Approve, hide, show again or delete a comment (the caller may change its post)."""
    if action not in MODERATION_ACTIONS:
        raise NewsError(_("Unknown moderation action."))
    with transaction.atomic():
        audit.record(
            f"news.comment_{'deleted' if action == 'delete' else 'moderated'}",
            actor=actor,
            target=comment.post,
            municipality_id=comment.post.municipality_id,
            request=request,
            comment=comment.pk,
            moderation=action,
            **({"text": comment.text, "by": comment.author_name} if action == "delete" else {}),
        )
        if action == "delete":
            comment.delete()
            return
        comment.status = Comment.Status.HIDDEN if action == "hide" else Comment.Status.VISIBLE
        comment.moderated_at = timezone.now()
        comment.save(update_fields=["status", "moderated_at"])


def delete_own_comment(*, actor: Any, comment: Comment, request: HttpRequest | None = None) -> None:
    if comment.author_id != actor.pk:
        raise NewsError(_("You can only delete your own comments."))
    with transaction.atomic():
        audit.record(
            "news.comment_deleted",
            actor=actor,
            target=comment.post,
            municipality_id=comment.post.municipality_id,
            request=request,
            comment=comment.pk,
            moderation="own",
        )
        comment.delete()
