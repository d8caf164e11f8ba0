"""Query pieces shared by the directory pages and the home pages.

They only ever narrow or decorate querysets that came from the access kernel.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Prefetch, Q

from preau.core.access import restrict
from preau.directory.models import Enrolment, Guardian, Membership, Role


def pupil_count() -> Count:
    """Pupils of a class: those enrolled now, or ever for a past year's class."""
    return Count(
        "enrolments",
        filter=Q(enrolments__ended_on__isnull=True) | Q(year__is_current=False),
        distinct=True,
    )


def teachers_prefetch(lookup: str = "memberships") -> Prefetch[Any]:
    """A visible class's teachers, as ``teacher_memberships`` (their names are the class's)."""
    return Prefetch(
        lookup,
        queryset=Membership.objects.filter(role=Role.TEACHER)
        .select_related("user")
        .order_by("user__last_name", "user__first_name"),
        to_attr="teacher_memberships",
    )


def current_enrolments(user: Any, *, with_teachers: bool = False) -> Prefetch[Any]:
    """A pupil's open enrolment with its class, as ``current_enrolments``."""
    enrolments = (
        restrict(user, Enrolment).filter(ended_on__isnull=True).select_related("school_class")
    )
    if with_teachers:
        enrolments = enrolments.prefetch_related(teachers_prefetch("school_class__memberships"))
    return Prefetch("enrolments", queryset=enrolments, to_attr="current_enrolments")


def activation_by_class(user: Any, class_ids: Iterable[int]) -> dict[int, tuple[int, int]]:
    """For each class, (guardians with an activated account, guardians) of its pupils."""
    key = "links__pupil__enrolments__school_class_id"
    rows = (
        restrict(user, Guardian)
        .filter(**{f"{key}__in": list(class_ids)}, links__pupil__enrolments__ended_on__isnull=True)
        .order_by()
        .values(key)
        .annotate(
            total=Count("pk", distinct=True),
            active=Count("pk", distinct=True, filter=Q(user__isnull=False)),
        )
    )
    return {row[key]: (row["active"], row["total"]) for row in rows}
