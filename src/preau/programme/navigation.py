"""The programme's entry in the main navigation: programme officers and city admins."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from preau.core.navigation import NavEntry, register
from preau.directory.scope import scope_of
from preau.programme.access import programme_municipalities


def _programme_staff(user: Any) -> bool:
    return bool(programme_municipalities(user))


register(NavEntry("programme", _("Programme"), "programme:dashboard", _programme_staff, order=70))


def _director(user: Any) -> bool:
    return bool(scope_of(user).director_schools)


register(
    NavEntry("programme_rollout", _("Rollout"), "programme:rollout_index", _director, order=71)
)
