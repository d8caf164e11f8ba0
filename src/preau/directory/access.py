"""Access rules for the directory, registered in the kernel (``preau.core.access``).

view:   city roles → their municipality; directors and ERUN → their schools; teachers →
        their classes (and the school around them); guardians → their own children;
        pupils → themselves. ERUN never see pupils or guardians (they need not).
change: city admins → their municipality; directors → their school (import, letters).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from preau.core import access
from preau.directory.models import (
    Enrolment,
    Guardian,
    GuardianLink,
    Membership,
    Municipality,
    OndeImport,
    Pupil,
    Role,
    Room,
    School,
    SchoolClass,
    SchoolGroup,
    Site,
)
from preau.directory.scope import Scope, scope_of

NOTHING = Q(pk__in=[])


def _admin_munis(scope: Scope) -> frozenset[int]:
    return scope.municipalities_with(Role.CITY_ADMIN)


def _city(scope: Scope, action: str) -> frozenset[int]:
    return scope.city_municipalities if action == access.VIEW else _admin_munis(scope)


def _current_class_ids_of(pupils: frozenset[int]) -> QuerySet[Any]:
    return Enrolment.objects.filter(pupil_id__in=pupils, ended_on__isnull=True).values(
        "school_class_id"
    )


def _pupil_rule(user: Any, qs: QuerySet[Pupil], action: str) -> QuerySet[Pupil]:
    scope = scope_of(user)
    q = Q(municipality_id__in=_city(scope, action)) | Q(school_id__in=scope.director_schools)
    if action == access.VIEW:
        q |= Q(
            pk__in=Enrolment.objects.filter(
                school_class_id__in=scope.teacher_classes, ended_on__isnull=True
            ).values("pupil_id")
        )
        q |= Q(pk__in=scope.children)
        if scope.pupil_id is not None:
            q |= Q(pk=scope.pupil_id)
    return qs.filter(q)


def _guardian_rule(user: Any, qs: QuerySet[Guardian], action: str) -> QuerySet[Guardian]:
    scope = scope_of(user)
    q = Q(municipality_id__in=_city(scope, action))
    q |= Q(
        pk__in=GuardianLink.objects.filter(pupil__school_id__in=scope.director_schools).values(
            "guardian_id"
        )
    )
    if action == access.VIEW:
        q |= Q(
            pk__in=GuardianLink.objects.filter(
                pupil_id__in=Enrolment.objects.filter(
                    school_class_id__in=scope.teacher_classes, ended_on__isnull=True
                ).values("pupil_id")
            ).values("guardian_id")
        )
        if scope.guardian_id is not None:
            q |= Q(pk=scope.guardian_id)
    return qs.filter(q)


def _class_rule(user: Any, qs: QuerySet[SchoolClass], action: str) -> QuerySet[SchoolClass]:
    scope = scope_of(user)
    q = Q(school__municipality_id__in=_city(scope, action)) | Q(
        school_id__in=scope.director_schools
    )
    if action == access.VIEW:
        q |= Q(school_id__in=scope.erun_schools) | Q(pk__in=scope.teacher_classes)
        own = scope.children | ({scope.pupil_id} if scope.pupil_id else set())
        if own:
            q |= Q(pk__in=_current_class_ids_of(frozenset(own)))
    return qs.filter(q)


def _school_rule(user: Any, qs: QuerySet[School], action: str) -> QuerySet[School]:
    scope = scope_of(user)
    q = Q(municipality_id__in=_city(scope, action)) | Q(pk__in=scope.director_schools)
    if action == access.VIEW:
        q |= Q(pk__in=scope.erun_schools | scope.teacher_schools)
        own = scope.children | ({scope.pupil_id} if scope.pupil_id else set())
        if own:
            q |= Q(pk__in=Pupil.objects.filter(pk__in=own).values("school_id"))
    return qs.filter(q)


def _site_rule(user: Any, qs: QuerySet[Site], action: str) -> QuerySet[Site]:
    scope = scope_of(user)
    q = Q(municipality_id__in=_city(scope, action))
    if action == access.VIEW:
        q |= Q(schools__in=scope.staff_schools)
    return qs.filter(q).distinct() if action == access.VIEW else qs.filter(q)


def _room_rule(user: Any, qs: QuerySet[Room], action: str) -> QuerySet[Room]:
    return qs.filter(site__in=_site_rule(user, Site.objects.all(), action).values("pk"))


def _group_rule(user: Any, qs: QuerySet[SchoolGroup], action: str) -> QuerySet[SchoolGroup]:
    scope = scope_of(user)
    q = Q(municipality_id__in=_city(scope, action))
    if action == access.VIEW:
        q |= Q(schools__in=scope.staff_schools)
    return qs.filter(q).distinct()


def _municipality_rule(
    user: Any, qs: QuerySet[Municipality], action: str
) -> QuerySet[Municipality]:
    scope = scope_of(user)
    q = Q(pk__in=_city(scope, action))
    if action == access.VIEW:
        q |= Q(schools__in=scope.staff_schools)
    return qs.filter(q).distinct()


def _membership_rule(user: Any, qs: QuerySet[Membership], action: str) -> QuerySet[Membership]:
    scope = scope_of(user)
    q = Q(municipality_id__in=_admin_munis(scope)) | Q(user=user)
    if action == access.VIEW:
        q |= Q(municipality_id__in=scope.city_municipalities)
        q |= Q(school_id__in=scope.director_schools)
    else:
        q = Q(municipality_id__in=_admin_munis(scope))
    return qs.filter(q)


def _link_rule(user: Any, qs: QuerySet[GuardianLink], action: str) -> QuerySet[GuardianLink]:
    return qs.filter(pupil__in=_pupil_rule(user, Pupil.objects.all(), action).values("pk"))


def _enrolment_rule(user: Any, qs: QuerySet[Enrolment], action: str) -> QuerySet[Enrolment]:
    return qs.filter(pupil__in=_pupil_rule(user, Pupil.objects.all(), action).values("pk"))


access.register(Pupil, _pupil_rule)
access.register(Guardian, _guardian_rule)
access.register(SchoolClass, _class_rule)
access.register(School, _school_rule)
access.register(Site, _site_rule)
access.register(Room, _room_rule)
access.register(SchoolGroup, _group_rule)
access.register(Municipality, _municipality_rule)
access.register(Membership, _membership_rule)
access.register(GuardianLink, _link_rule)
access.register(Enrolment, _enrolment_rule)


def _onde_import_rule(user: Any, qs: QuerySet[OndeImport], action: str) -> QuerySet[OndeImport]:
    """An ONDE upload is reached only by those who may change its school (import rights)."""
    return qs.filter(school__in=_school_rule(user, School.objects.all(), access.CHANGE))


access.register(OndeImport, _onde_import_rule)
