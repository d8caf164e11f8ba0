"""The helpdesk API (mounted by ``preau.api`` under /api/v1/helpdesk/).

The same answers as the pages (``helpdesk.access`` decides who reaches what): the
directors, ERUN and teachers of a school list, read, report and comment on its tickets
and reopen theirs; technicians and city admins see their municipality's queue and also
handle tickets (status, assignee, internal notes, time). Families and outsiders get
empty lists and 404s. Someone else's ticket is the API's JSON 404, and an asset the
reader may not see is not named (``asset_id`` is null).
"""

from typing import Any, Literal

from django.db.models import Case, Exists, F, OuterRef, QuerySet, When
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import PageNumberPagination, paginate

from preau.core import access
from preau.directory.models import School
from preau.fleet.models import Asset
from preau.helpdesk import queries, services
from preau.helpdesk.access import handles_tickets, reporting_schools
from preau.helpdesk.models import OPEN_STATUSES, Category, Comment, Photo, Ticket
from preau.helpdesk.models import Status as TicketStatus
from preau.helpdesk.schemas import (
    CommentIn,
    CommentOut,
    HandleIn,
    ReopenIn,
    TicketDetailOut,
    TicketIn,
    TicketOut,
)

router = Router(tags=["helpdesk"])


class Pages(PageNumberPagination):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(page_size=50, max_page_size=200, **kwargs)


class TicketFilter(Schema):
    status: str | None = None  # "open" (default), "all" or one status
    school: int | None = None
    site: int | None = None
    category: Category | None = None
    assignee: str | None = None  # "me", "none" or a user's id (the queue's filter)
    age: Literal["day", "week", "month", "older"] | None = None  # open tickets' age


