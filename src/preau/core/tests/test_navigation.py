"""The navigation registry: entries per user, and the badge hook (a count, once per request)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import translation

from preau.core import navigation
from preau.core.navigation import NavEntry, entries_for, forget_counts


class _User:
    is_authenticated = True


@pytest.fixture
def registry() -> Iterator[dict[str, NavEntry]]:
    saved = dict(navigation._entries)
    navigation._entries.clear()
    try:
        yield navigation._entries
    finally:
        navigation._entries.clear()
        navigation._entries.update(saved)


def test_entries_in_order_and_only_visible_ones(registry: dict[str, NavEntry]) -> None:
    navigation.register(NavEntry("b", "B", "home:index", lambda u: True, order=20))
    navigation.register(NavEntry("a", "A", "home:index", lambda u: True, order=10))
    navigation.register(NavEntry("hidden", "H", "home:index", lambda u: False))
    shown = entries_for(_User())
    assert [e.key for e in shown] == ["a", "b"]
    assert shown[0].url == "/"
    assert shown[0].label == "A"
    assert shown[0].badge == 0  # no count function: no badge
    assert entries_for(AnonymousUser()) == []


def test_badge_is_counted_once_per_request_and_capped(registry: dict[str, NavEntry]) -> None:
    calls: list[Any] = []

    def count(user: Any) -> int:
        calls.append(user)
        return 120

    navigation.register(
        NavEntry(
            "inbox",
            "Inbox",
            "home:index",
            lambda u: True,
            count=count,
            count_text=lambda n: f"{n} waiting",
        )
    )
    user = _User()
    for _ in range(3):  # the shell may be rendered, or asked, several times
        (entry,) = entries_for(user)
        assert entry.badge == 120
    assert len(calls) == 1
    assert entry.badge_display == "99+"
    with translation.override("en"):
        assert entry.badge_text == "over 99 waiting"
    forget_counts(user)
    (entry,) = entries_for(user)
    assert entry.badge == 120
    assert len(calls) == 2
    assert entries_for(_User())[0].badge == 120  # another request, another count
    assert len(calls) == 3


def test_default_badge_text(registry: dict[str, NavEntry]) -> None:
    navigation.register(NavEntry("x", "X", "home:index", lambda u: True, count=lambda u: 2))
    (entry,) = entries_for(_User())
    with translation.override("en"):
        assert (entry.badge_display, entry.badge_text) == ("2", "2 new items")
