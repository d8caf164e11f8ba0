"""The access kernel: the only way code obtains records for a user.

Every app registers, for each of its models, a *rule*: a function that narrows a
queryset to what a user may see (or change, import…). Views, API endpoints, exports and
commands call :func:`restrict` or :func:`get_or_404`; a model with no rule yields
nothing (deny by default), and "missing" and "not yours" raise the same ``Http404``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import (
    MultipleObjectsReturned,
    ObjectDoesNotExist,
    ValidationError,
)
from django.db.models import Model, QuerySet
from django.http import Http404

M = TypeVar("M", bound=Model)
Rule = Callable[[Any, QuerySet[Any], str], QuerySet[Any]]

VIEW = "view"
CHANGE = "change"

_rules: dict[type[Model], Rule] = {}


def register(model: type[Model], rule: Rule) -> None:
    """Declare who may reach ``model``'s rows. One rule per model, set once."""
    if model in _rules and _rules[model] is not rule:
        raise RuntimeError(f"An access rule for {model.__name__} is already registered.")
    _rules[model] = rule


def has_rule(model: type[Model]) -> bool:
    return model in _rules


def restrict(user: Any, queryset: QuerySet[M] | type[M], action: str = VIEW) -> QuerySet[M]:
    qs: QuerySet[M] = queryset._default_manager.all() if isinstance(queryset, type) else queryset
    if user is None or not user.is_authenticated or not user.is_active:
        return qs.none()
    rule = _rules.get(qs.model)
    if rule is None:
        return qs.none()
    return rule(user, qs, action)


def get_or_404(user: Any, queryset: QuerySet[M] | type[M], action: str = VIEW, **lookup: Any) -> M:
    """The object matching ``lookup`` if ``user`` may act on it; ``Http404`` otherwise."""
    try:
        return restrict(user, queryset, action).get(**lookup)
    except (ObjectDoesNotExist, MultipleObjectsReturned, ValueError, ValidationError):
        raise Http404 from None


def can(user: Any, obj: Model, action: str = VIEW) -> bool:
    return restrict(user, type(obj), action).filter(pk=obj.pk).exists()


def queryset_model(queryset: QuerySet[Any] | type[Model]) -> type[Model]:
    return queryset if isinstance(queryset, type) else queryset.model
