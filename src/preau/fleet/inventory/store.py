"""Apply an inventory to the database: find the device, merge, link it to its asset.

The device is keyed on hardware identity so that a reinstall (a new DEVICEID) updates
the same row: known DEVICEID, then hardware UUID, then BIOS serial, then a physical MAC.
Called inside the ingest transaction: everything is written, or nothing; the device's
compliance is re-evaluated once that transaction commits.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q, QuerySet

from preau.directory.models import Site
from preau.fleet.compliance import tasks as compliance_tasks
from preau.fleet.inventory.messages import Inventory
from preau.fleet.inventory.xml import MessageError
from preau.fleet.models import (
    AgentTag,
    Asset,
    AssetEvent,
    Device,
    DeviceAlias,
    InstalledSoftware,
    NetworkInterface,
)

# Placeholders vendors leave in the BIOS: they identify nothing.
_JUNK = {
    "",
    "0",
    "none",
    "n/a",
    "default string",
    "to be filled by o.e.m.",
    "system serial number",
    "not specified",
    "00000000-0000-0000-0000-000000000000",
    "03000200-0400-0500-0006-000700080009",
}
_SCALARS = (
    "hostname",
    "hardware_uuid",
    "serial",
    "manufacturer",
    "model",
    "os_name",
    "os_version",
    "cpu",
    "cpu_cores",
    "memory_mb",
    "ip_address",
)
_LIMITS = {"hostname": 255, "hardware_uuid": 64, "serial": 100, "os_version": 100}


def identifying(value: str | None) -> str:
    return "" if value is None or value.strip().lower() in _JUNK else value.strip()


def site_for_tag(tag: str) -> Site | None:
    if not tag:
        return None
    found = AgentTag.objects.select_related("site").filter(tag=tag).first()
    return found.site if found else None


def find_device(inventory: Inventory, candidates: QuerySet[Device]) -> Device | None:
    alias = DeviceAlias.objects.filter(deviceid=inventory.deviceid).select_related("device")
    known = alias.first()
    if known is not None:
        return known.device
    uuid = identifying(inventory.hardware_uuid)
    if uuid:
        found = candidates.filter(hardware_uuid=uuid).first()
        if found:
            return found
    serial = identifying(inventory.serial)
    if serial:
        found = candidates.filter(serial=serial).first()
        if found:
            return found
    macs = inventory.physical_macs
    if macs:
        return candidates.filter(interfaces__mac__in=macs, interfaces__virtual=False).first()
    return None


def apply(inventory: Inventory, *, agent: str, remote_addr: str, now: dt.datetime) -> Device:
    site = site_for_tag(inventory.tag)
    candidates = Device.objects.select_for_update()
    if site is not None:
        candidates = candidates.filter(
            Q(municipality_id=site.municipality_id) | Q(municipality__isnull=True)
        )
    device = find_device(inventory, candidates)
    if device is None:
        if inventory.partial:
            raise MessageError("partial inventory for a device never inventoried in full")
        device = Device(deviceid=inventory.deviceid)
    for name in _SCALARS:
        value = getattr(inventory, name)
        if value is not None:
            limit = _LIMITS.get(name, 200)
            setattr(device, name, value[:limit] if isinstance(value, str) else value)
    device.hardware_uuid = identifying(device.hardware_uuid)
    device.serial = identifying(device.serial)
    if inventory.disks is not None or not inventory.partial:
        device.disks = inventory.disks or []
    if inventory.antivirus is not None or not inventory.partial:
        device.antivirus = inventory.antivirus or []
    if site is not None:
        device.site, device.municipality_id = site, site.municipality_id
    device.deviceid = inventory.deviceid
    device.tag = inventory.tag[:100]
    device.agent = agent[:200]
    device.last_inventory_at = now
    if not device.ip_address:
        device.ip_address = remote_addr
    device.save()
    _keep_alias(device, inventory.deviceid)
    if inventory.interfaces is not None or not inventory.partial:
        _replace_interfaces(device, inventory)
    if inventory.software is not None or not inventory.partial:
        sync_software(device, inventory)
    if device.asset_id is None:
        _link_asset(device, inventory)
    device_pk = device.pk
    transaction.on_commit(lambda: compliance_tasks.evaluate_device_task(device_pk))
    return device


def _keep_alias(device: Device, deviceid: str) -> None:
    DeviceAlias.objects.filter(deviceid=deviceid).exclude(device=device).update(device=device)
    DeviceAlias.objects.get_or_create(deviceid=deviceid, defaults={"device": device})
    # A reinstall made a new device row before it was recognised: nothing else to do, the
    # DEVICEID is unique and now belongs to the hardware's row.


def _replace_interfaces(device: Device, inventory: Inventory) -> None:
    device.interfaces.all().delete()
    NetworkInterface.objects.bulk_create(
        NetworkInterface(
            device=device, name=i.name, mac=i.mac, ip_address=i.ip_address, virtual=i.virtual
        )
        for i in inventory.interfaces or []
    )


def sync_software(device: Device, inventory: Inventory) -> tuple[int, int]:
    """Insert what appeared, delete what went: most runs change nothing."""
    wanted = {(s.name, s.version, s.arch): s for s in inventory.software or []}
    current = {
        (name, version, arch): pk
        for pk, name, version, arch in device.software.values_list("pk", "name", "version", "arch")
    }
    gone = [pk for key, pk in current.items() if key not in wanted]
    if gone:
        InstalledSoftware.objects.filter(pk__in=gone).delete()
    new = [
        InstalledSoftware(
            device=device, name=s.name, version=s.version, publisher=s.publisher, arch=s.arch
        )
        for key, s in wanted.items()
        if key not in current
    ]
    InstalledSoftware.objects.bulk_create(new, batch_size=500)
    return len(new), len(gone)


def _link_asset(device: Device, inventory: Inventory) -> None:
    assets = Asset.objects.filter(device__isnull=True)
    if device.municipality_id is not None:
        assets = assets.filter(municipality_id=device.municipality_id)
    asset = None
    if device.serial:
        asset = assets.filter(serial__iexact=device.serial).first()
    if asset is None and inventory.physical_macs:
        asset = assets.filter(mac_address__in=inventory.physical_macs).first()
    if asset is None:
        return
    device.asset = asset
    update = ["asset"]
    if device.municipality_id is None:
        device.municipality_id, device.site_id = asset.municipality_id, asset.site_id
        update += ["municipality", "site"]
    device.save(update_fields=update)
    AssetEvent.objects.create(
        asset=asset,
        kind=AssetEvent.Kind.DEVICE,
        changes={"device": [None, device.deviceid]},
        note=f"{device.hostname} ({device.agent})"[:300],
    )
