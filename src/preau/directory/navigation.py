from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from preau.core.navigation import NavEntry, register
from preau.directory.scope import scope_of

register(NavEntry("directory.schools", _("Schools"), "directory:school_list",
                  lambda u: scope_of(u).is_staff_member, order=20))
register(NavEntry("directory.pupils", _("Pupils"), "directory:pupil_list",
                  lambda u: bool(scope_of(u).city_roles or scope_of(u).director_schools
                                 or scope_of(u).teacher_classes), order=30))
