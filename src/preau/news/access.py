"""Access rules of the news, registered in the kernel (``preau.core.access``).

Post     view:   its audience once live (guardians and pupils of the class, school or
                 city; staff of the school; city admins of the municipality), and
                 whoever may change it (drafts and scheduled posts included);
         change: its author while they may still post to that audience; the director
                 for their school's posts; a city admin for their city's posts.
Photo    view:   as its post, except that a photo tagging a pupil without photo consent,
                 or saying nobody who is in it, is shown only to those who may change
                 the post (so a withdrawal hides already-published photos at once, and
                 a photo added to a published post waits until it is described);
                 change: as its post.
Attachment, PostRevision: as their post (revisions only to those who may change it).
Comment  view:   visible comments of a readable post, one's own comments in any state,
                 every comment of a post one may change; change: who may change the post.
PhotoConsentChoice: a guardian's own; staff never reach guardians' choices here (they
                 read the consent in force on the pupil).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from preau.core import access
from preau.directory.scope import scope_of
from preau.news.audience import changeable, family_readers, staff_readers
from preau.news.consent import pupils_without_consent_qs
from preau.news.models import (
    Attachment,
    Comment,
    Photo,
    PhotoConsentChoice,
    Post,
    PostRevision,
    live,
)


def _post_rule(user: Any, qs: QuerySet[Post], action: str) -> QuerySet[Post]:
    scope = scope_of(user)
    editable = changeable(user, scope)
    if action == access.CHANGE:
        return qs.filter(editable)
    if action != access.VIEW:
        return qs.none()
    return qs.filter(editable | (live() & (family_readers(scope) | staff_readers(scope))))


_MEMO = "_preau_news_posts"


def _posts(user: Any, action: str) -> QuerySet[Post, Any]:
    """The pks of the posts ``user`` may act on, as a subquery for the other rules.

    Built once per user object, like the directory's scope: a page asks for posts,
    their photos, files and comments, and compiling the post rule (a dozen nested
    subqueries) each time cost more than running the SQL. Only ever used inside
    ``__in`` lookups, never evaluated itself.
    """
    memo: dict[str, QuerySet[Post, Any]] | None = getattr(user, _MEMO, None)
    if memo is None:
        memo = {}
        setattr(user, _MEMO, memo)
    if action not in memo:
        memo[action] = _post_rule(user, Post.objects.all(), action).values("pk")
    return memo[action]


def _photo_rule(user: Any, qs: QuerySet[Photo], action: str) -> QuerySet[Photo]:
    if action == access.CHANGE:
        return qs.filter(post__in=_posts(user, access.CHANGE))
    if action != access.VIEW:
        return qs.none()
    editable = _posts(user, access.CHANGE)
    return qs.filter(post__in=_posts(user, access.VIEW)).filter(
        Q(post__in=editable) | shown_to_families()
    )


def shown_to_families() -> Q:
    """Photos that say who is in them (pupils tagged, or "no pupil can be recognised")
    and tag no pupil without photo consent."""
    tags = Photo.pupils.through.objects
    tagged = tags.values("photo_id")
    refused = tags.filter(pupil__in=pupils_without_consent_qs()).values("photo_id")
    return (Q(no_pupils=True) | Q(pk__in=tagged)) & ~Q(pk__in=refused)


def _attachment_rule(user: Any, qs: QuerySet[Attachment], action: str) -> QuerySet[Attachment]:
    if action not in (access.VIEW, access.CHANGE):
        return qs.none()
    return qs.filter(post__in=_posts(user, action))


def _revision_rule(user: Any, qs: QuerySet[PostRevision], action: str) -> QuerySet[PostRevision]:
    if action != access.VIEW:
        return qs.none()
    return qs.filter(post__in=_posts(user, access.CHANGE))


def _comment_rule(user: Any, qs: QuerySet[Comment], action: str) -> QuerySet[Comment]:
    editable = _posts(user, access.CHANGE)
    if action == access.CHANGE:
        return qs.filter(post__in=editable)
    if action != access.VIEW:
        return qs.none()
    readable = _posts(user, access.VIEW)
    return qs.filter(
        Q(post__in=editable)
        | (Q(post__in=readable) & (Q(status=Comment.Status.VISIBLE) | Q(author_id=user.pk)))
    )


def _choice_rule(
    user: Any, qs: QuerySet[PhotoConsentChoice], action: str
) -> QuerySet[PhotoConsentChoice]:
    scope = scope_of(user)
    if scope.guardian_id is None or action not in (access.VIEW, access.CHANGE):
        return qs.none()
    return qs.filter(guardian_id=scope.guardian_id, pupil_id__in=scope.children)


access.register(Post, _post_rule)
access.register(Photo, _photo_rule)
access.register(Attachment, _attachment_rule)
access.register(PostRevision, _revision_rule)
access.register(Comment, _comment_rule)
access.register(PhotoConsentChoice, _choice_rule)
