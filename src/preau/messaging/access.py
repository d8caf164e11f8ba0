"""Access rules of messaging, registered in the kernel (``preau.core.access``).

Conversation view:     its participants (a conversation whose only message still waits
                       for a teacher's approval: its author only); the director of its
                       school when it was reported or closed; the city admins of its
                       municipality when it was reported.
             moderate: (close, reopen) the director of its school, among those they see;
                       a city admin for a reported one of their municipality.
Message      view:     the sent messages of a conversation one sees; one's own (held or
                       rejected included).
             moderate: (approve, reject) a held message: the teachers of the pupil's
                       class, the director of the school.
Attachment   view:     as its message.
Participant  view, change: one's own rows (a conversation's participants are read
                       through a conversation obtained here).
AbuseReport  view:     one's own reports; the director of the school; the city admins.
             change:   (handle) the director of the school; the city admins.
MatrixRule   view, change: the city admins of the municipality.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from preau.core import access
from preau.directory.models import Role
from preau.directory.scope import Scope, scope_of
from preau.messaging.models import (
    AbuseReport,
    Attachment,
    Conversation,
    MatrixRule,
    Message,
    Participant,
)

MODERATE = "moderate"


def city_admin_municipalities(user: Any) -> frozenset[int]:
    return scope_of(user).municipalities_with(Role.CITY_ADMIN)


def _reported() -> Q:
    return Q(pk__in=AbuseReport.objects.values("message__conversation_id"))


def _participating(user: Any) -> Q:
    mine = Participant.objects.filter(user_id=user.pk).values("conversation_id")
    return Q(pk__in=mine) & (Q(last_message_at__isnull=False) | Q(created_by_id=user.pk))


def _moderated_by(scope: Scope, admins: frozenset[int]) -> Q:
    q = Q(pk__in=[])
    if scope.director_schools:
        q |= Q(school_id__in=scope.director_schools) & (_reported() | Q(closed_at__isnull=False))
    if admins:
        q |= Q(municipality_id__in=admins) & _reported()
    return q


def conversation_q(user: Any) -> Q:
    """What ``user`` may read, as a filter on conversations (used by messages too)."""
    scope = scope_of(user)
    return _participating(user) | _moderated_by(scope, city_admin_municipalities(user))


def _conversation_rule(user: Any, qs: QuerySet[Conversation], action: str) -> QuerySet[Any]:
    if action == access.VIEW:
        return qs.filter(conversation_q(user))
    if action == MODERATE:
        scope = scope_of(user)
        admins = city_admin_municipalities(user)
        q = Q(pk__in=[])
        if scope.director_schools:
            q |= Q(school_id__in=scope.director_schools)
        if admins:
            q |= Q(municipality_id__in=admins) & _reported()
        return qs.filter(q).filter(conversation_q(user))
    return qs.none()


def _held_for(scope: Scope) -> Q:
    q = Q(pk__in=[])
    if scope.teacher_classes:
        q |= Q(held_class_id__in=scope.teacher_classes)
    if scope.director_schools:
        q |= Q(conversation__school_id__in=scope.director_schools)
    return Q(status=Message.Status.HELD) & q


def _message_rule(user: Any, qs: QuerySet[Message], action: str) -> QuerySet[Any]:
    if action == MODERATE:
        return qs.filter(_held_for(scope_of(user)))
    if action != access.VIEW:
        return qs.none()
    readable = Conversation.objects.filter(conversation_q(user)).values("pk")
    sent = Q(status=Message.Status.SENT, conversation_id__in=readable)
    return qs.filter(sent | Q(sender_id=user.pk) | _held_for(scope_of(user)))


def _attachment_rule(user: Any, qs: QuerySet[Attachment], action: str) -> QuerySet[Any]:
    if action != access.VIEW:
        return qs.none()
    return qs.filter(message__in=_message_rule(user, Message.objects.all(), action).values("pk"))


def _participant_rule(user: Any, qs: QuerySet[Participant], action: str) -> QuerySet[Any]:
    if action not in (access.VIEW, access.CHANGE):
        return qs.none()
    return qs.filter(user_id=user.pk)


def _report_rule(user: Any, qs: QuerySet[AbuseReport], action: str) -> QuerySet[Any]:
    scope = scope_of(user)
    q = Q(school_id__in=scope.director_schools) | Q(
        municipality_id__in=city_admin_municipalities(user)
    )
    if action == access.VIEW:
        return qs.filter(q | Q(reporter_id=user.pk))
    if action == access.CHANGE:
        return qs.filter(q)
    return qs.none()


def _matrix_rule(user: Any, qs: QuerySet[MatrixRule], action: str) -> QuerySet[Any]:
    if action not in (access.VIEW, access.CHANGE):
        return qs.none()
    return qs.filter(municipality_id__in=city_admin_municipalities(user))


access.register(Conversation, _conversation_rule)
access.register(Message, _message_rule)
access.register(Attachment, _attachment_rule)
access.register(Participant, _participant_rule)
access.register(AbuseReport, _report_rule)
access.register(MatrixRule, _matrix_rule)
