"""The cahier de liaison in the main navigation: families and the staff who send notes."""

from __future__ import annotations

from typing import Any

from django.utils.translation import pgettext_lazy

from preau.core.navigation import NavEntry, register
from preau.directory.scope import scope_of


def _concerned(user: Any) -> bool:
    scope = scope_of(user)
    return bool(
        scope.guardian_id is not None
        or scope.pupil_id is not None
        or scope.teacher_classes
        or scope.director_schools
    )


# French: "Cahier de liaison" (the context keeps it apart from other "Notes").
register(
    NavEntry(
        "liaison",
        pgettext_lazy("cahier de liaison", "Notes"),
        "liaison:index",
        _concerned,
        order=22,
    )
)
