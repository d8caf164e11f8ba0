"""What a user reaches in the directory, computed once per request from their links."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from preau.directory.models import (
    CITY_ROLES,
    Enrolment,
    Guardian,
    GuardianLink,
    Membership,
    Pupil,
    Role,
)

_CACHE_ATTR = "_preau_scope"


@dataclass(frozen=True)
class Scope:
    city_roles: dict[int, frozenset[str]] = field(default_factory=dict)  # municipality → roles
    director_schools: frozenset[int] = frozenset()
    erun_schools: frozenset[int] = frozenset()
    teacher_classes: frozenset[int] = frozenset()
    teacher_schools: frozenset[int] = frozenset()
    guardian_id: int | None = None
    children: frozenset[int] = frozenset()  # pupils the user is a legal guardian of
    pupil_id: int | None = None

    @property
    def city_municipalities(self) -> frozenset[int]:
        return frozenset(self.city_roles)

    def municipalities_with(self, *roles: str) -> frozenset[int]:
        return frozenset(m for m, held in self.city_roles.items() if held & set(roles))

    @property
    def staff_schools(self) -> frozenset[int]:
        return self.director_schools | self.erun_schools | self.teacher_schools

    @property
    def roles(self) -> set[str]:
        held: set[str] = set()
        for roles in self.city_roles.values():
            held |= roles
        if self.director_schools:
            held.add(Role.DIRECTOR)
        if self.erun_schools:
            held.add(Role.ERUN)
        if self.teacher_classes:
            held.add(Role.TEACHER)
        if self.guardian_id is not None:
            held.add("guardian")
        if self.pupil_id is not None:
            held.add("pupil")
        return held

    @property
    def is_city_staff(self) -> bool:
        return bool(self.city_roles)

    @property
    def is_staff_member(self) -> bool:
        return bool(self.city_roles or self.staff_schools)


def scope_of(user: Any) -> Scope:
    if not getattr(user, "is_authenticated", False):
        return Scope()
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = _compute(user)
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget_scope(user: Any) -> None:
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def _compute(user: Any) -> Scope:
    city: dict[int, set[str]] = {}
    director: set[int] = set()
    erun: set[int] = set()
    classes: set[int] = set()
    teacher_schools: set[int] = set()
    for role, municipality_id, school_id, class_id in Membership.objects.filter(
        user=user
    ).values_list("role", "municipality_id", "school_id", "school_class_id"):
        if role in CITY_ROLES:
            city.setdefault(municipality_id, set()).add(role)
        elif role == Role.DIRECTOR:
            director.add(school_id)
        elif role == Role.ERUN:
            erun.add(school_id)
        elif role == Role.TEACHER:
            classes.add(class_id)
            teacher_schools.add(school_id)
    guardian_id = Guardian.objects.filter(user=user).values_list("pk", flat=True).first()
    children: frozenset[int] = frozenset()
    if guardian_id is not None:
        children = frozenset(
            GuardianLink.objects.filter(guardian_id=guardian_id).values_list("pupil_id", flat=True)
        )
    pupil_id = Pupil.objects.filter(user=user).values_list("pk", flat=True).first()
    return Scope(
        city_roles={m: frozenset(r) for m, r in city.items()},
        director_schools=frozenset(director),
        erun_schools=frozenset(erun),
        teacher_classes=frozenset(classes),
        teacher_schools=frozenset(teacher_schools),
        guardian_id=guardian_id,
        children=children,
        pupil_id=pupil_id,
    )


def open_enrolments() -> Any:
    return Enrolment.objects.filter(ended_on__isnull=True)
