"""One section of the home page per role; a user with several roles sees each of theirs.

Every builder takes the request and returns the template and context of its section.
Everything shown comes from the access kernel.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q
from django.http import HttpRequest

from preau.core.access import restrict
from preau.directory.models import (
    Guardian,
    Membership,
    Municipality,
    Pupil,
    Role,
    School,
    SchoolClass,
    Site,
)
from preau.directory.queries import (
    activation_by_class,
    current_enrolments,
    pupil_count,
    teachers_prefetch,
)
from preau.directory.scope import scope_of
from preau.news.queries import latest as latest_news


@dataclass(frozen=True)
class Section:
    template: str
    context: dict[str, Any]


def city_admin(request: HttpRequest) -> Section:
    user = request.user
    munis = scope_of(user).municipalities_with(Role.CITY_ADMIN)
    schools = restrict(user, School).filter(municipality_id__in=munis)
    classes = restrict(user, SchoolClass).filter(
        school__municipality_id__in=munis, year__is_current=True
    )
    guardians = (
        restrict(user, Guardian)
        .filter(municipality_id__in=munis)
        .aggregate(total=Count("pk"), active=Count("pk", filter=Q(user__isnull=False)))
    )
    teachers = (
        restrict(user, Membership)
        .filter(municipality_id__in=munis, role=Role.TEACHER, school_class__year__is_current=True)
        .values("user_id")
        .distinct()
        .count()
    )
    return Section(
        "home/sections/city_admin.html",
        {
            "municipalities": list(restrict(user, Municipality).filter(pk__in=munis)),
            "schools": schools.count(),
            "classes": classes.count(),
            "pupils": restrict(user, Pupil)
            .filter(municipality_id__in=munis, left_on__isnull=True)
            .count(),
            "teachers": teachers,
            "guardians": guardians,
            "schools_without_director": list(
                schools.annotate(
                    directors=Count("memberships", filter=Q(memberships__role=Role.DIRECTOR))
                ).filter(directors=0)
            ),
            "classes_without_teacher": list(
                classes.select_related("school")
                .annotate(teachers=Count("memberships", filter=Q(memberships__role=Role.TEACHER)))
                .filter(teachers=0)
                .order_by("school__name", "label")[:20]
            ),
        },
    )


def technician(request: HttpRequest) -> Section:
    user = request.user
    munis = scope_of(user).municipalities_with(Role.CITY_TECHNICIAN)
    return Section(
        "home/sections/technician.html",
        {
            "schools": restrict(user, School).filter(municipality_id__in=munis).count(),
            "sites": restrict(user, Site).filter(municipality_id__in=munis).count(),
        },
    )


def programme_officer(request: HttpRequest) -> Section:
    return Section("home/sections/programme_officer.html", {})


def erun(request: HttpRequest) -> Section:
    user = request.user
    schools = (
        restrict(user, School)
        .filter(pk__in=scope_of(user).erun_schools)
        .select_related("site")
        .annotate(
            class_count=Count("classes", filter=Q(classes__year__is_current=True), distinct=True)
        )
    )
    return Section("home/sections/erun.html", {"schools": list(schools)})


def director(request: HttpRequest) -> Section:
    user = request.user
    schools = list(restrict(user, School).filter(pk__in=scope_of(user).director_schools))
    classes = list(
        restrict(user, SchoolClass)
        .filter(school__in=schools, year__is_current=True)
        .annotate(pupil_count=pupil_count())
        .prefetch_related(teachers_prefetch())
        .order_by("label")
    )
    progress = activation_by_class(user, [c.pk for c in classes])
    for school in schools:
        school.current_classes = []  # type: ignore[attr-defined]
    by_pk = {s.pk: s for s in schools}
    for cls in classes:
        cls.activated, cls.guardian_count = progress.get(cls.pk, (0, 0))  # type: ignore[attr-defined]
        by_pk[cls.school_id].current_classes.append(cls)  # type: ignore[attr-defined]
    return Section("home/sections/director.html", {"schools": schools})


def teacher(request: HttpRequest) -> Section:
    user = request.user
    classes = list(
        restrict(user, SchoolClass)
        .filter(pk__in=scope_of(user).teacher_classes, year__is_current=True)
        .select_related("school")
        .order_by("label")
    )
    pupils = (
        restrict(user, Pupil)
        .filter(enrolments__school_class__in=classes, enrolments__ended_on__isnull=True)
        .values_list("enrolments__school_class_id", "pk", "first_name", "last_name", "usage_name")
    )
    by_class: dict[int, list[dict[str, Any]]] = {c.pk: [] for c in classes}
    for class_id, pk, first, last, usage in pupils:
        by_class[class_id].append({"pk": pk, "first_name": first, "last_name": usage or last})
    for cls in classes:
        cls.pupil_rows = by_class[cls.pk]  # type: ignore[attr-defined]
    return Section("home/sections/teacher.html", {"classes": classes})


def guardian(request: HttpRequest) -> Section:
    user = request.user
    children = (
        restrict(user, Pupil)
        .filter(pk__in=scope_of(user).children, left_on__isnull=True)
        .select_related("school")
        .only("pk", "first_name", "last_name", "usage_name", "school__name")
        .prefetch_related(current_enrolments(user, with_teachers=True))
        .order_by("first_name")
    )
    return Section(
        "home/sections/guardian.html",
        {"children": list(children), "news": latest_news(user)},
    )


def pupil(request: HttpRequest) -> Section:
    user = request.user
    pupil_id = scope_of(user).pupil_id
    classes = (
        restrict(user, SchoolClass)
        .filter(enrolments__pupil_id=pupil_id or 0, enrolments__ended_on__isnull=True)
        .select_related("school")
        .prefetch_related(teachers_prefetch())
    )
    return Section(
        "home/sections/pupil.html", {"classes": list(classes), "news": latest_news(user)}
    )


BUILDERS: list[tuple[str, Callable[[HttpRequest], Section]]] = [
    (Role.CITY_ADMIN, city_admin),
    (Role.CITY_TECHNICIAN, technician),
    (Role.PROGRAMME_OFFICER, programme_officer),
    (Role.ERUN, erun),
    (Role.DIRECTOR, director),
    (Role.TEACHER, teacher),
    ("guardian", guardian),
    ("pupil", pupil),
]


def sections_for(request: HttpRequest) -> list[Section]:
    roles = scope_of(request.user).roles
    return [build(request) for role, build in BUILDERS if role in roles]
