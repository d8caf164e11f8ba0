"""The fleet's API under /api/v1/fleet/: assets, inventoried devices, deployments.

The same access kernel as the pages: an asset someone may not see is a JSON 404, like a
missing one. Technicians and city admins write (through ``services``); directors, ERUN
and teachers read their schools' sites and get a 403 when they try to write; families
get 404s and empty lists. Devices are in ``api_devices``, deployments in ``api_deploy``.
"""

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import F, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from preau.core.access import CHANGE, can, get_or_404, restrict
from preau.directory.models import Membership, Municipality, Room, Site
from preau.fleet import lifecycle, services
from preau.fleet.api_base import SEARCH_MAX, Pages, managed, read_only, user_of
from preau.fleet.api_deploy import router as deploy_router
from preau.fleet.api_deploy_actions import router as deploy_actions_router
from preau.fleet.api_devices import router as devices_router
from preau.fleet.asset_search import search_assets
from preau.fleet.models import Asset, AssetKind, AssetStatus, Device
from preau.fleet.schemas import (
    AssetDetailOut,
    AssetIn,
    AssetOut,
    AssetPatch,
    TransitionIn,
)

router = Router(tags=["fleet"])
HISTORY = 100  # events in an asset's detail, as on its page
_DATES = ("purchase_date", "warranty_end")  # null stays null; other null fields become ""


class AssetFilter(Schema):
    site: int | None = None
    kind: AssetKind | None = None
    status: AssetStatus | None = None
    q: str | None = Field(None, max_length=SEARCH_MAX, description="Serial, code, model…")


def _assets(user: Any) -> QuerySet[Asset]:
    return restrict(user, Asset).annotate(site_name=F("site__name"))


@router.get("/assets", response=list[AssetOut], summary="Assets I may see")
@paginate(Pages)
def asset_list(request: HttpRequest, filters: Query[AssetFilter]) -> QuerySet[Asset]:
    assets = _assets(user_of(request))
    if filters.site is not None:
        assets = assets.filter(site_id=filters.site)
    if filters.kind:
        assets = assets.filter(kind=filters.kind)
    if filters.status:
        assets = assets.filter(status=filters.status)
    if filters.q:
        assets = search_assets(assets, filters.q)
    return assets.order_by("site__name", "kind", "serial", "pk")


def _detail(user: Any, asset: Asset) -> dict[str, Any]:
    """The detail's fields; the events stay model rows for their schema's resolver."""
    device = restrict(user, Device).filter(asset=asset).values_list("pk", flat=True).first()
    contents = restrict(user, Asset).filter(parent=asset).values_list("pk", flat=True)
    computed = {
        "device_id": device,
        "contents": list(contents),
        "can_change": can(user, asset, CHANGE),
        "transitions": list(lifecycle.allowed(asset.status)),
        "events": list(asset.events.select_related("actor")[:HISTORY]),
    }
    plain = {
        name: getattr(asset, name) for name in AssetDetailOut.model_fields if name not in computed
    }
    return plain | computed


def _fresh(user: Any, **lookup: Any) -> dict[str, Any]:
    return _detail(user, get_or_404(user, _assets(user), **lookup))


@router.get("/assets/{id}", response=AssetDetailOut, summary="An asset and its history")
def asset_detail(request: HttpRequest, id: int) -> dict[str, Any]:
    return _fresh(user_of(request), pk=id)


@router.get("/assets/code/{code}", response=AssetDetailOut, summary="An asset by its label")
def asset_by_code(request: HttpRequest, code: str) -> dict[str, Any]:
    return _fresh(user_of(request), code=code.upper())


def _unknown(field: str) -> HttpError:
    return HttpError(422, _("%(field)s: nothing you may choose has this id.") % {"field": field})


def _reference(user: Any, municipality_id: int, field: str, pk: int, asset: Asset | None) -> Any:
    """The record a ``*_id`` names, among what the asset form would offer; else 422."""
    sites = restrict(user, Site).filter(municipality_id=municipality_id)
    choices: QuerySet[Any]
    if field == "site_id":
        choices = sites
    elif field == "room_id":
        choices = Room.objects.filter(site__in=sites)
    elif field == "assignee_id":
        staff = Membership.objects.filter(municipality_id=municipality_id).values("user_id")
        choices = get_user_model().objects.filter(pk__in=staff)
    else:
        choices = restrict(user, Asset, CHANGE).filter(
            municipality_id=municipality_id, kind=AssetKind.TABLET_CASE
        )
        if asset is not None:
            choices = choices.exclude(pk=asset.pk)
    found = choices.filter(pk=pk).first()
    if found is None:
        raise _unknown(field)
    return found


def _fields(
    user: Any, municipality_id: int, data: dict[str, Any], asset: Asset | None
) -> dict[str, Any]:
    """The service's fields from the request's: ids become records, null text empty."""
    fields: dict[str, Any] = {}
    for name, value in data.items():
        if name.endswith("_id"):
            found = None if value is None else _reference(user, municipality_id, name, value, asset)
            fields[name.removesuffix("_id")] = found
        elif name == "kind" and value is None:
            raise HttpError(422, _("kind: an asset always has a kind."))
        elif name in services.EDITABLE:
            fields[name] = "" if value is None and name not in _DATES else value
    return fields


def _municipality(user: Any, wanted: int | None) -> Municipality:
    municipalities = managed(user)
    if wanted is None and len(municipalities) > 1:
        raise HttpError(422, _("municipality_id: you manage several, say which."))
    pk = wanted if wanted is not None else next(iter(municipalities))
    if pk not in municipalities:
        raise HttpError(422, _("municipality_id: not a municipality whose fleet you manage."))
    return Municipality.objects.get(pk=pk)


@router.post("/assets", response={201: AssetDetailOut}, summary="Register an asset")
def asset_create(request: HttpRequest, data: AssetIn) -> Status:
    user = user_of(request)
    municipality = _municipality(user, data.municipality_id)
    values = data.model_dump(exclude={"municipality_id"})
    fields = _fields(user, municipality.pk, values, None)
    try:
        made = services.create_asset(municipality, fields, actor=user, request=request)
    except services.FleetError as error:
        raise HttpError(422, str(error)) from None
    return Status(201, _fresh(user, pk=made.pk))


def _changeable(user: Any, id: int) -> Asset:
    asset = get_or_404(user, Asset, pk=id)
    if not can(user, asset, CHANGE):
        raise read_only()
    return asset


@router.patch("/assets/{id}", response=AssetDetailOut, summary="Change an asset")
def asset_update(request: HttpRequest, id: int, data: AssetPatch) -> dict[str, Any]:
    user = user_of(request)
    asset = _changeable(user, id)
    fields = _fields(user, asset.municipality_id, data.model_dump(exclude_unset=True), asset)
    try:
        services.update_asset(asset, fields, actor=user, request=request)
    except services.FleetError as error:
        raise HttpError(422, str(error)) from None
    return _fresh(user, pk=id)


@router.post("/assets/{id}/transition", response=AssetDetailOut, summary="Change its status")
def asset_transition(request: HttpRequest, id: int, data: TransitionIn) -> dict[str, Any]:
    user = user_of(request)
    asset = _changeable(user, id)
    try:
        services.transition(asset, data.status, actor=user, note=data.note, request=request)
    except services.FleetError as error:
        raise HttpError(422, _("status: %(reason)s") % {"reason": error}) from None
    return _fresh(user, pk=id)


router.add_router("", devices_router)
router.add_router("", deploy_router)
router.add_router("", deploy_actions_router)
