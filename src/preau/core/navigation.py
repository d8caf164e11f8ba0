"""The UI shell's navigation: apps register entries; each user sees those they may use."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise


@dataclass(frozen=True)
class NavEntry:
    key: str
    label: str | Promise
    url_name: str
    visible: Callable[[Any], bool]
    order: int = 100

    @property
    def url(self) -> str:
        return reverse(self.url_name)


_entries: dict[str, NavEntry] = {}


def register(entry: NavEntry) -> None:
    _entries[entry.key] = entry


def entries_for(user: Any) -> list[NavEntry]:
    if not user.is_authenticated:
        return []
    return sorted((e for e in _entries.values() if e.visible(user)), key=lambda e: e.order)
