"""Access rules for loans, registered in the kernel (``preau.core.access``).

Loanable assets: technicians and city admins of the municipality (view, change); the
directors, ERUN (digital referents) and teachers of a school on the asset's site (view).
Bookings, ``view``: technicians and city admins; the directors, ERUN and teachers of the
booking's school; the borrower. ``change`` (check out, check in, cancel): technicians and
city admins, the directors and ERUN of the booking's school, the borrower. An ERUN books
tablet cases for their schools as a director does (DESIGN: "tablet bookings").
``SLOT``: a booking's times only, for anyone who may view the asset: the calendar shows
another school's bookings as "booked", without their class or teacher.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from preau.core import access
from preau.directory.scope import scope_of
from preau.fleet.access import fleet_municipalities, school_sites
from preau.loans.models import Booking, Loanable

SLOT = "slot"


def lending_municipalities(user: Any) -> frozenset[int]:
    return fleet_municipalities(user)


def leading_schools(user: Any) -> frozenset[int]:
    """The schools whose bookings ``user`` runs as a whole: director or ERUN there (any
    class, anyone's booking)."""
    scope = scope_of(user)
    return scope.director_schools | scope.erun_schools


def booking_schools(user: Any) -> frozenset[int]:
    """The schools ``user`` may book for (director, ERUN or teacher there)."""
    return leading_schools(user) | scope_of(user).teacher_schools


def _loanable_q(user: Any, action: str, prefix: str = "") -> Q:
    staff = Q(**{f"{prefix}municipality_id__in": lending_municipalities(user)})
    if action == access.CHANGE:
        return staff
    sites = school_sites(user)
    on_site = Q(**{f"{prefix}asset__site_id__in": sites, f"{prefix}active": True})
    return staff | on_site if sites else staff


def _loanable_rule(user: Any, qs: QuerySet[Loanable], action: str) -> QuerySet[Loanable]:
    if action not in (access.VIEW, access.CHANGE):
        return qs.none()
    return qs.filter(_loanable_q(user, action))


def _booking_rule(user: Any, qs: QuerySet[Booking], action: str) -> QuerySet[Booking]:
    staff = Q(municipality_id__in=lending_municipalities(user))
    if action == SLOT:
        return qs.filter(_loanable_q(user, access.VIEW, "loanable__"))
    if action == access.VIEW:
        return qs.filter(staff | Q(borrower=user) | Q(school_id__in=booking_schools(user)))
    if action == access.CHANGE:
        return qs.filter(staff | Q(borrower=user) | Q(school_id__in=leading_schools(user)))
    return qs.none()


access.register(Loanable, _loanable_rule)
access.register(Booking, _booking_rule)
