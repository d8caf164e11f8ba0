"""Which devices a deployment targets, resolved when asked (a device inventoried later
in a targeted room gets the package too).

A device is targeted when it is listed by name, or when at least one of sites, rooms,
kinds is set and the device matches every one that is set: "the laptops of Bois-du-Château"
is sites = {Bois-du-Château} and kinds = {laptop}. A device's room and kind come from its
asset; its site from the device (the agent's tag) or else from its asset.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.db.models import Exists, Model, OuterRef, Q, QuerySet, Value

from preau.fleet.models import Deployment, Device

_Listed = Deployment.devices.through
_Sites = Deployment.sites.through
_Rooms = Deployment.rooms.through


def _kinds(deployment: Deployment) -> list[str]:
    return [k for k in deployment.kinds if isinstance(k, str)]


def devices_matching(
    municipality_id: int,
    *,
    site_ids: Collection[int] = (),
    room_ids: Collection[int] = (),
    kinds: Collection[str] = (),
    device_ids: Collection[int] | QuerySet[Any] = (),
) -> QuerySet[Device]:
    """The devices of ``municipality_id`` such a target reaches now: the listed ones, and
    those matching every one of sites, rooms, kinds that is set (the module's rule)."""
    rule = Q(pk__in=device_ids)
    if site_ids or room_ids or kinds:
        matching = Q()
        if site_ids:
            matching &= Q(site_id__in=site_ids) | Q(site__isnull=True, asset__site_id__in=site_ids)
        if room_ids:
            matching &= Q(asset__room_id__in=room_ids)
        if kinds:
            matching &= Q(asset__kind__in=kinds)
        rule |= matching
    return Device.objects.filter(rule, municipality_id=municipality_id).distinct()


def target_devices(deployment: Deployment) -> QuerySet[Device]:
    """The devices ``deployment`` targets now, in its municipality only."""
    return devices_matching(
        deployment.municipality_id,
        site_ids=list(deployment.sites.values_list("pk", flat=True)),
        room_ids=list(deployment.rooms.values_list("pk", flat=True)),
        kinds=_kinds(deployment),
        device_ids=deployment.devices.values("pk"),
    )


def targets(deployment: Deployment, device: Device) -> bool:
    return target_devices(deployment).filter(pk=device.pk).exists()


def active_deployments_for(device: Device) -> list[Deployment]:
    """The active deployments of the device's municipality that target it now.

    One query whatever the number of deployments (agents ask often): the site and room
    rules are answered by subqueries for this device's own site and room; the kinds, a
    JSON list, are compared here (SQLite cannot search inside JSON lists).
    """
    if device.municipality_id is None:
        return []
    asset = device.asset if device.asset_id is not None else None
    site_id = device.site_id if device.site_id is not None else getattr(asset, "site_id", None)
    room_id = getattr(asset, "room_id", None)
    kind = getattr(asset, "kind", None)
    candidates = (
        Deployment.objects.filter(
            municipality_id=device.municipality_id,
            state=Deployment.State.ACTIVE,
            package__trashed_at__isnull=True,
        )
        .select_related("package")
        .annotate(
            listed=Exists(_Listed.objects.filter(deployment_id=OuterRef("pk"), device=device)),
            has_sites=Exists(_Sites.objects.filter(deployment_id=OuterRef("pk"))),
            site_matches=_lists(_Sites, "site_id", site_id),
            has_rooms=Exists(_Rooms.objects.filter(deployment_id=OuterRef("pk"))),
            room_matches=_lists(_Rooms, "room_id", room_id),
        )
        .order_by("created_at", "pk")
    )
    return [d for d in candidates if _matches(d, kind)]


def _lists(through: type[Model], field: str, value: int | None) -> Exists | Value:
    """Does the deployment list ``value`` (a site, a room)? No, when there is none."""
    if value is None:
        return Value(False)
    return Exists(through._default_manager.filter(deployment_id=OuterRef("pk"), **{field: value}))


def _matches(deployment: Deployment, kind: str | None) -> bool:
    """The rule of ``_device_filter``, on the annotations of ``active_deployments_for``."""
    if deployment.listed:  # type: ignore[attr-defined]
        return True
    kinds = _kinds(deployment)
    has_sites: bool = deployment.has_sites  # type: ignore[attr-defined]
    has_rooms: bool = deployment.has_rooms  # type: ignore[attr-defined]
    if not (has_sites or has_rooms or kinds):
        return False
    if has_sites and not deployment.site_matches:  # type: ignore[attr-defined]
        return False
    if has_rooms and not deployment.room_matches:  # type: ignore[attr-defined]
        return False
    return not kinds or kind in kinds
