"""Loans pages: the week calendar per site and per asset, booking, check-out and return.

Assets and bookings come only through the access kernel; someone else's booking is a
404. Another school's bookings show in the calendar as times only.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from preau.core import access
from preau.directory.models import SchoolClass, SchoolYear, Site
from preau.directory.scope import scope_of
from preau.loans import calendar, services
from preau.loans.access import booking_schools, leading_schools, lending_municipalities
from preau.loans.forms import BookingForm, CheckInForm
from preau.loans.models import Booking, Loanable


def _loanables(request: HttpRequest) -> QuerySet[Loanable]:
    return access.restrict(request.user, Loanable).filter(active=True).select_related("asset__site")


def bookable_classes(user: Any, site_id: int | None) -> QuerySet[SchoolClass]:
    scope = scope_of(user)
    mine = Q(pk__in=scope.teacher_classes) | Q(school_id__in=leading_schools(user))
    if site_id is None:
        return SchoolClass.objects.none()
    classes = access.restrict(user, SchoolClass).filter(mine, school__site_id=site_id)
    current = SchoolYear.objects.filter(is_current=True).first()
    if current is not None:
        classes = classes.filter(year=current)
    return classes.select_related("school").order_by("school__name", "label")


def _week_links(path: str, monday: dt.date) -> dict[str, Any]:
    return {
        "monday": monday,
        "friday": monday + dt.timedelta(days=4),
        "previous_url": f"{path}?week={monday - dt.timedelta(days=7)}",
        "next_url": f"{path}?week={monday + dt.timedelta(days=7)}",
        "this_week_url": path,
    }


@login_required
def index(request: HttpRequest) -> HttpResponse:
    lender = bool(lending_municipalities(request.user))
    if not lender and not booking_schools(request.user):
        raise Http404
    loanables = list(_loanables(request))
    sites: dict[Site, list[Loanable]] = {}
    for loanable in loanables:
        if loanable.asset.site is not None:
            sites.setdefault(loanable.asset.site, []).append(loanable)
    now = timezone.now()
    mine = (
        access.restrict(request.user, Booking)
        .filter(
            borrower_id=request.user.pk,
            status__in=services.ACTIVE,
            ends_at__gte=now - dt.timedelta(days=7),
        )
        .select_related("loanable__asset", "school_class")
    )
    out = access.restrict(request.user, Booking).filter(status=Booking.Status.CHECKED_OUT)
    context = {
        "sites": sorted(sites.items(), key=lambda item: item[0].name),
        "mine": mine,
        "out": out.select_related("loanable__asset", "school_class", "borrower")[:100],
        "lender": lender,
        "now": now,
    }
    return render(request, "loans/index.html", context)


@login_required
def site_week(request: HttpRequest, pk: int) -> HttpResponse:
    site = access.get_or_404(request.user, Site, pk=pk)
    loanables = list(_loanables(request).filter(asset__site=site))
    if not loanables:
        raise Http404
    monday = calendar.parse_week(request.GET.get("week"))
    context = {
        "site": site,
        "days": calendar.week(request.user, loanables, monday),
        "several": True,
    }
    context |= _week_links(reverse("loans:site_week", args=[site.pk]), monday)
    return render(request, "loans/week.html", context)


@login_required
def asset_week(request: HttpRequest, pk: int, form: BookingForm | None = None) -> HttpResponse:
    loanable = access.get_or_404(request.user, _loanables(request), pk=pk)
    monday = calendar.parse_week(request.GET.get("week") or request.POST.get("date"))
    classes = bookable_classes(request.user, loanable.asset.site_id)
    if form is None and classes.exists():
        form = BookingForm(classes=classes, initial={"date": max(monday, timezone.localdate())})
    context = {
        "loanable": loanable,
        "site": loanable.asset.site,
        "days": calendar.week(request.user, [loanable], monday),
        "form": form,
        "several": False,
    }
    context |= _week_links(reverse("loans:asset_week", args=[loanable.pk]), monday)
    return render(request, "loans/week.html", context, status=400 if form and form.errors else 200)


@login_required
@require_POST
def book(request: HttpRequest, pk: int) -> HttpResponse:
    loanable = access.get_or_404(request.user, _loanables(request), pk=pk)
    form = BookingForm(request.POST, classes=bookable_classes(request.user, loanable.asset.site_id))
    if form.is_valid():
        start, end = form.times()
        try:
            booking = services.book(
                request.user,
                loanable,
                form.cleaned_data["school_class"],
                start,
                end,
                request=request,
            )
        except services.LoanError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Booked."))
            return redirect(
                f"{reverse('loans:asset_week', args=[loanable.pk])}?week={booking.starts_at.date()}"
            )
    return asset_week(request, pk, form)


def _booking(request: HttpRequest, pk: int, action: str = access.VIEW) -> Booking:
    qs = Booking.objects.select_related(
        "loanable__asset__site",
        "school",
        "school_class",
        "borrower",
        "checked_out_by",
        "returned_by",
    )
    return access.get_or_404(request.user, qs, action, pk=pk)


@login_required
def booking_detail(request: HttpRequest, pk: int, form: CheckInForm | None = None) -> HttpResponse:
    booking = _booking(request, pk)
    can_change = access.can(request.user, booking, access.CHANGE)
    if form is None and can_change and booking.status == Booking.Status.CHECKED_OUT:
        form = CheckInForm(items_out=booking.items_out)
    context = {
        "booking": booking,
        "can_change": can_change,
        "form": form,
        "overdue": booking.status == Booking.Status.CHECKED_OUT
        and booking.ends_at < timezone.now(),
    }
    return render(
        request, "loans/booking.html", context, status=400 if form and form.errors else 200
    )


def _act(request: HttpRequest, pk: int, run: Any, done: str) -> HttpResponse:
    booking = _booking(request, pk, access.CHANGE)
    try:
        run(booking)
    except services.LoanError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)
    return redirect("loans:booking", pk=booking.pk)


@login_required
@require_POST
def check_out(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda b: services.check_out(request.user, b, request=request),
        _("Checked out."),
    )


@login_required
@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda b: services.cancel(request.user, b, request=request),
        _("Booking cancelled."),
    )


@login_required
@require_POST
def check_in(request: HttpRequest, pk: int) -> HttpResponse:
    booking = _booking(request, pk, access.CHANGE)
    form = CheckInForm(request.POST, items_out=booking.items_out)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.check_in(
                request.user,
                booking,
                data["condition"],
                items_returned=data.get("items_returned"),
                note=data["note"],
                request=request,
            )
        except services.LoanError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Return recorded."))
            return redirect("loans:booking", pk=booking.pk)
    return booking_detail(request, pk, form)
