"""Every write to assets: validated, transactional, audited, with the asset's history."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from preau.core import audit
from preau.directory.models import Municipality, Room, Site
from preau.fleet import lifecycle
from preau.fleet.inventory.messages import clean_mac
from preau.fleet.models import AgentTag, Asset, AssetEvent, AssetStatus

# Fields a technician edits on the asset form, in the order the history shows them.
EDITABLE = (
    "kind",
    "serial",
    "mac_address",
    "manufacturer",
    "model",
    "supplier_name",
    "order",
    "order_ref",
    "invoice",
    "invoice_ref",
    "purchase_date",
    "warranty_end",
    "site",
    "room",
    "assignee",
    "parent",
    "notes",
)
# What follow_programme() may change besides the fields given.
_FOLLOWERS = ("supplier_name", "order", "order_ref", "invoice_ref")
_CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read aloud from a label


class FleetError(ValueError):
    """A write the fleet refuses, with a message saying which field and why."""


def new_code(rng: Any = None) -> str:
    choose = (rng or secrets.SystemRandom()).choice
    return "".join(choose(_CODE_ALPHABET) for _ in range(8))


def _display(value: Any) -> Any:
    if value is None or isinstance(value, (str, int, bool)):
        return value
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def check(asset: Asset) -> None:
    """Cross-field rules a form cannot see: one municipality, room in its site…"""
    if asset.site is not None and asset.site.municipality_id != asset.municipality_id:
        raise FleetError(_("The site belongs to another municipality."))
    if asset.room is not None and asset.room.site_id != asset.site_id:
        raise FleetError(_("The room is not in the asset's site."))
    parent = asset.parent
    if parent is not None and (
        parent.municipality_id != asset.municipality_id or parent.pk == asset.pk
    ):
        raise FleetError(_("The container must be another asset of the same municipality."))
    _check_programme(asset)
    if asset.warranty_end and asset.purchase_date and asset.warranty_end < asset.purchase_date:
        raise FleetError(_("The warranty cannot end before the purchase date."))
    if asset.mac_address:
        mac = clean_mac(asset.mac_address)
        if not mac:
            raise FleetError(_("The MAC address must look like 00:11:22:33:44:55."))
        asset.mac_address = mac
    serial_taken = Asset.objects.filter(municipality_id=asset.municipality_id, serial=asset.serial)
    if asset.serial and serial_taken.exclude(pk=asset.pk).exists():
        raise FleetError(
            _("Another asset already has the serial number %(serial)s.") % {"serial": asset.serial}
        )


def _check_programme(asset: Asset) -> None:
    order, invoice = asset.order, asset.invoice
    if order is not None and order.programme.municipality_id != asset.municipality_id:
        raise FleetError(
            _("Programme order: %(number)s is another municipality's order.")
            % {"number": order.number}
        )
    if invoice is not None and invoice.order_id != asset.order_id:
        raise FleetError(
            _("Programme invoice: %(invoice)s is not an invoice of order %(order)s.")
            % {"invoice": invoice.number, "order": order.number if order else "—"}
        )


def follow_programme(asset: Asset) -> None:
    """Keep the typed references in step with the programme's order and invoice chosen:
    an invoice brings its order, each gives its number, the order its supplier if none is
    typed. Without them the references stay as typed (an order the programme does not
    track)."""
    if asset.invoice is not None and asset.order is None:
        asset.order = asset.invoice.order
    if asset.order is not None:
        asset.order_ref = asset.order.number
        asset.supplier_name = asset.supplier_name or asset.order.supplier.name[:150]
    if asset.invoice is not None:
        asset.invoice_ref = asset.invoice.number


def _linked(asset: Asset) -> dict[str, Any]:
    """The programme's order and invoice an asset is linked to, for the audit record."""
    linked: dict[str, Any] = {"order": asset.order_ref if asset.order_id else ""}
    linked["invoice"] = asset.invoice_ref if asset.invoice_id else ""
    return {key: value for key, value in linked.items() if value}


