"""The recipient picker: the people a user may write to, and nobody else.

Candidates are first narrowed in three queries to the people who stand where the matrix
could let the sender reach them (their classes, schools or municipality, party by
party), then each candidate is judged by ``may_write`` itself: the picker can never
offer someone the service would refuse. About a dozen queries whatever the school's
size; a director's whole school (a few hundred families) is judged in milliseconds.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from preau.core.search import fold
from preau.directory.models import Enrolment, Membership, Role
from preau.messaging.matrix import load_matrix
from preau.messaging.people import profiles_for
from preau.messaging.roles import STAFF_PARTIES, Party, Reach
from preau.messaging.rules import Anchor, Matrix, Profile, may_write

_ROLE_OF_PARTY = {
    Party.TEACHER: Role.TEACHER,
    Party.DIRECTOR: Role.DIRECTOR,
    Party.ERUN: Role.ERUN,
    Party.CITY_ADMIN: Role.CITY_ADMIN,
}
GROUP_ORDER = (Party.TEACHER, Party.DIRECTOR, Party.ERUN, Party.CITY_ADMIN)


@dataclass(frozen=True)
class Candidate:
    user_id: int
    name: str
    detail: str  # "teacher · CM1 B", "guardian of Léa (CP A)"
    party: str
    sort_key: tuple[str, ...]

    def matches(self, words: list[str]) -> bool:
        haystack = fold(f"{self.name} {self.detail}")
        return all(w in haystack for w in words)


@dataclass
class _Reach:
    classes: set[int]
    schools: set[int]
    municipalities: set[int]

    def q(self, prefix: str, class_field: str) -> Q:
        q = Q(pk__in=[])
        if self.classes:
            q |= Q(**{f"{class_field}__in": self.classes})
        if self.schools:
            q |= Q(**{f"{prefix}school_id__in": self.schools})
        if self.municipalities:
            q |= Q(**{f"{prefix}municipality_id__in": self.municipalities})
        return q

    def __bool__(self) -> bool:
        return bool(self.classes or self.schools or self.municipalities)


def _reaches(me: Profile, matrix: Matrix) -> dict[str, _Reach]:
    """For each recipient party, where its people must stand to possibly be reachable."""
    reaches: dict[str, _Reach] = {}
    for party in Party.values:
        r = _Reach(set(), set(), set())
        for a in me.anchors:
            widest = matrix.widest(a.municipality_id, a.school_id, (a.party, party))
            if widest == Reach.CLASS and a.class_id is not None:
                r.classes.add(a.class_id)
            elif widest == Reach.SCHOOL and a.school_id is not None:
                r.schools.add(a.school_id)
            elif widest == Reach.MUNICIPALITY or (widest != Reach.NONE and a.school_id is None):
                r.municipalities.add(a.municipality_id)
        reaches[party] = r
    return reaches


def _candidate_ids(reaches: dict[str, _Reach]) -> set[int]:
    ids: set[int] = set()
    staff_q = Q(pk__in=[])
    for party, role in _ROLE_OF_PARTY.items():
        if reaches[party]:
            staff_q |= Q(role=role) & reaches[party].q("", "school_class_id")
    if staff_q != Q(pk__in=[]):
        ids |= set(
            Membership.objects.filter(staff_q)
            .filter(Q(school_class__isnull=True) | Q(school_class__year__is_current=True))
            .values_list("user_id", flat=True)
        )
    open_enrolments = Enrolment.objects.filter(ended_on__isnull=True, pupil__left_on__isnull=True)
    if reaches[Party.GUARDIAN]:
        ids |= set(
            open_enrolments.filter(
                reaches[Party.GUARDIAN].q("pupil__", "school_class_id"),
                pupil__guardian_links__guardian__user__isnull=False,
            ).values_list("pupil__guardian_links__guardian__user_id", flat=True)
        )
    if reaches[Party.PUPIL]:
        ids |= set(
            open_enrolments.filter(
                reaches[Party.PUPIL].q("pupil__", "school_class_id"), pupil__user__isnull=False
            ).values_list("pupil__user_id", flat=True)
        )
    return ids


def _describe(profile: Profile, show_children: bool) -> tuple[str, str]:
    """What to show beside a name, and the picker group it belongs to."""
    details: list[str] = []
    party = ""
    for a in sorted(
        profile.anchors, key=lambda a: GROUP_ORDER.index(a.party) if a.party in GROUP_ORDER else 9
    ):
        party = party or a.party
        details.append(_anchor_text(a, show_children))
    return " · ".join(dict.fromkeys(details)), party


def _anchor_text(a: Anchor, show_children: bool) -> str:
    if a.party == Party.GUARDIAN:
        if show_children and a.pupil_name:
            return _("guardian of %(child)s (%(klass)s)") % {
                "child": a.pupil_name,
                "klass": a.class_label,
            }
        return _("guardian (%(klass)s)") % {"klass": a.class_label}
    if a.party in (Party.TEACHER, Party.PUPIL):
        return f"{Party(a.party).label} · {a.class_label}"
    if a.party in (Party.DIRECTOR, Party.ERUN):
        return f"{Party(a.party).label} · {a.school_name}"
    return str(Party(a.party).label)


def allowed_recipients(user: Any, query: str = "") -> list[Candidate]:
    """Everyone ``user`` may write to (filtered by ``query``), teachers and staff first."""
    me = profiles_for([user.pk]).get(user.pk)
    if me is None or not me.anchors:
        return []
    matrix = load_matrix({a.municipality_id for a in me.anchors})
    ids = _candidate_ids(_reaches(me, matrix)) - {user.pk}
    show_children = bool(me.parties & STAFF_PARTIES)
    words = fold(query).split()
    found: list[Candidate] = []
    for profile in profiles_for(ids).values():
        if not may_write(me, profile, matrix).allowed:
            continue
        detail, party = _describe(profile, show_children)
        rank = str(GROUP_ORDER.index(party)) if party in GROUP_ORDER else "9"
        candidate = Candidate(
            profile.user_id, profile.name, detail, party, (rank, detail, fold(profile.name))
        )
        if candidate.matches(words):
            found.append(candidate)
    return sorted(found, key=lambda c: c.sort_key)


def grouped(candidates: list[Candidate]) -> dict[str, list[Candidate]]:
    groups: dict[str, list[Candidate]] = defaultdict(list)
    for c in candidates:
        groups[c.party].append(c)
    return dict(groups)
