"""Every write of loans: validated, transactional, audited.

Two bookings of one asset never overlap: :func:`book` locks the asset's ``Loanable`` row
(``select_for_update``) before it looks for a conflict, so concurrent requests queue up
and the second sees the first; on PostgreSQL an exclusion constraint says the same in
the database. Back-to-back bookings (one ends at 10:00, the next starts at 10:00) are
fine: a slot is ``[start, end)``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from preau.core import access, audit
from preau.directory.models import Role, SchoolClass
from preau.directory.scope import scope_of
from preau.fleet import services as fleet
from preau.fleet.models import Asset, AssetStatus
from preau.loans.access import booking_schools, leading_schools, lending_municipalities
from preau.loans.models import Booking, Condition, Loanable
from preau.loans.notification_kinds import KIND_OVERDUE, KIND_PROBLEM
from preau.notifications.services import notify

MAX_LENGTH = dt.timedelta(days=7)
ACTIVE = (Booking.Status.BOOKED, Booking.Status.CHECKED_OUT)


class LoanError(ValueError):
    """A loan write refused; the message says which field and why."""


class Conflict(LoanError):
    """The slot overlaps another booking of the same equipment."""


def _when(moment: dt.datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "l j F Y, H:i")


def _hour(moment: dt.datetime) -> str:
    return formats.time_format(timezone.localtime(moment), "H:i")


@transaction.atomic
def make_loanable(
    actor: Any, asset: Asset, note: str = "", *, request: HttpRequest | None = None
) -> Loanable:
    if not access.restrict(actor, Asset, access.CHANGE).filter(pk=asset.pk).exists():
        raise LoanError(_("Only the municipality's technicians lend its equipment."))
    if asset.site_id is None:
        raise LoanError(_("Equipment: give it a site first; bookings are made per site."))
    loanable, _created = Loanable.objects.update_or_create(
        asset=asset,
        defaults={
            "municipality_id": asset.municipality_id,
            "active": True,
            "note": note.strip()[:300],
        },
    )
    audit.record("loans.loanable_added", actor=actor, request=request, target=loanable)
    return loanable


@transaction.atomic
def withdraw_loanable(
    actor: Any, loanable: Loanable, *, request: HttpRequest | None = None
) -> None:
    if loanable.municipality_id not in lending_municipalities(actor):
        raise LoanError(_("Only the municipality's technicians lend its equipment."))
    Loanable.objects.filter(pk=loanable.pk).update(active=False, updated_at=timezone.now())
    audit.record("loans.loanable_withdrawn", actor=actor, request=request, target=loanable)


def conflict_message(actor: Any, other: Booking) -> str:
    """The conflicting booking's times; its class and borrower only within one's school."""
    times = {"start": _when(other.starts_at), "end": _hour(other.ends_at)}
    if other.ends_at - other.starts_at > dt.timedelta(hours=20):
        times["end"] = _when(other.ends_at)
    same_school = other.school_id in booking_schools(actor)
    if same_school or other.municipality_id in lending_municipalities(actor):
        who = {"who": other.borrower.get_full_name(), "class": other.school_class.label}
        return _(
            "Already booked from %(start)s to %(end)s by %(who)s for %(class)s. Choose another "
            "time or another case."
        ) % (times | who)
    return (
        _(
            "Already booked from %(start)s to %(end)s by another school. Choose another time or "
            "another case."
        )
        % times
    )


def _check_booker(actor: Any, loanable: Loanable, school_class: SchoolClass) -> None:
    scope = scope_of(actor)
    school_id = school_class.school_id
    if school_id not in booking_schools(actor):
        raise LoanError(_("Class: you can only book for a class of a school you work in."))
    if school_id not in leading_schools(actor) and school_class.pk not in scope.teacher_classes:
        raise LoanError(_("Class: you can only book for a class you teach."))
    if not access.restrict(actor, Loanable).filter(pk=loanable.pk).exists():
        raise LoanError(_("This equipment cannot be booked from your school."))
    if loanable.asset.site_id != school_class.school.site_id:
        raise LoanError(_("This equipment is kept on another site than the class's school."))


@transaction.atomic
def book(
    actor: Any,
    loanable: Loanable,
    school_class: SchoolClass,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    *,
    request: HttpRequest | None = None,
    now: dt.datetime | None = None,
) -> Booking:
    if timezone.is_naive(starts_at) or timezone.is_naive(ends_at):
        raise LoanError(_("Times must carry their time zone."))  # a programming error
    if ends_at <= starts_at:
        raise LoanError(_("End: the booking must end after it starts."))
    if ends_at - starts_at > MAX_LENGTH:
        raise LoanError(_("End: a booking lasts at most 7 days."))
    if ends_at <= (now or timezone.now()):
        raise LoanError(_("Start: this time slot is already over."))
    locked = Loanable.objects.select_for_update().select_related("asset").get(pk=loanable.pk)
    _check_booker(actor, locked, school_class)
    other = (
        Booking.objects.filter(
            loanable=locked, status__in=ACTIVE, starts_at__lt=ends_at, ends_at__gt=starts_at
        )
        .select_related("borrower", "school_class")
        .first()
    )
    if other is not None:
        raise Conflict(conflict_message(actor, other))
    booking = Booking.objects.create(
        loanable=locked,
        municipality_id=locked.municipality_id,
        school_id=school_class.school_id,
        school_class=school_class,
        borrower=actor,
        starts_at=starts_at,
        ends_at=ends_at,
    )
    audit.record("loans.booked", actor=actor, request=request, target=booking)
    return booking


def _locked(booking: Booking) -> Booking:
    return (
        Booking.objects.select_for_update()
        .select_related("loanable__asset", "borrower", "school_class")
        .get(pk=booking.pk)
    )


def _check_change(actor: Any, booking: Booking) -> None:
    if not access.restrict(actor, Booking, access.CHANGE).filter(pk=booking.pk).exists():
        raise LoanError(_("Only the borrower, the school's director or a technician can do this."))


@transaction.atomic
def cancel(actor: Any, booking: Booking, *, request: HttpRequest | None = None) -> Booking:
    booking = _locked(booking)
    _check_change(actor, booking)
    if booking.status != Booking.Status.BOOKED:
        raise LoanError(_("Only a booking not yet checked out can be cancelled."))
    booking.status = Booking.Status.CANCELLED
    booking.save(update_fields=["status", "updated_at"])
    audit.record("loans.cancelled", actor=actor, request=request, target=booking)
    return booking


@transaction.atomic
def check_out(
    actor: Any,
    booking: Booking,
    *,
    request: HttpRequest | None = None,
    now: dt.datetime | None = None,
) -> Booking:
    booking = _locked(booking)
    _check_change(actor, booking)
    now = now or timezone.now()
    if booking.status != Booking.Status.BOOKED:
        raise LoanError(_("This booking is not waiting to be checked out."))
    if now >= booking.ends_at:
        raise LoanError(_("This booking's time slot is over: book again."))
    still_out = Booking.objects.filter(
        loanable_id=booking.loanable_id, status=Booking.Status.CHECKED_OUT
    ).first()
    if still_out is not None:
        raise LoanError(
            _("The equipment has not been returned from the previous booking (due %(end)s).")
            % {"end": _when(still_out.ends_at)}
        )
    asset = booking.loanable.asset
    booking.asset_status_before = asset.status
    try:
        fleet.transition(
            asset, AssetStatus.ON_LOAN, actor=actor, note=_("booking %(n)d") % {"n": booking.pk}
        )
    except fleet.FleetError as error:
        raise LoanError(
            _("This equipment cannot be lent now: %(reason)s") % {"reason": error}
        ) from None
    booking.status = Booking.Status.CHECKED_OUT
    booking.checked_out_at = now
    booking.checked_out_by = actor
    booking.items_out = asset.contents.count() or None
    booking.save()
    audit.record("loans.checked_out", actor=actor, request=request, target=booking)
    return booking


@transaction.atomic
def check_in(
    actor: Any,
    booking: Booking,
    condition: str,
    *,
    items_returned: int | None = None,
    note: str = "",
    request: HttpRequest | None = None,
) -> Booking:
    booking = _locked(booking)
    _check_change(actor, booking)
    if booking.status != Booking.Status.CHECKED_OUT:
        raise LoanError(_("This booking is not checked out."))
    if condition not in Condition.values:
        raise LoanError(_("Condition: “%(value)s” is not a condition.") % {"value": condition})
    note = note.strip()
    if condition != Condition.OK and not note:
        raise LoanError(_("Note: say what is damaged or missing."))
    if booking.items_out is not None:
        if items_returned is None or not 0 <= items_returned <= booking.items_out:
            raise LoanError(
                _("Items returned: a number between 0 and %(n)d.") % {"n": booking.items_out}
            )
        if items_returned < booking.items_out and condition == Condition.OK:
            raise LoanError(
                _("Items returned: %(back)d of %(out)d; choose “missing items” and say which.")
                % {"back": items_returned, "out": booking.items_out}
            )
    asset = booking.loanable.asset
    back_to = booking.asset_status_before or AssetStatus.IN_STOCK
    if back_to == AssetStatus.ON_LOAN:
        back_to = AssetStatus.IN_STOCK
    try:
        fleet.transition(
            asset, back_to, actor=actor, note=_("returned, booking %(n)d") % {"n": booking.pk}
        )
    except fleet.FleetError as error:
        raise LoanError(str(error)) from None
    booking.status = Booking.Status.RETURNED
    booking.returned_at = timezone.now()
    booking.returned_by = actor
    booking.condition = condition
    booking.items_returned = items_returned
    booking.condition_note = note[:2000]
    booking.save()
    audit.record(
        "loans.checked_in", actor=actor, request=request, target=booking, condition=condition
    )
    if condition != Condition.OK:
        _tell_technicians(booking, actor)
    return booking


def _url(booking: Booking) -> str:
    return reverse("loans:booking", args=[booking.pk])


def _tell_technicians(booking: Booking, actor: Any) -> None:
    people = (
        get_user_model()
        .objects.filter(
            memberships__municipality_id=booking.municipality_id,
            memberships__role=Role.CITY_TECHNICIAN,
        )
        .distinct()
    )
    notify(
        recipients=people,
        kind=KIND_PROBLEM,
        title=_("%(asset)s returned: %(condition)s")
        % {"asset": booking.loanable.asset, "condition": booking.get_condition_display()},
        url=_url(booking),
        actor=actor,
        municipality_id=booking.municipality_id,
    )


def notify_overdue(now: dt.datetime | None = None) -> int:
    """Tell the borrower and the school's directors of each loan not returned in time.

    Each booking is claimed by a conditional update before anyone is told, so two
    workers never notify twice.
    """
    now = now or timezone.now()
    told = 0
    due = Booking.objects.filter(
        status=Booking.Status.CHECKED_OUT, ends_at__lt=now, overdue_notified_at__isnull=True
    ).values_list("pk", flat=True)
    for pk in list(due):
        with transaction.atomic():
            claimed = Booking.objects.filter(pk=pk, overdue_notified_at__isnull=True).update(
                overdue_notified_at=now
            )
            if not claimed:
                continue
            booking = Booking.objects.select_related("loanable__asset", "borrower").get(pk=pk)
            directors = get_user_model().objects.filter(
                memberships__role=Role.DIRECTOR, memberships__school_id=booking.school_id
            )
            notify(
                recipients=[booking.borrower, *directors],
                kind=KIND_OVERDUE,
                title=_("%(asset)s was due back %(end)s")
                % {"asset": booking.loanable.asset, "end": _when(booking.ends_at)},
                url=_url(booking),
                municipality_id=booking.municipality_id,
            )
            audit.record("loans.overdue_notified", target=booking)
            told += 1
    return told
