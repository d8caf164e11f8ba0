"""Browsing the directory: lists and detail pages for every role.

Every object comes from the access kernel (``restrict`` / ``get_or_404``), so each page
shows the same thing to a city admin, a director, a teacher or a guardian: what they may
see of it. Names of the staff attached to a school or class (directors, teachers) are
shown with the school or class: they are part of what a visible class is.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from preau.core import audit
from preau.core.access import CHANGE, can, get_or_404, restrict
from preau.directory.filters import (
    PAGE_SIZE,
    ClassFilter,
    FilterForm,
    GuardianFilter,
    PupilFilter,
    SchoolFilter,
    SiteFilter,
)
from preau.directory.models import (
    Enrolment,
    Guardian,
    Municipality,
    Pupil,
    Role,
    Room,
    School,
    SchoolClass,
    SchoolGroup,
    Site,
)
from preau.directory.navigation import sees_people
from preau.directory.queries import current_enrolments, pupil_count, teachers_prefetch
from preau.directory.scope import scope_of

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def paginate(request: HttpRequest, qs: QuerySet[Any]) -> Page[Any]:
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


def _list_page(
    request: HttpRequest,
    template: str,
    form: FilterForm,
    qs: QuerySet[Any],
    heading: StrOrPromise,
    **extra: Any,
) -> HttpResponse:
    page = paginate(request, form.apply(qs))
    extra["heading"] = heading
    return render(request, template, {"form": form, "page_obj": page, **extra})


@login_required
def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    scope = scope_of(user)
    schools = restrict(user, School).select_related("site")
    groups = restrict(user, SchoolGroup).prefetch_related(
        Prefetch("schools", queryset=schools, to_attr="visible_schools")
    )
    people = sees_people(scope)
    figures = {
        "schools": schools.count(),
        "sites": restrict(user, Site).count(),
        "classes": restrict(user, SchoolClass).filter(year__is_current=True).count(),
        "pupils": restrict(user, Pupil).filter(left_on__isnull=True).count() if people else None,
        "guardians": restrict(user, Guardian).count() if people else None,
    }
    return render(
        request,
        "directory/index.html",
        {
            "municipalities": list(restrict(user, Municipality)),
            "figures": figures,
            "groups": list(groups),
            "ungrouped": list(schools.filter(group__isnull=True)),
            "sites": list(restrict(user, Site)),
            "people": people,
        },
    )


@login_required
def school_list(request: HttpRequest) -> HttpResponse:
    qs = (
        restrict(request.user, School)
        .select_related("group", "site")
        .annotate(
            class_count=Count("classes", filter=Q(classes__year__is_current=True), distinct=True)
        )
        .order_by("name", "pk")
    )
    return _list_page(
        request,
        "directory/school_list.html",
        SchoolFilter(request.user, request.GET),
        qs,
        _("Schools"),
    )


@login_required
def school_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    school = get_or_404(user, School.objects.select_related("group", "site", "municipality"), pk=pk)
    classes = (
        restrict(user, SchoolClass)
        .filter(school=school, year__is_current=True)
        .select_related("room")
        .annotate(pupil_count=pupil_count())
        .order_by("label")
        .prefetch_related(teachers_prefetch())
    )
    changeable = set(
        restrict(user, SchoolClass, CHANGE).filter(school=school).values_list("pk", flat=True)
    )
    directors = school.memberships.filter(role=Role.DIRECTOR).select_related("user")
    return render(
        request,
        "directory/school_detail.html",
        {
            "school": school,
            "classes": list(classes),
            "changeable": changeable,
            "directors": list(directors),
            "can_change": can(user, school, CHANGE),
            "site_visible": restrict(user, Site).filter(pk=school.site_id).exists(),
            "people": sees_people(scope_of(user)),
        },
    )


@login_required
def site_list(request: HttpRequest) -> HttpResponse:
    qs = (
        restrict(request.user, Site)
        .select_related("group")
        .prefetch_related(
            Prefetch("schools", queryset=restrict(request.user, School), to_attr="visible_schools")
        )
    )
    return _list_page(
        request, "directory/site_list.html", SiteFilter(request.user, request.GET), qs, _("Sites")
    )


@login_required
def site_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    site = get_or_404(user, Site.objects.select_related("group", "municipality"), pk=pk)
    rooms = list(restrict(user, Room).filter(site=site))
    classes_by_room: dict[int, list[SchoolClass]] = {}
    for cls in restrict(user, SchoolClass).filter(room__site=site, year__is_current=True):
        assert cls.room_id is not None
        classes_by_room.setdefault(cls.room_id, []).append(cls)
    for room in rooms:
        room.current_classes = classes_by_room.get(room.pk, [])  # type: ignore[attr-defined]
    return render(
        request,
        "directory/site_detail.html",
        {
            "site": site,
            "schools": list(restrict(user, School).filter(site=site)),
            "rooms": rooms,
            "osm_url": osm_url(site),
        },
    )


def osm_url(site: Site) -> str:
    """A link the user may follow to see the site on a map; never loaded by the page."""
    if site.latitude is None or site.longitude is None:
        return ""
    lat, lon = site.latitude, site.longitude
    return f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=18/{lat}/{lon}"


@login_required
def class_list(request: HttpRequest) -> HttpResponse:
    qs = (
        restrict(request.user, SchoolClass)
        .select_related("school", "year")
        .annotate(pupil_count=pupil_count())
        .prefetch_related(teachers_prefetch())
        .order_by("school__name", "label", "pk")
    )
    return _list_page(
        request,
        "directory/class_list.html",
        ClassFilter(request.user, request.GET),
        qs,
        _("Classes"),
    )


@login_required
def class_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    cls = get_or_404(
        user, SchoolClass.objects.select_related("school", "year", "room__site"), pk=pk
    )
    enrolled = Q(enrolments__school_class=cls)
    if cls.year.is_current:
        enrolled &= Q(enrolments__ended_on__isnull=True)
    pupils = restrict(user, Pupil).filter(enrolled).distinct()
    teachers = cls.memberships.filter(role=Role.TEACHER).select_related("user")
    room_site_visible = (
        cls.room is not None and restrict(user, Site).filter(pk=cls.room.site_id).exists()
    )
    return render(
        request,
        "directory/class_detail.html",
        {
            "cls": cls,
            "pupils": list(pupils),
            "teachers": list(teachers),
            "can_change": can(user, cls, CHANGE),
            "room_site_visible": room_site_visible,
            "people": sees_people(scope_of(user)),
        },
    )


@login_required
def pupil_list(request: HttpRequest) -> HttpResponse:
    qs = (
        restrict(request.user, Pupil)
        .select_related("school")
        .prefetch_related(current_enrolments(request.user))
    )
    return _list_page(
        request,
        "directory/pupil_list.html",
        PupilFilter(request.user, request.GET),
        qs,
        _("Pupils"),
    )


@login_required
def pupil_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    scope = scope_of(user)
    pupil = get_or_404(user, Pupil.objects.select_related("school"), pk=pk)
    own = pupil.pk in scope.children or pupil.pk == scope.pupil_id
    if scope.is_staff_member and not own:
        audit.record("pupil.viewed", request=request, target=pupil)
    enrolments = list(
        restrict(user, Enrolment)
        .filter(pupil=pupil)
        .select_related("school_class__school", "school_class__year")
        .order_by("-started_on", "-pk")
    )
    visible_classes = set(
        restrict(user, SchoolClass)
        .filter(pk__in=[e.school_class_id for e in enrolments])
        .values_list("pk", flat=True)
    )
    guardians = restrict(user, Guardian).filter(links__pupil=pupil).distinct()
    return render(
        request,
        "directory/pupil_detail.html",
        {
            "pupil": pupil,
            "enrolments": enrolments,
            "visible_classes": visible_classes,
            "guardians": list(guardians),
            "can_change": can(user, pupil, CHANGE),
        },
    )


@login_required
def guardian_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    children = restrict(user, Pupil).only("pk", "first_name", "last_name", "usage_name")
    qs = restrict(user, Guardian).prefetch_related(
        Prefetch("pupils", queryset=children, to_attr="visible_children")
    )
    return _list_page(
        request,
        "directory/guardian_list.html",
        GuardianFilter(user, request.GET),
        qs,
        _("Legal guardians"),
    )


@login_required
def guardian_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    guardian = get_or_404(user, Guardian, pk=pk)
    children = (
        restrict(user, Pupil)
        .filter(guardian_links__guardian=guardian)
        .select_related("school")
        .prefetch_related(current_enrolments(user))
        .distinct()
    )
    return render(
        request,
        "directory/guardian_detail.html",
        {"guardian": guardian, "children": list(children)},
    )
