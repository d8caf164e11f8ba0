"""Access rules for the fleet, registered in the kernel (``preau.core.access``).

Technicians and city admins view and change their municipality's assets and devices and
read its agents' events, and alone see packages, deployments and compliance rules;
directors, ERUN (digital referents) and teachers view the assets and devices of their
schools' sites, and those devices' compliance. Programme officers, guardians and pupils
reach nothing here.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from preau.core import access
from preau.directory.models import Role, School
from preau.directory.scope import scope_of
from preau.fleet.models import (
    AgentEvent,
    AgentTag,
    Asset,
    AssetEvent,
    ComplianceRule,
    Deployment,
    DeploymentJob,
    DeploymentJobEvent,
    Device,
    DeviceCompliance,
    InstalledSoftware,
    Package,
    PackageAction,
    PackageCheck,
    PackageFile,
    RawInventory,
)

FLEET_ROLES = (Role.CITY_ADMIN, Role.CITY_TECHNICIAN)


def fleet_municipalities(user: Any) -> frozenset[int]:
    """Where ``user`` manages the fleet (technician or city admin)."""
    return scope_of(user).municipalities_with(*FLEET_ROLES)


def school_sites(user: Any) -> frozenset[int]:
    """The sites of the schools ``user`` directs, refers or teaches in (once per request)."""
    schools = scope_of(user).staff_schools
    if not schools:
        return frozenset()
    cached: frozenset[int] | None = getattr(user, "_preau_fleet_sites", None)
    if cached is None:
        cached = frozenset(School.objects.filter(pk__in=schools).values_list("site_id", flat=True))
        user._preau_fleet_sites = cached
    return cached


def _rule(municipality: str, site: str | None) -> access.Rule:
    def rule(user: Any, qs: QuerySet[Any], action: str) -> QuerySet[Any]:
        staff = Q(**{f"{municipality}__in": fleet_municipalities(user)})
        if action == access.CHANGE or site is None:
            return qs.filter(staff)
        if action != access.VIEW:
            return qs.none()
        sites = school_sites(user)
        return qs.filter(staff | Q(**{f"{site}__in": sites})) if sites else qs.filter(staff)

    return rule


access.register(Asset, _rule("municipality_id", "site_id"))
access.register(AssetEvent, _rule("asset__municipality_id", "asset__site_id"))
access.register(Device, _rule("municipality_id", "site_id"))
access.register(InstalledSoftware, _rule("device__municipality_id", "device__site_id"))
access.register(AgentEvent, _rule("municipality_id", None))
access.register(AgentTag, _rule("site__municipality_id", None))
access.register(RawInventory, _rule("device__municipality_id", None))
access.register(DeviceCompliance, _rule("device__municipality_id", "device__site_id"))
access.register(ComplianceRule, _rule("municipality_id", None))
access.register(Package, _rule("municipality_id", None))
access.register(PackageFile, _rule("package__municipality_id", None))
access.register(PackageCheck, _rule("package__municipality_id", None))
access.register(PackageAction, _rule("package__municipality_id", None))
access.register(Deployment, _rule("municipality_id", None))
access.register(DeploymentJob, _rule("deployment__municipality_id", None))
access.register(DeploymentJobEvent, _rule("job__deployment__municipality_id", None))
