"""The fleet API's schemas: assets and their history, inventoried devices.

Deployment schemas are in ``schemas_deploy``. Outputs carry ids rather than nested
records: a client that may see the site or the asset asks for it by id.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema

from preau.fleet.models import AssetKind, AssetStatus

# Writes: the same limits as the model's columns.
_TEXT = {
    "serial": 100,
    "mac_address": 17,
    "manufacturer": 100,
    "model": 150,
    "supplier_name": 150,
    "order_ref": 60,
    "invoice_ref": 60,
    "notes": 5000,
}


class AssetOut(Schema):
    id: int
    code: str = Field(description="The label's code: /fleet/a/<code>")
    municipality_id: int
    kind: str
    status: str
    serial: str
    manufacturer: str
    model: str
    site_id: int | None
    site_name: str | None = Field(description="The site's name (annotated by the query)")
    room_id: int | None
    assignee_id: int | None
    parent_id: int | None
    purchase_date: dt.date | None
    warranty_end: dt.date | None
    updated_at: dt.datetime


class AssetEventOut(Schema):
    at: dt.datetime
    kind: str = Field(description="created, changed, status, imported or device")
    actor: str | None
    changes: dict[str, list[Any]] = Field(description="field → [before, after]")
    note: str

    @staticmethod
    def resolve_actor(obj: Any) -> str | None:
        user = obj.actor
        return str(user.get_full_name() or user.get_username()) if user else None


class AssetDetailOut(AssetOut):
    mac_address: str
    supplier_name: str
    order_ref: str
    invoice_ref: str
    notes: str
    created_at: dt.datetime
    device_id: int | None = Field(description="The inventoried device, if you may see it")
    contents: list[int] = Field(description="Assets inside this one (a case's tablets)")
    can_change: bool
    transitions: list[str] = Field(description="The statuses this asset may go to next")
    events: list[AssetEventOut] = Field(description="The history, newest first (at most 100)")


class AssetIn(Schema):
    """A new asset. ``municipality_id`` may be left out by who manages only one."""

    municipality_id: int | None = None
    kind: AssetKind
    serial: str = Field("", max_length=_TEXT["serial"])
    mac_address: str = Field("", max_length=_TEXT["mac_address"])
    manufacturer: str = Field("", max_length=_TEXT["manufacturer"])
    model: str = Field("", max_length=_TEXT["model"])
    supplier_name: str = Field("", max_length=_TEXT["supplier_name"])
    order_ref: str = Field("", max_length=_TEXT["order_ref"])
    invoice_ref: str = Field("", max_length=_TEXT["invoice_ref"])
    purchase_date: dt.date | None = None
    warranty_end: dt.date | None = None
    site_id: int | None = None
    room_id: int | None = None
    assignee_id: int | None = None
    parent_id: int | None = None
    notes: str = Field("", max_length=_TEXT["notes"])


class AssetPatch(Schema):
    """The fields to change; those left out keep their value, ``null`` empties one."""

    kind: AssetKind | None = None
    serial: str | None = Field(None, max_length=_TEXT["serial"])
    mac_address: str | None = Field(None, max_length=_TEXT["mac_address"])
    manufacturer: str | None = Field(None, max_length=_TEXT["manufacturer"])
    model: str | None = Field(None, max_length=_TEXT["model"])
    supplier_name: str | None = Field(None, max_length=_TEXT["supplier_name"])
    order_ref: str | None = Field(None, max_length=_TEXT["order_ref"])
    invoice_ref: str | None = Field(None, max_length=_TEXT["invoice_ref"])
    purchase_date: dt.date | None = None
    warranty_end: dt.date | None = None
    site_id: int | None = None
    room_id: int | None = None
    assignee_id: int | None = None
    parent_id: int | None = None
    notes: str | None = Field(None, max_length=_TEXT["notes"])


class TransitionIn(Schema):
    status: AssetStatus
    note: str = Field("", max_length=300)


# Devices ------------------------------------------------------------------------------


class AssetRefOut(Schema):
    id: int
    code: str
    kind: str
    label: str

    @staticmethod
    def resolve_label(obj: Any) -> str:
        return str(obj)


class DeviceOut(Schema):
    id: int
    hostname: str
    serial: str
    manufacturer: str
    model: str
    os_name: str
    os_version: str
    municipality_id: int | None
    site_id: int | None
    asset_id: int | None = Field(description="The linked asset, if you may see it")
    compliance: str | None = Field(description="ok, warning, critical, or null if not rated")
    software_count: int
    last_inventory_at: dt.datetime | None

    @staticmethod
    def resolve_asset_id(obj: Any) -> int | None:
        return obj.asset_id if obj.asset_visible else None

    @staticmethod
    def resolve_compliance(obj: Any) -> str | None:
        return obj.compliance_status


class InterfaceOut(Schema):
    name: str
    mac: str
    ip_address: str
    virtual: bool


class SoftwareOut(Schema):
    name: str
    version: str
    publisher: str
    arch: str


class ComplianceOut(Schema):
    status: str
    failures: list[dict[str, Any]] = Field(description="Each rule failed: rule, name, detail")
    evaluated_at: dt.datetime


class DeviceDetailOut(Schema):
    id: int
    deviceid: str = Field(description="The agent's current DEVICEID")
    aliases: list[str] = Field(description="Every DEVICEID the device has used")
    hostname: str
    hardware_uuid: str
    serial: str
    manufacturer: str
    model: str
    os_name: str
    os_version: str
    cpu: str
    cpu_cores: int | None
    memory_mb: int | None
    disks: list[dict[str, Any]]
    antivirus: list[dict[str, Any]]
    agent: str
    tag: str
    ip_address: str
    municipality_id: int | None
    site_id: int | None
    first_seen_at: dt.datetime
    last_inventory_at: dt.datetime | None
    asset: AssetRefOut | None = Field(description="The linked asset, if you may see it")
    compliance: ComplianceOut | None
    interfaces: list[InterfaceOut]
    software_count: int
    software: list[SoftwareOut] = Field(
        description="The first programs by name; all of them at /devices/{id}/software"
    )
