"""Access rules for the programme app, registered in the kernel (``preau.core.access``).

view and change: programme officers and city admins → their municipality's programmes.
Site milestones (the rollout): officers and city admins view and change them; a director
views those of the site(s) of their school(s). Technicians, ERUN, teachers, guardians and
pupils reach nothing here.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from preau.core import access
from preau.directory.models import Role, School
from preau.directory.scope import scope_of
from preau.programme.models import (
    Attachment,
    Axis,
    BudgetLine,
    Claim,
    ClaimLine,
    Contract,
    Delivery,
    FundingSource,
    IndicatorValue,
    Invoice,
    InvoiceLine,
    Objective,
    Order,
    OrderLine,
    Programme,
    SiteMilestone,
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
access.register(Contract, _rule("programme__municipality_id"))
access.register(Delivery, _rule("order__programme__municipality_id"))
access.register(Claim, _rule("programme__municipality_id"))
access.register(ClaimLine, _rule("claim__programme__municipality_id"))
access.register(IndicatorValue, _rule("programme__municipality_id"))


def director_sites(user: Any) -> frozenset[int]:
    """The sites of the schools ``user`` directs, looked up once per request (user)."""
    schools = scope_of(user).director_schools
    if not schools:
        return frozenset()
    cached: frozenset[int] | None = getattr(user, "_preau_director_sites", None)
    if cached is None:
        cached = frozenset(School.objects.filter(pk__in=schools).values_list("site_id", flat=True))
        user._preau_director_sites = cached
    return cached


def _milestone_rule(user: Any, qs: QuerySet[Any], action: str) -> QuerySet[Any]:
    staff = Q(programme__municipality_id__in=programme_municipalities(user))
    if action == access.CHANGE:
        return qs.filter(staff)
    if action != access.VIEW:
        return qs.none()
    sites = director_sites(user)
    return qs.filter(staff | Q(site_id__in=sites)) if sites else qs.filter(staff)


access.register(SiteMilestone, _milestone_rule)


def _attachment_rule(user: Any, qs: QuerySet[Any], action: str) -> QuerySet[Any]:
    """Programme staff reach every file of their programmes; a director views the
    evidence of their site's milestones, and nothing else."""
    staff = Q(programme__municipality_id__in=programme_municipalities(user))
    if action == access.CHANGE:
        return qs.filter(staff)
    if action != access.VIEW:
        return qs.none()
    sites = director_sites(user)
    return qs.filter(staff | Q(milestone__site_id__in=sites)) if sites else qs.filter(staff)


access.register(Attachment, _attachment_rule)
