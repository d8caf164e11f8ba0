"""Directory entries of the main navigation, per role.

City staff, ERUN and directors get the directory overview and its schools; staff with a
reason to see children (city admins, directors, teachers) get pupils and guardians.
Guardians and pupils find what concerns them on their home page instead.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from preau.core.navigation import NavEntry, register
from preau.directory.models import Role
from preau.directory.scope import Scope, scope_of


def _overseer(user: Any) -> bool:
    scope = scope_of(user)
    return bool(scope.city_roles or scope.erun_schools or scope.director_schools)


def _staff(user: Any) -> bool:
    return scope_of(user).is_staff_member


def sees_people(scope: Scope) -> bool:
    """Who gets pupil and guardian lists: city admins, directors and teachers.

    Technicians, programme officers and ERUN have no need for children's names; the
    access rules decide what anyone may open, this only decides what is offered.
    """
    return bool(
        scope.municipalities_with(Role.CITY_ADMIN)
        or scope.director_schools
        or scope.teacher_classes
    )


def _people(user: Any) -> bool:
    return sees_people(scope_of(user))


register(NavEntry("directory.index", _("Directory"), "directory:index", _overseer, order=10))
register(NavEntry("directory.schools", _("Schools"), "directory:school_list", _overseer, order=20))
register(NavEntry("directory.classes", _("Classes"), "directory:class_list", _staff, order=30))
register(NavEntry("directory.pupils", _("Pupils"), "directory:pupil_list", _people, order=40))
register(
    NavEntry("directory.guardians", _("Guardians"), "directory:guardian_list", _people, order=50)
)


def _grants(user: Any) -> bool:
    scope = scope_of(user)
    return bool(scope.municipalities_with(Role.CITY_ADMIN) or scope.director_schools)


register(NavEntry("directory.staff", _("Staff"), "directory:staff", _grants, order=60))
