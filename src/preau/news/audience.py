"""Audiences: where a user may post, who reads a post, who appears in its photos.

- a class: its teachers and the director of its school may post; its pupils' guardians
  and the pupils read it;
- a school: its director posts; every family of the school reads it;
- every school of a municipality: its city admins post; every family of the city reads.

Staff read the posts of their schools, city admins those of their municipality.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from preau.core.access import restrict
from preau.directory.models import (
    Enrolment,
    GuardianLink,
    Municipality,
    Pupil,
    Role,
    School,
    SchoolClass,
)
from preau.directory.scope import Scope, scope_of
from preau.news.models import Audience, Post


@dataclass(frozen=True)
class Target:
    """One audience a user may post to."""

    kind: str
    obj: SchoolClass | School | Municipality

    @property
    def label(self) -> str:
        if isinstance(self.obj, SchoolClass):
            return _("Class %(label)s, %(school)s") % {
                "label": self.obj.label,
                "school": self.obj.school.name,
            }
        if isinstance(self.obj, School):
            return _("All of %(school)s") % {"school": self.obj.name}
        return _("Every school of %(city)s") % {"city": self.obj.name}


def postable_classes(user: Any) -> QuerySet[SchoolClass]:
    scope = scope_of(user)
    return (
        restrict(user, SchoolClass)
        .filter(Q(pk__in=scope.teacher_classes) | Q(school_id__in=scope.director_schools))
        .filter(year__is_current=True)
        .select_related("school")
        .order_by("school__name", "label")
    )


def postable_schools(user: Any) -> QuerySet[School]:
    return restrict(user, School).filter(pk__in=scope_of(user).director_schools).order_by("name")


def postable_municipalities(user: Any) -> QuerySet[Municipality]:
    munis = scope_of(user).municipalities_with(Role.CITY_ADMIN)
    return restrict(user, Municipality).filter(pk__in=munis).order_by("name")


def may_post_somewhere(user: Any) -> bool:
    scope = scope_of(user)
    return bool(
        scope.teacher_classes
        or scope.director_schools
        or scope.municipalities_with(Role.CITY_ADMIN)
    )


def targets(user: Any) -> list[Target]:
    found = [Target(Audience.CLASS, c) for c in postable_classes(user)]
    found += [Target(Audience.SCHOOL, s) for s in postable_schools(user)]
    found += [Target(Audience.MUNICIPALITY, m) for m in postable_municipalities(user)]
    return found


def target_for(user: Any, kind: str, pk: int) -> Target | None:
    """The audience ``kind``/``pk`` if ``user`` may post to it; ``None`` otherwise."""
    querysets: dict[str, QuerySet[Any]] = {
        Audience.CLASS: postable_classes(user),
        Audience.SCHOOL: postable_schools(user),
        Audience.MUNICIPALITY: postable_municipalities(user),
    }
    qs = querysets.get(kind)
    obj = qs.filter(pk=pk).first() if qs is not None else None
    return Target(kind, obj) if obj is not None else None


# Who may change a post, who reads it ------------------------------------------------


def changeable(user: Any, scope: Scope) -> Q:
    """Posts ``user`` may edit: their own, while they may still post to that audience;
    a director also edits their school's posts, a city admin their city's."""
    admin_munis = scope.municipalities_with(Role.CITY_ADMIN)
    school_posts = Q(audience=Audience.SCHOOL, school_id__in=scope.director_schools)
    city_posts = Q(audience=Audience.MUNICIPALITY, municipality_id__in=admin_munis)
    postable = (
        Q(audience=Audience.CLASS, school_class_id__in=scope.teacher_classes)
        | Q(audience=Audience.CLASS, school_id__in=scope.director_schools)
        | school_posts
        | city_posts
    )
    return (Q(author_id=user.pk) & postable) | school_posts | city_posts


def family_readers(scope: Scope) -> Q:
    """Posts for the classes, schools and city of a guardian's children or a pupil."""
    own = set(scope.children) | ({scope.pupil_id} if scope.pupil_id else set())
    if not own:
        return Q(pk__in=[])
    pupils = Pupil.objects.filter(pk__in=own, left_on__isnull=True)
    classes = Enrolment.objects.filter(pupil__in=pupils, ended_on__isnull=True)
    return (
        Q(audience=Audience.CLASS, school_class_id__in=classes.values("school_class_id"))
        | Q(audience=Audience.SCHOOL, school_id__in=pupils.values("school_id"))
        | Q(audience=Audience.MUNICIPALITY, municipality_id__in=pupils.values("municipality_id"))
    )


def staff_readers(scope: Scope) -> Q:
    """Posts of the schools staff work in, and all of a city admin's municipality."""
    q = Q(municipality_id__in=scope.municipalities_with(Role.CITY_ADMIN))
    q |= Q(audience=Audience.MUNICIPALITY, municipality_id__in=scope.city_municipalities)
    if scope.staff_schools:
        q |= Q(school_id__in=scope.staff_schools)
        munis = School.objects.filter(pk__in=scope.staff_schools).values("municipality_id")
        q |= Q(audience=Audience.MUNICIPALITY, municipality_id__in=munis)
    return q


# What a post's audience is made of --------------------------------------------------


def audience_pupils(post: Post) -> QuerySet[Pupil]:
    """The pupils who may be tagged in the post's photos (none for a city-wide post)."""
    pupils = Pupil.objects.filter(left_on__isnull=True)
    if post.audience == Audience.CLASS:
        return pupils.filter(
            enrolments__school_class_id=post.school_class_id, enrolments__ended_on__isnull=True
        )
    if post.audience == Audience.SCHOOL:
        return pupils.filter(school_id=post.school_id or 0)
    return pupils.none()


def _audience_filter(post: Post) -> Q:
    if post.audience == Audience.CLASS:
        return Q(
            enrolments__school_class_id=post.school_class_id, enrolments__ended_on__isnull=True
        )
    if post.audience == Audience.SCHOOL:
        return Q(school_id=post.school_id)
    return Q(municipality_id=post.municipality_id)


def reader_user_ids(post: Post) -> set[int]:
    """The accounts of the audience's guardians and pupils (whom a new post notifies)."""
    pupils = Pupil.objects.filter(_audience_filter(post), left_on__isnull=True)
    guardians = GuardianLink.objects.filter(
        pupil__in=pupils.values("pk"), guardian__user__isnull=False
    ).values_list("guardian__user_id", flat=True)
    pupil_users = pupils.filter(user__isnull=False).values_list("user_id", flat=True)
    return set(guardians) | set(pupil_users)


def audience_label(post: Post) -> str:
    """Where a post was published, as its readers say it."""
    if post.audience == Audience.CLASS and post.school_class is not None:
        school = post.school.name if post.school is not None else ""
        return f"{post.school_class.label} · {school}" if school else post.school_class.label
    if post.audience == Audience.SCHOOL and post.school is not None:
        return post.school.name
    return _("All schools of the city")
