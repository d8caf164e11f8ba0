"""Search and filter forms of the directory lists.

Each form validates the query string (bad values get a message and are ignored) and
narrows an already access-restricted queryset. The choices it offers (schools, groups,
classes, years) come from the access kernel too, so a filter never reveals a name the
user may not see, and picking someone else's school is a validation error.
"""

from __future__ import annotations

from functools import reduce
from operator import or_
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from preau.core.access import restrict
from preau.core.search import fold
from preau.directory.models import (
    Guardian,
    Level,
    Pupil,
    School,
    SchoolClass,
    SchoolGroup,
    SchoolYear,
    Site,
)

PAGE_SIZE = 50
_MAX_LEVELS = len(Level)


def words(text: str) -> list[str]:
    return [w for w in text.split() if w][:5]


def name_search(text: str, *fields: str) -> Q:
    """Every word must match one of ``fields`` (so "martin cam" finds Camille Martin),
    ignoring case and accents ("ecole" finds "École")."""
    query = Q()
    for word in words(text):
        folded = fold(word)
        query &= reduce(or_, (Q(**{f"{name}__fold__contains": folded}) for name in fields))
    return query


def has_level(level: str) -> Q:
    # ``levels`` is a JSON list; index lookups work the same on SQLite and PostgreSQL,
    # where ``__contains`` on JSON does not.
    return reduce(or_, (Q(**{f"levels__{i}": level}) for i in range(_MAX_LEVELS)))


class SchoolChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.uai})"


class ClassChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.label} — {obj.school.name}"


def school_filter(label: Any = None) -> SchoolChoiceField:
    """An optional school choice; its queryset is set per user in ``setup``."""
    return SchoolChoiceField(
        label=label or _("School"),
        required=False,
        queryset=School.objects.none(),
        empty_label=_("All schools"),
    )


def class_filter(label: Any = None) -> ClassChoiceField:
    """An optional class choice; its queryset is set per user in ``setup``."""
    return ClassChoiceField(
        label=label or _("Class"),
        required=False,
        queryset=SchoolClass.objects.none(),
        empty_label=_("All classes"),
    )


