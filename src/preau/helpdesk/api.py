"""The helpdesk API (mounted by ``preau.api`` under /api/v1/helpdesk/).

Reporters list, read, create and comment on their school's tickets; technicians and
city admins also update them (status, assignee, internal notes, time). The same access
kernel as the pages: someone else's ticket is the API's JSON 404.
"""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import PageNumberPagination, paginate

from preau.core import access
from preau.directory.models import School
from preau.fleet.models import Asset
from preau.helpdesk import queries, services
from preau.helpdesk.models import OPEN_STATUSES, Comment, Photo, Ticket
from preau.helpdesk.schemas import (
    CommentIn,
    CommentOut,
    HandleIn,
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
    category: str | None = None


def _user(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


def _detail(user: Any, ticket: Ticket) -> dict[str, Any]:
    comments = access.restrict(user, Comment).filter(ticket=ticket).select_related("author")
    photos = access.restrict(user, Photo).filter(ticket=ticket).values_list("pk", flat=True)
    return {
        **{f: getattr(ticket, f) for f in TicketDetailOut.model_fields if hasattr(ticket, f)},
        "comments": list(comments),
        "photo_ids": list(photos),
    }


@router.get("/tickets", response=list[TicketOut], summary="Tickets I may see")
@paginate(Pages)
def tickets(request: HttpRequest, filters: Query[TicketFilter]) -> Any:
    qs = access.restrict(_user(request), Ticket)
    if filters.status in (None, "", "open"):
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif filters.status != "all":
        qs = qs.filter(status=filters.status)
    if filters.school is not None:
        qs = qs.filter(school_id=filters.school)
    if filters.category:
        qs = qs.filter(category=filters.category)
    return qs


@router.get("/tickets/{id}", response=TicketDetailOut, summary="A ticket and its follow-up")
def ticket(request: HttpRequest, id: int) -> dict[str, Any]:
    user = _user(request)
    return _detail(user, access.get_or_404(user, Ticket, pk=id))


@router.post("/tickets", response={201: TicketDetailOut}, summary="Report a problem")
def create(request: HttpRequest, data: TicketIn) -> Status:
    user = _user(request)
    school = access.get_or_404(user, School, pk=data.school_id)
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
    return Status(201, _detail(user, made))


@router.post("/tickets/{id}/comments", response={201: CommentOut}, summary="Comment on a ticket")
def add_comment(request: HttpRequest, id: int, data: CommentIn) -> Status:
    user = _user(request)
    found = access.get_or_404(user, Ticket, pk=id)
    try:
        return Status(201, services.comment(user, found, data.body, request=request))
    except services.HelpdeskError as error:
        raise HttpError(422, str(error)) from None


@router.patch("/tickets/{id}", response=TicketDetailOut, summary="Handle a ticket (technicians)")
def update(request: HttpRequest, id: int, data: HandleIn) -> dict[str, Any]:
    user = _user(request)
    found = access.get_or_404(user, Ticket, access.CHANGE, pk=id)
    assignee = None
    if data.assignee_id is not None:
        assignee = queries.handlers(user).filter(pk=data.assignee_id).first()
        if assignee is None:
            raise HttpError(422, "assignee_id: not a technician or city admin you work with.")
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
    return _detail(user, Ticket.objects.get(pk=found.pk))
