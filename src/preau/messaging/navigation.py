"""Messaging's entry in the main navigation, with the number of unread conversations."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from preau.core.navigation import NavEntry, register
from preau.directory.models import Role
from preau.directory.scope import scope_of
from preau.messaging.queries import unread_count

_WRITERS = frozenset({"guardian", "pupil", Role.TEACHER, Role.DIRECTOR, Role.ERUN, Role.CITY_ADMIN})


def may_use_messaging(user: Any) -> bool:
    return bool(scope_of(user).roles & _WRITERS)


def _unread_text(count: int) -> str:
    return ngettext("%(count)d unread conversation", "%(count)d unread conversations", count) % {
        "count": count
    }


register(
    NavEntry(
        "messaging",
        _("Messages"),
        "messaging:inbox",
        may_use_messaging,
        order=20,
        count=unread_count,
        count_text=_unread_text,
    )
)
