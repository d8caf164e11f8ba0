"""People as messaging sees them: their anchors in the directory, read in bulk.

``profiles_for(ids)`` costs four queries whatever the number of people: their accounts,
their staff memberships (teachers only in a class of the current school year), the open
enrolments of the children they are guardians of, and their own enrolment as a pupil.
A pupil who left, a past year's class or an ended enrolment gives no anchor: messaging
follows the directory as it is today.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Q

from preau.accounts.models import User
from preau.directory.models import Enrolment, Membership, Role
from preau.messaging.roles import Party
from preau.messaging.rules import Anchor, Profile

_PARTY_OF_ROLE: dict[str, str] = {
    Role.TEACHER: Party.TEACHER,
    Role.DIRECTOR: Party.DIRECTOR,
    Role.ERUN: Party.ERUN,
    Role.CITY_ADMIN: Party.CITY_ADMIN,
}
_CHUNK = 900


def display_name(first: str, last: str, username: str) -> str:
    return f"{first} {last}".strip() or username


def profiles_for(user_ids: Iterable[int]) -> dict[int, Profile]:
    ids = sorted(set(user_ids))
    profiles: dict[int, Profile] = {}
    for start in range(0, len(ids), _CHUNK):
        profiles.update(_profiles(ids[start : start + _CHUNK]))
    return profiles


def _profiles(ids: list[int]) -> dict[int, Profile]:
    if not ids:
        return {}
    anchors: dict[int, list[Anchor]] = defaultdict(list)
    _staff_anchors(ids, anchors)
    _guardian_anchors(ids, anchors)
    _pupil_anchors(ids, anchors)
    users = User.objects.filter(pk__in=ids).values_list(
        "pk", "first_name", "last_name", "username", "is_active"
    )
    return {
        pk: Profile(
            user_id=pk,
            name=display_name(first, last, username),
            anchors=tuple(dict.fromkeys(anchors.get(pk, ()))),
            active=active,
        )
        for pk, first, last, username, active in users
    }


def _staff_anchors(ids: list[int], anchors: dict[int, list[Anchor]]) -> None:
    rows = (
        Membership.objects.filter(user_id__in=ids, role__in=list(_PARTY_OF_ROLE))
        .filter(Q(school_class__isnull=True) | Q(school_class__year__is_current=True))
        .values_list(
            "user_id",
            "role",
            "municipality_id",
            "school_id",
            "school_class_id",
            "school__name",
            "school_class__label",
        )
    )
    for user_id, role, muni, school, klass, school_name, class_label in rows:
        anchors[user_id].append(
            Anchor(
                _PARTY_OF_ROLE[role],
                muni,
                school,
                klass,
                school_name=school_name or "",
                class_label=class_label or "",
            )
        )


def _open_enrolments() -> Q:
    return Q(ended_on__isnull=True, pupil__left_on__isnull=True)


def _guardian_anchors(ids: list[int], anchors: dict[int, list[Anchor]]) -> None:
    rows = Enrolment.objects.filter(
        _open_enrolments(), pupil__guardian_links__guardian__user_id__in=ids
    ).values_list(
        "pupil__guardian_links__guardian__user_id",
        "pupil__municipality_id",
        "pupil__school_id",
        "school_class_id",
        "pupil__school__name",
        "school_class__label",
        "pupil__first_name",
    )
    for user_id, muni, school, klass, school_name, class_label, first in rows:
        anchors[user_id].append(
            Anchor(
                Party.GUARDIAN,
                muni,
                school,
                klass,
                school_name=school_name,
                class_label=class_label,
                pupil_name=first,
            )
        )


def _pupil_anchors(ids: list[int], anchors: dict[int, list[Anchor]]) -> None:
    rows = Enrolment.objects.filter(_open_enrolments(), pupil__user_id__in=ids).values_list(
        "pupil__user_id",
        "pupil__municipality_id",
        "pupil__school_id",
        "school_class_id",
        "pupil__school__name",
        "school_class__label",
    )
    for user_id, muni, school, klass, school_name, class_label in rows:
        anchors[user_id].append(
            Anchor(
                Party.PUPIL,
                muni,
                school,
                klass,
                school_name=school_name,
                class_label=class_label,
            )
        )
