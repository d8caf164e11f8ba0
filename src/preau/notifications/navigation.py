from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from preau.core.navigation import NavEntry, register
from preau.notifications.services import unread_count


def _unread_text(count: int) -> str:
    return ngettext("%(count)d unread", "%(count)d unread", count) % {"count": count}


def _everyone(user: Any) -> bool:
    return True


register(
    NavEntry(
        "notifications",
        _("Notifications"),
        "notifications:timeline",
        _everyone,
        order=5,
        count=unread_count,
        count_text=_unread_text,
    )
)
