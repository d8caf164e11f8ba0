"""The UI shell's navigation: apps register entries; each user sees those they may use.

An entry may carry a *badge*: a ``count(user)`` function (e.g. unread notifications),
evaluated only if a page shows the navigation, and at most once per request and entry.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise, cached_property
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

BADGE_MAX = 99
_COUNTS_ATTR = "_preau_nav_counts"


def _new_items(count: int) -> str:
    return ngettext("%(count)d new item", "%(count)d new items", count) % {"count": count}


@dataclass(frozen=True)
class NavEntry:
    key: str
    label: str | Promise
    url_name: str
    visible: Callable[[Any], bool]
    order: int = 100
    # A badge: how many things await the user here, and how to say it to a screen reader.
    count: Callable[[Any], int] | None = None
    count_text: Callable[[int], str] = field(default=_new_items)

    @property
    def url(self) -> str:
        return reverse(self.url_name)


class ShownEntry:
    """An entry as one user sees it: the entry's fields plus its badge, computed lazily."""

    def __init__(self, entry: NavEntry, user: Any) -> None:
        self.entry = entry
        self._user = user

    def __getattr__(self, name: str) -> Any:
        return getattr(self.entry, name)

    @property
    def url(self) -> str:
        return self.entry.url

    @cached_property
    def badge(self) -> int:
        """The entry's count for this user (0 without a count function), once per request."""
        if self.entry.count is None:
            return 0
        counts: dict[str, int] | None = getattr(self._user, _COUNTS_ATTR, None)
        if counts is None:
            counts = {}
            setattr(self._user, _COUNTS_ATTR, counts)
        if self.entry.key not in counts:
            counts[self.entry.key] = self.entry.count(self._user)
        return counts[self.entry.key]

    @property
    def badge_display(self) -> str:
        return f"{BADGE_MAX}+" if self.badge > BADGE_MAX else str(self.badge)

    @property
    def badge_text(self) -> str:
        if self.badge > BADGE_MAX:
            return _("over %(count)s") % {"count": self.entry.count_text(BADGE_MAX)}
        return self.entry.count_text(self.badge)


_entries: dict[str, NavEntry] = {}


def register(entry: NavEntry) -> None:
    _entries[entry.key] = entry


def entries_for(user: Any) -> list[ShownEntry]:
    if not user.is_authenticated:
        return []
    shown = sorted((e for e in _entries.values() if e.visible(user)), key=lambda e: e.order)
    return [ShownEntry(entry, user) for entry in shown]


def forget_counts(user: Any) -> None:
    """Drop the cached badges (after a write in the same request changed them)."""
    if hasattr(user, _COUNTS_ATTR):
        delattr(user, _COUNTS_ATTR)
