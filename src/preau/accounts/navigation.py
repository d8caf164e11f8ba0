from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from preau.core.navigation import NavEntry, register
from preau.directory.models import Role
from preau.directory.scope import scope_of

register(
    NavEntry(
        "accounts.audit",
        _("Audit log"),
        "accounts:audit_log",
        lambda u: bool(scope_of(u).municipalities_with(Role.CITY_ADMIN)),
        order=90,
    )
)
