"""The directory, read-only, under /api/v1/directory/.

Every endpoint obtains its rows through the access kernel (``restrict``/``get_or_404``),
so the API shows exactly what the web pages show, and "missing" and "not yours" are
the same JSON 404. Lists are paginated with a bounded page size.
"""

from typing import Any

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery
from django.http import HttpRequest
from ninja import Query, Router
from ninja.pagination import PageNumberPagination, paginate

from preau.core.access import get_or_404, restrict
from preau.directory.filters import has_level, name_search
from preau.directory.models import (
    Enrolment,
    Guardian,
    GuardianLink,
    Level,
    Municipality,
    Pupil,
    Room,
    School,
    SchoolClass,
    Site,
)
from preau.directory.schemas import (
    GuardianOut,
    MunicipalityOut,
    PupilOut,
    RoomOut,
    SchoolClassOut,
    SchoolOut,
    SiteDetailOut,
    SiteOut,
)

router = Router(tags=["directory"])

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
SEARCH = Query(None, max_length=100, description="Words to find, ignoring case and accents")


class Pages(PageNumberPagination):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE, **kwargs)


def _user(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


# Municipalities ---------------------------------------------------------------------


@router.get("/municipalities", response=list[MunicipalityOut])
@paginate(Pages)
def municipality_list(request: HttpRequest) -> QuerySet[Municipality]:
    return restrict(_user(request), Municipality).order_by("name", "pk")


@router.get("/municipalities/{id}", response=MunicipalityOut)
def municipality_detail(request: HttpRequest, id: int) -> Municipality:
    return get_or_404(_user(request), Municipality, pk=id)


# Schools ----------------------------------------------------------------------------


def _schools(request: HttpRequest) -> QuerySet[School]:
    return restrict(_user(request), School).select_related("group")


@router.get("/schools", response=list[SchoolOut])
@paginate(Pages)
def school_list(
    request: HttpRequest,
    municipality: int | None = None,
    group: int | None = None,
    q: str | None = SEARCH,
) -> QuerySet[School]:
    schools = _schools(request)
    if municipality is not None:
        schools = schools.filter(municipality_id=municipality)
    if group is not None:
        schools = schools.filter(group_id=group)
    if q:
        schools = schools.filter(name_search(q, "name", "uai"))
    return schools.order_by("name", "pk")


@router.get("/schools/{id}", response=SchoolOut)
def school_detail(request: HttpRequest, id: int) -> School:
    return get_or_404(_user(request), _schools(request), pk=id)


# Sites and rooms --------------------------------------------------------------------


@router.get("/sites", response=list[SiteOut])
@paginate(Pages)
def site_list(request: HttpRequest, q: str | None = SEARCH) -> QuerySet[Site]:
    sites = restrict(_user(request), Site)
    if q:
        sites = sites.filter(name_search(q, "name", "address", "city"))
    return sites.order_by("name", "pk")


def _rooms(request: HttpRequest, site: Site) -> QuerySet[Room]:
    return restrict(_user(request), Room).filter(site=site).order_by("name", "pk")


@router.get("/sites/{id}", response=SiteDetailOut)
def site_detail(request: HttpRequest, id: int) -> SiteDetailOut:
    site = get_or_404(_user(request), Site, pk=id)
    rooms = [RoomOut.model_validate(room) for room in _rooms(request, site)]
    return SiteDetailOut(**SiteOut.model_validate(site).model_dump(), rooms=rooms)


@router.get("/sites/{id}/rooms", response=list[RoomOut])
@paginate(Pages)
def site_rooms(request: HttpRequest, id: int) -> QuerySet[Room]:
    return _rooms(request, get_or_404(_user(request), Site, pk=id))


# Classes ----------------------------------------------------------------------------


def _classes(request: HttpRequest) -> QuerySet[SchoolClass]:
    return restrict(_user(request), SchoolClass).select_related("year")


@router.get("/classes", response=list[SchoolClassOut])
@paginate(Pages)
def class_list(
    request: HttpRequest,
    school: int | None = None,
    level: Level | None = None,
    year: str | None = Query(None, max_length=9, description="School year, e.g. 2025-2026"),
    q: str | None = SEARCH,
) -> QuerySet[SchoolClass]:
    classes = _classes(request)
    if school is not None:
        classes = classes.filter(school_id=school)
    if level is not None:
        classes = classes.filter(has_level(level.value))
    if year:
        classes = classes.filter(year__label=year)
    if q:
        classes = classes.filter(name_search(q, "label"))
    return classes.order_by("school__name", "label", "pk")


@router.get("/classes/{id}", response=SchoolClassOut)
def class_detail(request: HttpRequest, id: int) -> SchoolClass:
    return get_or_404(_user(request), _classes(request), pk=id)


@router.get("/classes/{id}/pupils", response=list[PupilOut])
@paginate(Pages)
def class_pupils(request: HttpRequest, id: int) -> QuerySet[Pupil]:
    school_class = get_or_404(_user(request), SchoolClass, pk=id)
    return _in_class(_pupils(request), school_class.pk).order_by(*_PUPIL_ORDER)


# Pupils -----------------------------------------------------------------------------

_PUPIL_ORDER = ("last_name", "first_name", "pk")


def _pupils(request: HttpRequest) -> QuerySet[Pupil]:
    current_class = Enrolment.objects.filter(pupil=OuterRef("pk"), ended_on__isnull=True)
    return restrict(_user(request), Pupil).annotate(
        class_id=Subquery(current_class.values("school_class_id")[:1])
    )


def _in_class(pupils: QuerySet[Pupil], class_id: int) -> QuerySet[Pupil]:
    # At most one open enrolment per pupil (a constraint), so this join adds no duplicate.
    return pupils.filter(enrolments__school_class_id=class_id, enrolments__ended_on__isnull=True)


@router.get("/pupils", response=list[PupilOut])
@paginate(Pages)
def pupil_list(
    request: HttpRequest,
    school: int | None = None,
    school_class: int | None = Query(None, alias="class"),
    level: Level | None = None,
    q: str | None = SEARCH,
) -> QuerySet[Pupil]:
    pupils = _pupils(request)
    if school is not None:
        pupils = pupils.filter(school_id=school)
    if school_class is not None:
        pupils = _in_class(pupils, school_class)
    if level is not None:
        pupils = pupils.filter(level=level.value)
    if q:
        pupils = pupils.filter(name_search(q, "last_name", "usage_name", "first_name"))
    return pupils.order_by(*_PUPIL_ORDER)


@router.get("/pupils/{id}", response=PupilOut)
def pupil_detail(request: HttpRequest, id: int) -> Pupil:
    return get_or_404(_user(request), _pupils(request), pk=id)


# Guardians --------------------------------------------------------------------------


def _guardians(request: HttpRequest) -> QuerySet[Guardian]:
    # Only the children this user may see are listed (a teacher sees a guardian of one
    # of their pupils, not that guardian's other children elsewhere).
    visible_links = restrict(_user(request), GuardianLink).order_by("pupil_id")
    return restrict(_user(request), Guardian).prefetch_related(
        Prefetch("links", queryset=visible_links, to_attr="visible_links")
    )


@router.get("/guardians", response=list[GuardianOut])
@paginate(Pages)
def guardian_list(
    request: HttpRequest,
    school: int | None = None,
    school_class: int | None = Query(None, alias="class"),
    pupil: int | None = None,
    q: str | None = SEARCH,
) -> QuerySet[Guardian]:
    guardians = _guardians(request)
    if school is not None:
        guardians = guardians.filter(links__pupil__school_id=school)
    if school_class is not None:
        guardians = guardians.filter(
            links__pupil__enrolments__school_class_id=school_class,
            links__pupil__enrolments__ended_on__isnull=True,
        )
    if pupil is not None:
        guardians = guardians.filter(links__pupil_id=pupil)
    if q:
        guardians = guardians.filter(
            name_search(q, "last_name", "usage_name", "first_name", "email")
        )
    return guardians.distinct().order_by("last_name", "first_name", "pk")


@router.get("/guardians/{id}", response=GuardianOut)
def guardian_detail(request: HttpRequest, id: int) -> Guardian:
    return get_or_404(_user(request), _guardians(request), pk=id)
