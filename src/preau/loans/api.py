"""The loans API (mounted by ``preau.api`` under /api/v1/loans/): bookable equipment,
bookings (one's school's, or all of the municipality for technicians), booking and
cancelling. The same access kernel as the pages: someone else's booking is a JSON 404.
"""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import PageNumberPagination, paginate

from preau.core import access
from preau.directory.models import SchoolClass
from preau.loans import services
from preau.loans.models import Booking, Loanable
from preau.loans.schemas import BookingIn, BookingOut, LoanableOut

router = Router(tags=["loans"])


class Pages(PageNumberPagination):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(page_size=50, max_page_size=200, **kwargs)


class BookingFilter(Schema):
    loanable: int | None = None
    start: dt.date | None = None  # bookings ending after this day (default: today)
    end: dt.date | None = None  # bookings starting before this day


def _user(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


@router.get("/loanables", response=list[LoanableOut], summary="Equipment I may book or lend")
@paginate(Pages)
def loanables(request: HttpRequest) -> Any:
    return access.restrict(_user(request), Loanable).filter(active=True).select_related("asset")


@router.get("/bookings", response=list[BookingOut], summary="Bookings I may see")
@paginate(Pages)
def bookings(request: HttpRequest, filters: Query[BookingFilter]) -> Any:
    qs = access.restrict(_user(request), Booking)
    start = filters.start or timezone.localdate()
    qs = qs.filter(ends_at__gte=timezone.make_aware(dt.datetime.combine(start, dt.time.min)))
    if filters.end is not None:
        qs = qs.filter(
            starts_at__lt=timezone.make_aware(dt.datetime.combine(filters.end, dt.time.min))
        )
    if filters.loanable is not None:
        qs = qs.filter(loanable_id=filters.loanable)
    return qs.order_by("starts_at", "pk")


@router.get("/bookings/{id}", response=BookingOut, summary="A booking")
def booking(request: HttpRequest, id: int) -> Booking:
    return access.get_or_404(_user(request), Booking, pk=id)


@router.post("/bookings", response={201: BookingOut}, summary="Book equipment for a class")
def create(request: HttpRequest, data: BookingIn) -> Status:
    user = _user(request)
    loanable = access.get_or_404(
        user, access.restrict(user, Loanable).filter(active=True), pk=data.loanable_id
    )
    school_class = access.get_or_404(user, SchoolClass, pk=data.class_id)
    if timezone.is_naive(data.starts_at) or timezone.is_naive(data.ends_at):
        raise HttpError(
            422, "starts_at, ends_at: give the time zone (e.g. 2025-10-06T09:00:00+02:00)."
        )
    try:
        made = services.book(
            user, loanable, school_class, data.starts_at, data.ends_at, request=request
        )
    except services.Conflict as error:
        raise HttpError(409, str(error)) from None
    except services.LoanError as error:
        raise HttpError(422, str(error)) from None
    return Status(201, made)


@router.post("/bookings/{id}/cancel", response=BookingOut, summary="Cancel a booking")
def cancel(request: HttpRequest, id: int) -> Booking:
    user = _user(request)
    found = access.get_or_404(user, Booking, access.CHANGE, pk=id)
    try:
        return services.cancel(user, found, request=request)
    except services.LoanError as error:
        raise HttpError(422, str(error)) from None
