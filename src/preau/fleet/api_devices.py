"""Inventoried devices in the fleet API (/api/v1/fleet/devices): what the agents report.

Read-only: devices are written by the agents' inventories. A device's linked asset is
shown only to who may see that asset, the compliance verdict when there is one.
"""

from typing import Any, Literal

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from preau.core.access import get_or_404, restrict
from preau.fleet.api_base import SEARCH_MAX, Pages, user_of
from preau.fleet.models import Asset, Device, DeviceCompliance, InstalledSoftware
from preau.fleet.schemas import DeviceDetailOut, DeviceOut, SoftwareOut

router = Router(tags=["fleet"])
SOFTWARE_IN_DETAIL = 200


class DeviceFilter(Schema):
    site: int | None = None
    q: str | None = Field(None, max_length=SEARCH_MAX, description="Host name or serial")
    os: str | None = Field(None, max_length=SEARCH_MAX, description="Part of the OS name")
    compliance: Literal["ok", "warning", "critical", "none"] | None = Field(
        None, description="The verdict, or none for devices not rated yet"
    )


def _software_count() -> Any:
    per_device = (
        InstalledSoftware.objects.filter(device=OuterRef("pk"))
        .order_by()
        .values("device")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(per_device, output_field=IntegerField()), 0)


def _devices(user: Any) -> QuerySet[Device]:
    return restrict(user, Device).annotate(
        asset_visible=Exists(restrict(user, Asset).filter(pk=OuterRef("asset_id"))),
        compliance_status=F("compliance__status"),
        software_count=_software_count(),
    )


@router.get("/devices", response=list[DeviceOut], summary="Inventoried devices I may see")
@paginate(Pages)
def device_list(request: HttpRequest, filters: Query[DeviceFilter]) -> QuerySet[Device]:
    devices = _devices(user_of(request))
    if filters.site is not None:
        devices = devices.filter(site_id=filters.site)
    if filters.q:
        devices = devices.filter(Q(hostname__icontains=filters.q) | Q(serial__iexact=filters.q))
    if filters.os:
        devices = devices.filter(os_name__icontains=filters.os)
    if filters.compliance == "none":
        devices = devices.filter(compliance__isnull=True)
    elif filters.compliance:
        devices = devices.filter(compliance__status=filters.compliance)
    return devices.order_by("hostname", "pk")


@router.get("/devices/{id}", response=DeviceDetailOut, summary="A device as its agent sees it")
def device_detail(request: HttpRequest, id: int) -> dict[str, Any]:
    user = user_of(request)
    device = get_or_404(user, _devices(user), pk=id)
    linked = restrict(user, Asset).filter(pk=device.asset_id) if device.asset_id else None
    computed = {
        "aliases": list(device.aliases.order_by("seen_at").values_list("deviceid", flat=True)),
        "asset": linked.first() if linked is not None else None,
        "compliance": restrict(user, DeviceCompliance).filter(device=device).first(),
        "interfaces": list(device.interfaces.all()),
        "software": list(device.software.all()[:SOFTWARE_IN_DETAIL]),
    }
    plain = {
        name: getattr(device, name) for name in DeviceDetailOut.model_fields if name not in computed
    }
    return plain | computed


@router.get(
    "/devices/{id}/software", response=list[SoftwareOut], summary="A device's installed programs"
)
@paginate(Pages)
def device_software(
    request: HttpRequest,
    id: int,
    q: str | None = Query(None, max_length=SEARCH_MAX, description="Part of the name"),
) -> QuerySet[InstalledSoftware]:
    user = user_of(request)
    device = get_or_404(user, Device, pk=id)
    software = restrict(user, InstalledSoftware).filter(device=device)
    if q:
        software = software.filter(name__icontains=q)
    return software.order_by("name", "version", "pk")
