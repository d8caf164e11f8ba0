"""The cahier de textes in the main navigation: teachers, directors, guardians, pupils."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from preau.core.navigation import NavEntry, register
from preau.directory.scope import scope_of


def _reads_homework(user: Any) -> bool:
    scope = scope_of(user)
    return bool(scope.teacher_classes or scope.director_schools or scope.children or scope.pupil_id)


register(NavEntry("homework", _("Homework"), "homework:index", _reads_homework, order=34))