@transaction.atomic
def create_asset(
    municipality: Municipality,
    fields: dict[str, Any],
    *,
    actor: Any,
    request: HttpRequest | None = None,
) -> Asset:
    asset = Asset(municipality=municipality, code=new_code(), **fields)
    asset.serial = asset.serial.strip()
    follow_programme(asset)
    check(asset)
    asset.save()
    changes = {
        name: [None, _display(getattr(asset, name))] for name in EDITABLE if getattr(asset, name)
    }
    AssetEvent.objects.create(
        asset=asset, actor=actor, kind=AssetEvent.Kind.CREATED, changes=changes
    )
    audit.record(
        "fleet.asset_created", actor=actor, request=request, target=asset, **_linked(asset)
    )
    return asset


@transaction.atomic
def update_asset(
    asset: Asset, fields: dict[str, Any], *, actor: Any, request: HttpRequest | None = None
) -> Asset:
    locked = Asset.objects.select_for_update().get(pk=asset.pk)
    names = [name for name in EDITABLE if name in fields or name in _FOLLOWERS]
    before = {name: getattr(locked, name) for name in names}
    for name in names:
        if name in fields:
            after = fields[name]
            setattr(locked, name, after.strip() if isinstance(after, str) else after)
    follow_programme(locked)
    changes = {
        name: [_display(value), _display(getattr(locked, name))]
        for name, value in before.items()
        if value != getattr(locked, name)
    }
    if not changes:
        return locked
    check(locked)
    locked.save()
    AssetEvent.objects.create(
        asset=locked, actor=actor, kind=AssetEvent.Kind.CHANGED, changes=changes
    )
    linked = _linked(locked) if {"order", "invoice"} & changes.keys() else {}
    audit.record(
        "fleet.asset_changed",
        actor=actor,
        request=request,
        target=locked,
        fields=sorted(changes),
        **linked,
    )
    return locked


@transaction.atomic
def transition(
    asset: Asset, target: str, *, actor: Any, note: str = "", request: HttpRequest | None = None
) -> Asset:
    locked = Asset.objects.select_for_update().get(pk=asset.pk)
    if target not in AssetStatus.values:
        raise FleetError(_("Unknown status %(status)s.") % {"status": target})
    if not lifecycle.can_move(locked.status, target):
        raise FleetError(
            _("An asset cannot go from “%(current)s” to “%(target)s”.")
            % {"current": locked.get_status_display(), "target": AssetStatus(target).label}
        )
    before = locked.status
    locked.status = target
    locked.save(update_fields=["status", "updated_at"])
    AssetEvent.objects.create(
        asset=locked,
        actor=actor,
        kind=AssetEvent.Kind.STATUS,
        changes={"status": [before, target]},
        note=note[:300],
    )
    audit.record(
        "fleet.asset_status",
        actor=actor,
        request=request,
        target=locked,
        before=before,
        after=target,
    )
    return locked


@transaction.atomic
def add_agent_tag(
    site: Site, tag: str, *, actor: Any, request: HttpRequest | None = None
) -> AgentTag:
    tag = tag.strip()
    if not tag or len(tag) > 100 or any(c.isspace() for c in tag):
        raise FleetError(_("A tag is 1 to 100 characters, without spaces."))
    if AgentTag.objects.filter(tag=tag).exists():
        raise FleetError(_("The tag %(tag)s is already in use.") % {"tag": tag})
    agent_tag = AgentTag.objects.create(site=site, tag=tag)
    audit.record(
        "fleet.agent_tag_added",
        actor=actor,
        request=request,
        target=agent_tag,
        municipality_id=site.municipality_id,
        site=site.pk,
    )
    return agent_tag


@transaction.atomic
def remove_agent_tag(
    agent_tag: AgentTag, *, actor: Any, request: HttpRequest | None = None
) -> None:
    audit.record(
        "fleet.agent_tag_removed",
        actor=actor,
        request=request,
        target=agent_tag,
        municipality_id=agent_tag.site.municipality_id,
    )
    agent_tag.delete()


def rooms_of(site: Site | None) -> Any:
    return Room.objects.filter(site=site) if site is not None else Room.objects.none()