class FilterForm(forms.Form):
    """A GET form: ``apply`` narrows a queryset with whatever fields are valid."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )

    def __init__(self, user: Any, data: Any) -> None:
        super().__init__(data)
        self.user = user
        self.setup()

    def setup(self) -> None:
        """Give the choice fields their access-restricted querysets."""

    def value(self, name: str) -> Any:
        if not hasattr(self, "cleaned_data"):
            self.is_valid()
        return self.cleaned_data.get(name)

    def apply(self, qs: QuerySet[Any]) -> QuerySet[Any]:
        raise NotImplementedError

    @property
    def is_filtered(self) -> bool:
        return any(self.value(name) not in (None, "") for name in self.fields)


class SchoolFilter(FilterForm):
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *School.Kind.choices]
    )
    group = forms.ModelChoiceField(
        label=_("School group"),
        required=False,
        queryset=SchoolGroup.objects.none(),
        empty_label=_("All groups"),
    )

    def setup(self) -> None:
        self.fields["group"].queryset = restrict(self.user, SchoolGroup)  # type: ignore[attr-defined]

    def apply(self, qs: QuerySet[Any]) -> QuerySet[Any]:
        if text := self.value("q"):
            qs = qs.filter(name_search(text, "name", "uai"))
        if kind := self.value("kind"):
            qs = qs.filter(kind=kind)
        if group := self.value("group"):
            qs = qs.filter(group=group)
        return qs


class SiteFilter(FilterForm):
    group = forms.ModelChoiceField(
        label=_("School group"),
        required=False,
        queryset=SchoolGroup.objects.none(),
        empty_label=_("All groups"),
    )

    def setup(self) -> None:
        self.fields["group"].queryset = restrict(self.user, SchoolGroup)  # type: ignore[attr-defined]

    def apply(self, qs: QuerySet[Site]) -> QuerySet[Site]:
        if text := self.value("q"):
            qs = qs.filter(name_search(text, "name", "address", "city"))
        if group := self.value("group"):
            qs = qs.filter(group=group)
        return qs


def _schools(user: Any) -> QuerySet[School]:
    return restrict(user, School).only("pk", "name", "uai")


def _current_classes(user: Any) -> QuerySet[SchoolClass]:
    return (
        restrict(user, SchoolClass)
        .filter(year__is_current=True)
        .select_related("school")
        .only("pk", "label", "school__name")
        .order_by("school__name", "label")
    )


class ClassFilter(FilterForm):
    school = school_filter()
    level = forms.ChoiceField(
        label=_("Level"), required=False, choices=[("", _("All levels")), *Level.choices]
    )
    year = forms.ModelChoiceField(
        label=_("School year"),
        required=False,
        queryset=SchoolYear.objects.none(),
        empty_label=_("Current year"),
    )

    def setup(self) -> None:
        self.fields["school"].queryset = _schools(self.user)  # type: ignore[attr-defined]
        # Only the years in which the user has classes: years are not tenant data, but a
        # list of them is more useful that way.
        self.fields["year"].queryset = SchoolYear.objects.filter(  # type: ignore[attr-defined]
            pk__in=restrict(self.user, SchoolClass).values("year_id")
        )

    def apply(self, qs: QuerySet[SchoolClass]) -> QuerySet[SchoolClass]:
        year = self.value("year")
        qs = qs.filter(year=year) if year else qs.filter(year__is_current=True)
        if text := self.value("q"):
            qs = qs.filter(name_search(text, "label"))
        if school := self.value("school"):
            qs = qs.filter(school=school)
        if level := self.value("level"):
            qs = qs.filter(has_level(level))
        return qs

    @property
    def is_filtered(self) -> bool:
        return any(self.value(name) for name in ("q", "school", "level", "year"))


class PupilFilter(FilterForm):
    ACTIVE, LEFT = "active", "left"

    school = school_filter()
    school_class = class_filter()
    level = forms.ChoiceField(
        label=_("Level"), required=False, choices=[("", _("All levels")), *Level.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All pupils")), (ACTIVE, _("Enrolled")), (LEFT, _("Left the school"))],
    )

    def setup(self) -> None:
        self.fields["school"].queryset = _schools(self.user)  # type: ignore[attr-defined]
        self.fields["school_class"].queryset = _current_classes(self.user)  # type: ignore[attr-defined]

    def apply(self, qs: QuerySet[Pupil]) -> QuerySet[Pupil]:
        if text := self.value("q"):
            qs = qs.filter(name_search(text, "last_name", "usage_name", "first_name"))
        if school := self.value("school"):
            qs = qs.filter(school=school)
        if school_class := self.value("school_class"):
            qs = qs.filter(enrolments__school_class=school_class, enrolments__ended_on__isnull=True)
        if level := self.value("level"):
            qs = qs.filter(level=level)
        status = self.value("status")
        if status == self.ACTIVE:
            qs = qs.filter(left_on__isnull=True)
        elif status == self.LEFT:
            qs = qs.filter(left_on__isnull=False)
        return qs


class GuardianFilter(FilterForm):
    ACTIVATED, NOT_ACTIVATED = "activated", "not_activated"

    school = school_filter(_("Children's school"))
    school_class = class_filter(_("Children's class"))
    account = forms.ChoiceField(
        label=_("Account"),
        required=False,
        choices=[
            ("", _("All guardians")),
            (ACTIVATED, _("Activated")),
            (NOT_ACTIVATED, _("Not activated")),
        ],
    )

    def setup(self) -> None:
        self.fields["school"].queryset = _schools(self.user)  # type: ignore[attr-defined]
        self.fields["school_class"].queryset = _current_classes(self.user)  # type: ignore[attr-defined]

    def apply(self, qs: QuerySet[Guardian]) -> QuerySet[Guardian]:
        if text := self.value("q"):
            qs = qs.filter(name_search(text, "last_name", "usage_name", "first_name", "email"))
        if school := self.value("school"):
            qs = qs.filter(pk__in=Guardian.objects.filter(links__pupil__school=school).values("pk"))
        if school_class := self.value("school_class"):
            qs = qs.filter(
                pk__in=Guardian.objects.filter(
                    links__pupil__enrolments__school_class=school_class,
                    links__pupil__enrolments__ended_on__isnull=True,
                ).values("pk")
            )
        account = self.value("account")
        if account == self.ACTIVATED:
            qs = qs.filter(user__isnull=False)
        elif account == self.NOT_ACTIVATED:
            qs = qs.filter(user__isnull=True)
        return qs
