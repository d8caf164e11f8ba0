"""Access rules for the programme app, registered in the kernel (``preau.core.access``).

view and change: programme officers and city admins → their municipality's programmes.
Technicians, ERUN, directors, teachers, guardians and pupils reach nothing here (the
per-site rollout that directors will read comes with its own models and rule).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from preau.core import access
from preau.directory.models import Role
from preau.directory.scope import scope_of
from preau.programme.models import (
    Axis,
    BudgetLine,
    FundingSource,
    Invoice,
    InvoiceLine,
    Objective,
    Order,
    OrderLine,
    Programme,
    Supplier,
)

PROGRAMME_ROLES = (Role.PROGRAMME_OFFICER, Role.CITY_ADMIN)


def programme_municipalities(user: Any) -> frozenset[int]:
    """The municipalities whose programmes ``user`` may view and change."""
    return scope_of(user).municipalities_with(*PROGRAMME_ROLES)


def _rule(path: str) -> access.Rule:
    def rule(user: Any, qs: QuerySet[Any], action: str) -> QuerySet[Any]:
        if action not in (access.VIEW, access.CHANGE):
            return qs.none()
        return qs.filter(**{f"{path}__in": programme_municipalities(user)})

    return rule


access.register(Programme, _rule("municipality_id"))
access.register(Axis, _rule("programme__municipality_id"))
access.register(Objective, _rule("axis__programme__municipality_id"))
access.register(BudgetLine, _rule("objective__axis__programme__municipality_id"))
access.register(FundingSource, _rule("programme__municipality_id"))
access.register(Supplier, _rule("municipality_id"))
access.register(Order, _rule("programme__municipality_id"))
access.register(OrderLine, _rule("order__programme__municipality_id"))
access.register(Invoice, _rule("order__programme__municipality_id"))
access.register(InvoiceLine, _rule("invoice__order__programme__municipality_id"))
