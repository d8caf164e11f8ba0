"""The helpdesk in the main navigation: teachers, directors, ERUN, technicians, city admins."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from preau.core.navigation import NavEntry, register
from preau.helpdesk.access import handles_tickets, reporting_schools


def uses_helpdesk(user: Any) -> bool:
    return bool(handles_tickets(user) or reporting_schools(user))


register(NavEntry("helpdesk", _("Helpdesk"), "helpdesk:index", uses_helpdesk, order=76))
