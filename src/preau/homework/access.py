"""Access rules for the cahier de textes, registered in the kernel (``preau.core.access``).

view:   the teachers of the class, the director of its school, the guardians of the
        pupils enrolled in it and those pupils themselves.
change: the teachers of the class and the director of its school.
City roles and ERUN reach nothing here: a class's homework is the class's business.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from preau.core import access
from preau.directory.models import Enrolment, SchoolClass
from preau.directory.scope import scope_of
from preau.homework.models import Attachment, Entry

NOTHING = Q(pk__in=[])


def _class_q(user: Any, action: str, prefix: str) -> Q:
    """Which classes' homework ``user`` may act on, as a filter on ``prefix``(the class)."""
    if action not in (access.VIEW, access.CHANGE):
        return NOTHING
    scope = scope_of(user)
    q = NOTHING
    if scope.teacher_classes:
        q |= Q(**{f"{prefix}pk__in": scope.teacher_classes})
    if scope.director_schools:
        q |= Q(**{f"{prefix}school_id__in": scope.director_schools})
    if action == access.VIEW:
        own = set(scope.children)
        if scope.pupil_id is not None:
            own.add(scope.pupil_id)
        if own:
            classes = Enrolment.objects.filter(pupil_id__in=own, ended_on__isnull=True)
            q |= Q(**{f"{prefix}pk__in": classes.values("school_class_id")})
    return q


def homework_classes(user: Any, action: str = access.VIEW) -> QuerySet[SchoolClass]:
    """The classes whose cahier de textes ``user`` may read (view) or write (change)."""
    return access.restrict(user, SchoolClass).filter(_class_q(user, action, ""))


def _entry_rule(user: Any, qs: QuerySet[Entry], action: str) -> QuerySet[Entry]:
    return qs.filter(_class_q(user, action, "school_class__"))


def _attachment_rule(user: Any, qs: QuerySet[Attachment], action: str) -> QuerySet[Attachment]:
    return qs.filter(_class_q(user, action, "entry__school_class__"))


access.register(Entry, _entry_rule)
access.register(Attachment, _attachment_rule)
