from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from preau.core.navigation import NavEntry, register

register(NavEntry("home", _("Home"), "home:index", lambda user: True, order=0))
