"""Which devices a deployment targets, resolved when asked (a device inventoried later
in a targeted room gets the package too).

A device is targeted when it is listed by name, or when at least one of sites, rooms,
kinds is set and the device matches every one that is set: "the laptops of Bois-du-Château"
is sites = {Bois-du-Château} and kinds = {laptop}. A device's room and kind come from its
asset; its site from the device (the agent's tag) or else from its asset.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from preau.fleet.models import Deployment, Device


def _device_filter(deployment: Deployment) -> Q:
    listed = Q(pk__in=deployment.devices.values("pk"))
    site_ids = list(deployment.sites.values_list("pk", flat=True))
    room_ids = list(deployment.rooms.values_list("pk", flat=True))
    kinds = [k for k in deployment.kinds if isinstance(k, str)]
    if not (site_ids or room_ids or kinds):
        return listed
    rule = Q()
    if site_ids:
        rule &= Q(site_id__in=site_ids) | Q(site__isnull=True, asset__site_id__in=site_ids)
    if room_ids:
        rule &= Q(asset__room_id__in=room_ids)
    if kinds:
        rule &= Q(asset__kind__in=kinds)
    return listed | rule


def target_devices(deployment: Deployment) -> QuerySet[Device]:
    """The devices ``deployment`` targets now, in its municipality only."""
    return Device.objects.filter(
        _device_filter(deployment), municipality_id=deployment.municipality_id
    ).distinct()


def targets(deployment: Deployment, device: Device) -> bool:
    return target_devices(deployment).filter(pk=device.pk).exists()


def active_deployments_for(device: Device) -> list[Deployment]:
    """The active deployments of the device's municipality that target it now."""
    if device.municipality_id is None:
        return []
    candidates = Deployment.objects.filter(
        municipality_id=device.municipality_id,
        state=Deployment.State.ACTIVE,
        package__trashed_at__isnull=True,
    ).select_related("package")
    return [d for d in candidates if targets(d, device)]