def _user(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


def _tickets(user: Any) -> QuerySet[Ticket]:
    """The tickets ``user`` may see, each with the asset's id only if they may see it."""
    visible = access.restrict(user, Asset).filter(pk=OuterRef("asset_id"))
    return access.restrict(user, Ticket).annotate(
        visible_asset_id=Case(When(Exists(visible), then=F("asset_id")), default=None)
    )


def _detail(user: Any, ticket: Ticket) -> dict[str, Any]:
    comments = access.restrict(user, Comment).filter(ticket=ticket).select_related("author")
    photos = access.restrict(user, Photo).filter(ticket=ticket).values_list("pk", flat=True)
    return {
        **{f: getattr(ticket, f) for f in TicketDetailOut.model_fields if hasattr(ticket, f)},
        "visible_asset_id": ticket.visible_asset_id,  # type: ignore[attr-defined]
        "comments": list(comments),
        "photo_ids": list(photos),
        "may_reopen": services.may_reopen(user, ticket),
    }


def _fresh(user: Any, pk: int) -> dict[str, Any]:
    return _detail(user, access.get_or_404(user, _tickets(user), pk=pk))


def _filtered(user: Any, qs: QuerySet[Ticket], filters: TicketFilter) -> QuerySet[Ticket]:
    if filters.status in (None, "", "open"):
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif filters.status in TicketStatus.values:
        qs = qs.filter(status=filters.status)
    elif filters.status != "all":
        raise HttpError(422, _("status: open, all, or one of the statuses."))
    if filters.school is not None:
        qs = qs.filter(school_id=filters.school)
    if filters.site is not None:
        qs = qs.filter(site_id=filters.site)
    if filters.category:
        qs = qs.filter(category=filters.category)
    if filters.assignee == "me":
        qs = qs.filter(assignee=user)
    elif filters.assignee == "none":
        qs = qs.filter(assignee__isnull=True)
    elif filters.assignee:
        if not filters.assignee.isdigit():
            raise HttpError(422, _("assignee: me, none, or a person's id."))
        qs = qs.filter(assignee_id=int(filters.assignee))
    if filters.age:
        qs = queries.age_filter(qs, filters.age)
    return qs


@router.get("/tickets", response=list[TicketOut], summary="Tickets I may see")
@paginate(Pages)
def tickets(request: HttpRequest, filters: Query[TicketFilter]) -> Any:
    user = _user(request)
    if not handles_tickets(user) and not reporting_schools(user):
        return Ticket.objects.none()  # the pages' queue is a 404 for them
    return _filtered(user, _tickets(user), filters)


@router.get("/tickets/{id}", response=TicketDetailOut, summary="A ticket and its follow-up")
def ticket(request: HttpRequest, id: int) -> dict[str, Any]:
    return _fresh(_user(request), id)


@router.post("/tickets", response={201: TicketDetailOut}, summary="Report a problem")
def create(request: HttpRequest, data: TicketIn) -> Status:
    user = _user(request)
    schools = reporting_schools(user)
    if not schools:
        raise Http404  # technicians, families: the report page is a 404 for them
    if data.school_id not in schools:
        raise HttpError(422, _("school_id: you can only report for a school you work in."))
    school = School.objects.get(pk=data.school_id)
    asset = access.get_or_404(user, Asset, pk=data.asset_id) if data.asset_id else None
    try:
        made = services.report(
            user,
            school,
            services.TicketInput(data.category, data.title, data.description, data.urgency),
            asset=asset,
            request=request,
        )
    except services.HelpdeskError as error:
        raise HttpError(422, str(error)) from None
    return Status(201, _fresh(user, made.pk))


@router.post("/tickets/{id}/comments", response={201: CommentOut}, summary="Comment on a ticket")
def add_comment(request: HttpRequest, id: int, data: CommentIn) -> Status:
    user = _user(request)
    found = access.get_or_404(user, Ticket, pk=id)
    try:
        return Status(201, services.comment(user, found, data.body, request=request))
    except services.HelpdeskError as error:
        raise HttpError(422, str(error)) from None


@router.post("/tickets/{id}/reopen", response=TicketDetailOut, summary="Reopen my ticket")
def reopen(request: HttpRequest, id: int, data: ReopenIn) -> dict[str, Any]:
    user = _user(request)
    found = access.get_or_404(user, Ticket, pk=id)
    try:
        services.reopen(user, found, data.reason, request=request)
    except services.HelpdeskError as error:
        raise HttpError(422, str(error)) from None
    return _fresh(user, id)


@router.patch("/tickets/{id}", response=TicketDetailOut, summary="Handle a ticket (technicians)")
def update(request: HttpRequest, id: int, data: HandleIn) -> dict[str, Any]:
    user = _user(request)
    found = access.get_or_404(user, Ticket, access.CHANGE, pk=id)
    allowed = services.TRANSITIONS.get(found.status, ())
    if data.status and data.status != found.status and data.status not in allowed:
        raise HttpError(
            422,
            _("status: a ticket that is “%(current)s” can go to: %(allowed)s.")
            % {"current": found.status, "allowed": ", ".join(allowed) or "—"},
        )
    assignee = None
    if data.assignee_id is not None:
        assignee = queries.handlers(user).filter(pk=data.assignee_id).first()
        if assignee is None:
            raise HttpError(422, _("assignee_id: not a technician or city admin you work with."))
    change = services.Handling(
        status=data.status,
        assignee=assignee,
        unassign=data.unassign,
        body=data.body,
        internal=data.internal,
        minutes=data.minutes,
    )
    try:
        services.handle(user, found, change, request=request)
    except services.HelpdeskError as error:
        raise HttpError(422, str(error)) from None
    return _fresh(user, id)


@router.get("/photos/{id}", response={200: None}, summary="A ticket's photo (JPEG)")
def photo(request: HttpRequest, id: int) -> HttpResponse:
    found = access.get_or_404(_user(request), Photo, pk=id)
    response = HttpResponse(bytes(found.data), content_type="image/jpeg")
    response["Content-Disposition"] = f'inline; filename="{found.pk}.jpg"'
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response
