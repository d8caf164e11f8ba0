"""Access rules for the cahier de liaison, registered in the kernel (``preau.core.access``).

Actions on a note:

- ``view``   read it: its sender, the directors of its school, the teachers of a class it
  was sent to; the guardians of a child it was sent to (as frozen at sending) and that
  child, if they have an account;
- ``track``  see who read, signed and answered (the table and its exports): the sender,
  the school's directors, and the teachers of the classes it reached (those classes'
  rows only);
- ``change`` send reminders, move the deadline: the sender and the school's directors.

Guardians reach their own rows to sign (``change``) and see their co-guardians' rows for
the same child (``view``). City admins do not read schools' notes: what a family signs is
between the family and the school (see docs/liaison.md).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from preau.core import access
from preau.directory.models import SchoolClass, SchoolYear
from preau.directory.scope import Scope, scope_of
from preau.liaison.models import AnswerChange, Note, NoteGuardian, NoteRecipient

TRACK = "track"
NOTHING = Q(pk__in=[])


def _any(*qs: Q) -> Q:
    found = [q for q in qs if q is not NOTHING]
    if not found:
        return NOTHING
    combined = found[0]
    for q in found[1:]:
        combined |= q
    return combined


def _note_staff(user: Any, scope: Scope, prefix: str = "") -> Q:
    """Sender or director of the school: may track and change."""
    q = Q(**{f"{prefix}sender_id": user.pk})
    if scope.director_schools:
        q |= Q(**{f"{prefix}school_id__in": scope.director_schools})
    return q


def _recipient_staff(user: Any, scope: Scope) -> Q:
    """Rows a staff member may track: all of their notes', their classes' for the others."""
    q = _note_staff(user, scope, "note__")
    if scope.teacher_classes:
        q |= Q(school_class_id__in=scope.teacher_classes)
    return q


def _own_rows(scope: Scope) -> QuerySet[NoteGuardian]:
    """The user's own guardian rows (callers check that they are a guardian)."""
    assert scope.guardian_id is not None
    return NoteGuardian.objects.filter(guardian_id=scope.guardian_id)


def _note_rule(user: Any, qs: QuerySet[Note], action: str) -> QuerySet[Note]:
    scope = scope_of(user)
    staff = _note_staff(user, scope)
    if action == access.CHANGE:
        return qs.filter(staff)
    teachers = NOTHING
    if scope.teacher_classes:
        teachers = Q(
            pk__in=NoteRecipient.objects.filter(school_class_id__in=scope.teacher_classes).values(
                "note_id"
            )
        )
    if action == TRACK:
        return qs.filter(_any(staff, teachers))
    if action != access.VIEW:
        return qs.none()
    family = NOTHING
    if scope.guardian_id is not None:
        family = Q(pk__in=_own_rows(scope).values("recipient__note_id"))
    pupil = NOTHING
    if scope.pupil_id is not None:
        pupil = Q(pk__in=NoteRecipient.objects.filter(pupil_id=scope.pupil_id).values("note_id"))
    return qs.filter(_any(staff, teachers, family, pupil))


def _recipient_rule(user: Any, qs: QuerySet[NoteRecipient], action: str) -> QuerySet[NoteRecipient]:
    scope = scope_of(user)
    staff = _recipient_staff(user, scope)
    if action == TRACK:
        return qs.filter(staff)
    if action != access.VIEW:
        return qs.none()
    family = NOTHING
    if scope.guardian_id is not None:
        family = Q(pk__in=_own_rows(scope).values("recipient_id"))
    pupil = Q(pupil_id=scope.pupil_id) if scope.pupil_id is not None else NOTHING
    return qs.filter(_any(staff, family, pupil))


def _guardian_row_rule(
    user: Any, qs: QuerySet[NoteGuardian], action: str
) -> QuerySet[NoteGuardian]:
    scope = scope_of(user)
    own = Q(guardian_id=scope.guardian_id) if scope.guardian_id is not None else NOTHING
    if action == access.CHANGE:
        return qs.filter(own)
    staff = Q(
        recipient__in=NoteRecipient.objects.filter(_recipient_staff(user, scope)).values("pk")
    )
    if action == TRACK:
        return qs.filter(staff)
    if action != access.VIEW:
        return qs.none()
    co_guardians = NOTHING
    if scope.guardian_id is not None:
        co_guardians = Q(recipient_id__in=_own_rows(scope).values("recipient_id"))
    return qs.filter(_any(staff, co_guardians))


def _answer_change_rule(
    user: Any, qs: QuerySet[AnswerChange], action: str
) -> QuerySet[AnswerChange]:
    if action not in (access.VIEW, TRACK):
        return qs.none()
    rows = _guardian_row_rule(user, NoteGuardian.objects.all(), action)
    return qs.filter(row__in=rows.values("pk"))


access.register(Note, _note_rule)
access.register(NoteRecipient, _recipient_rule)
access.register(NoteGuardian, _guardian_row_rule)
access.register(AnswerChange, _answer_change_rule)


def sendable_classes(user: Any) -> QuerySet[SchoolClass]:
    """The classes of the current year ``user`` may send notes to: a teacher's own, a
    director's school's."""
    scope = scope_of(user)
    q = _any(
        Q(pk__in=scope.teacher_classes) if scope.teacher_classes else NOTHING,
        Q(school_id__in=scope.director_schools) if scope.director_schools else NOTHING,
    )
    year = SchoolYear.objects.filter(is_current=True).values("pk")
    return access.restrict(user, SchoolClass).filter(q, year__in=year)


def may_send(user: Any) -> bool:
    scope = scope_of(user)
    return bool(scope.teacher_classes or scope.director_schools)


def is_family(user: Any) -> bool:
    scope = scope_of(user)
    return scope.guardian_id is not None or scope.pupil_id is not None
