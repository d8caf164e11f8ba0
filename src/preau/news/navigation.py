"""The news entries in the main navigation: for anyone with an audience to read or
write to, and the photo-consent page for guardians."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from preau.core.navigation import NavEntry, register
from preau.directory.scope import scope_of


def _has_news(user: Any) -> bool:
    scope = scope_of(user)
    return bool(
        scope.children or scope.pupil_id or scope.staff_schools or scope.city_municipalities
    )


def _guardian(user: Any) -> bool:
    return bool(scope_of(user).children)


register(NavEntry("news", _("News"), "news:timeline", _has_news, order=20))
register(NavEntry("news_consent", _("Photo consent"), "news:consent", _guardian, order=85))
