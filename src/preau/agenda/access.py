"""Access rules for the agenda, registered in the kernel (``preau.core.access``).

view:   municipality events → everyone attached to the municipality (city staff, school
        staff, families); school events → the school's staff, the families of its
        pupils and the municipality's city staff; class events → the class's teachers,
        the school's director, the class's pupils and their guardians.
change: municipality events → city admins; school events → the school's director;
        class events → the class's teachers and the school's director.
Imports (``IcsImport``) follow the change rule of their class's events.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from preau.agenda.models import Event, IcsImport
from preau.core import access
from preau.directory.models import Enrolment, Pupil, Role, School, SchoolClass
from preau.directory.scope import Scope, scope_of

NOTHING = Q(pk__in=[])
MUNI, SCHOOL, CLASS = Event.Audience.MUNICIPALITY, Event.Audience.SCHOOL, Event.Audience.CLASS


def has_agenda(user: Any) -> bool:
    """Whether ``user`` has an agenda at all: a city role, a school, a class or a child."""
    scope = scope_of(user)
    return bool(scope.city_roles or scope.staff_schools or scope.children or scope.pupil_id)


def _own_pupils(scope: Scope) -> set[int]:
    return set(scope.children) | ({scope.pupil_id} if scope.pupil_id else set())


def _view_q(scope: Scope) -> Q:
    own = _own_pupils(scope)
    schools = scope.staff_schools
    munis = scope.city_municipalities
    q = NOTHING
    if munis:
        q |= Q(audience__in=(MUNI, SCHOOL), municipality_id__in=munis)
    if schools:
        staff_munis = School.objects.filter(pk__in=schools).values("municipality_id")
        q |= Q(audience=MUNI, municipality_id__in=staff_munis)
        q |= Q(audience=SCHOOL, school_id__in=schools)
    if scope.teacher_classes:
        q |= Q(audience=CLASS, school_class_id__in=scope.teacher_classes)
    if scope.director_schools:
        q |= Q(audience=CLASS, school_id__in=scope.director_schools)
    if own:
        pupils = Pupil.objects.filter(pk__in=own)
        classes = Enrolment.objects.filter(pupil_id__in=own, ended_on__isnull=True)
        q |= Q(audience=MUNI, municipality_id__in=pupils.values("municipality_id"))
        q |= Q(audience=SCHOOL, school_id__in=pupils.values("school_id"))
        q |= Q(audience=CLASS, school_class_id__in=classes.values("school_class_id"))
    return q


def _change_q(scope: Scope) -> Q:
    q = NOTHING
    admin_munis = scope.municipalities_with(Role.CITY_ADMIN)
    if admin_munis:
        q |= Q(audience=MUNI, municipality_id__in=admin_munis)
    if scope.director_schools:
        q |= Q(audience__in=(SCHOOL, CLASS), school_id__in=scope.director_schools)
    if scope.teacher_classes:
        q |= Q(audience=CLASS, school_class_id__in=scope.teacher_classes)
    return q


def _event_rule(user: Any, qs: QuerySet[Event], action: str) -> QuerySet[Event]:
    scope = scope_of(user)
    if action == access.VIEW:
        return qs.filter(_view_q(scope))
    if action == access.CHANGE:
        return qs.filter(_change_q(scope))
    return qs.none()


def agenda_classes(user: Any) -> QuerySet[SchoolClass]:
    """The classes whose agenda ``user`` writes (and may import .ics files into)."""
    scope = scope_of(user)
    q = Q(pk__in=scope.teacher_classes) | Q(school_id__in=scope.director_schools)
    return access.restrict(user, SchoolClass).filter(q)


def _import_rule(user: Any, qs: QuerySet[IcsImport], action: str) -> QuerySet[IcsImport]:
    if action not in (access.VIEW, access.CHANGE):
        return qs.none()
    return qs.filter(school_class__in=agenda_classes(user).values("pk"))


access.register(Event, _event_rule)
access.register(IcsImport, _import_rule)
