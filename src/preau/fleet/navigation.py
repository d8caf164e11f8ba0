"""The fleet's entry in the main navigation: technicians, city admins, directors, ERUN, teachers."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from preau.core.navigation import NavEntry, register
from preau.directory.scope import scope_of
from preau.fleet.access import fleet_municipalities


def sees_fleet(user: Any) -> bool:
    return bool(fleet_municipalities(user) or scope_of(user).staff_schools)


register(NavEntry("fleet", _("Fleet"), "fleet:asset_list", sees_fleet, order=75))
