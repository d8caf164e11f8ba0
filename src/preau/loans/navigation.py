"""Bookings in the main navigation: teachers, directors, ERUN, technicians, city admins."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from preau.core.navigation import NavEntry, register
from preau.loans.access import booking_schools, lending_municipalities


def uses_loans(user: Any) -> bool:
    return bool(lending_municipalities(user) or booking_schools(user))


register(NavEntry("loans", _("Bookings"), "loans:index", uses_loans, order=77))
