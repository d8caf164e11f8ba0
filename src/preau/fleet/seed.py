"""The demo fleet (``preau demo``): the seed's quantities, written with bulk inserts.

150 teacher laptops, 20 cases of 9 tablets, 4 positions (thin client + monitor) and an
interactive display per classroom, a switch, two Wi-Fi access points and a UPS per site;
60 laptops already report through an agent. Laptops, switches, Wi-Fi access points and
interactive displays are linked to the demo programme's orders and invoices when the
programme has them (``preau demo`` loads the programme first); the rest came through
UGAP, an order the programme does not track. Deterministic: the same municipality gives
the same fleet (serials, label codes, inventories).
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from preau.directory.models import Membership, Municipality, Role, Room, Site
from preau.fleet.inventory.messages import antivirus_entry
from preau.fleet.models import (
    Asset,
    AssetEvent,
    AssetKind,
    AssetStatus,
    Device,
    DeviceAlias,
    InstalledSoftware,
    NetworkInterface,
)
from preau.fleet.services import new_code
from preau.programme.models import Invoice, Order

LAPTOPS, CASES, TABLETS_PER_CASE, POSITIONS, INVENTORIED = 150, 20, 9, 4, 60
# Education laptops and PCs bought through UGAP come with five years' on-site warranty.
WARRANTY = dt.timedelta(days=5 * 365)
_MODELS: dict[str, tuple[str, str, str]] = {
    AssetKind.LAPTOP: ("Dell", "Latitude 3540", "DL"),
    AssetKind.TABLET_CASE: ("Bretagne Mobilier", "Valise de recharge 10", "VC"),
    AssetKind.TABLET: ("Apple", "iPad 10.9 (10e gén.)", "DM"),
    AssetKind.THIN_CLIENT: ("Dell", "Wyse 3040", "WY"),
    AssetKind.MONITOR: ("iiyama", "ProLite XU2494HS", "II"),
    AssetKind.DISPLAY: ("Speechi", 'SpeechiTouch 75"', "SP"),
    AssetKind.SWITCH: ("HPE Aruba", "2930F-24G-PoE+", "SG"),
    AssetKind.WIFI_AP: ("HPE Aruba", "AP-505", "CN"),
    AssetKind.UPS: ("APC", "Smart-UPS 1500", "AS"),
}
_SOFTWARE = [
    ("Microsoft Windows 11 Éducation", "23H2", "Microsoft Corporation"),
    ("LibreOffice", "24.2.7", "The Document Foundation"),
    ("Mozilla Firefox ESR", "128.5.0", "Mozilla"),
    ("VLC media player", "3.0.21", "VideoLAN"),
    ("GeoGebra Classic", "6.0.860", "International GeoGebra Institute"),
    ("Scratch Desktop", "3.29.1", "Scratch Foundation"),
    ("Audacity", "3.6.4", "Audacity Team"),
    ("7-Zip", "24.08", "Igor Pavlov"),
    ("OpenBoard", "1.7.3", "Département de l'Instruction Publique"),
    ("Microsoft Edge", "131.0.2903.70", "Microsoft Corporation"),
    ("Windows Defender", "4.18.24090", "Microsoft Corporation"),
    ("GLPI Agent", "1.11", "Teclib'"),
]
# The demo programme's orders (programme/seed.py DEMO_ORDERS) by the kind they bought.
_ORDERS = {
    AssetKind.LAPTOP: "BC-2022-0230",
    AssetKind.SWITCH: "BC-2021-0455",
    AssetKind.WIFI_AP: "BC-2022-0102",
    AssetKind.DISPLAY: "BC-2023-0077",
}


class _Serials:
    def __init__(self, rng: random.Random) -> None:
        self.rng, self.count = rng, 0

    def next(self, prefix: str) -> str:
        self.count += 1
        return f"{prefix}{self.count:05d}{self.rng.randrange(16**3):03X}"


def load_demo_fleet(municipality: Municipality) -> int:
    """Register the demo fleet of ``municipality``; returns the assets created (0 if it has
    one already)."""
    if Asset.objects.filter(municipality=municipality).exists():
        return 0
    with transaction.atomic():
        return _load(municipality)


def _load(municipality: Municipality) -> int:
    rng = random.Random(f"preau-fleet-{municipality.insee_code}")
    serials = _Serials(rng)
    sites = list(Site.objects.filter(municipality=municipality).order_by("name"))
    if not sites:
        return 0
    classrooms = list(
        Room.objects.filter(site__in=sites, kind=Room.Kind.CLASSROOM).order_by("site__name", "name")
    )
    teachers = list(
        Membership.objects.filter(municipality=municipality, role__in=[Role.TEACHER, Role.DIRECTOR])
        .order_by("user_id")
        .values_list("user_id", flat=True)
        .distinct()
    )
    bought = dt.date(2022, 9, 1)

    def asset(kind: str, site: Site, room: Room | None = None, **extra: object) -> Asset:
        maker, model, prefix = _MODELS[kind]
        return Asset(
            municipality=municipality, kind=kind, code=new_code(rng), serial=serials.next(prefix),
            manufacturer=maker, model=model, supplier_name="UGAP", order_ref="BC-2022-0417",
            purchase_date=bought, warranty_end=bought + WARRANTY, site=site,
            room=room, status=AssetStatus.DEPLOYED, **extra,
        )  # fmt: skip

    laptops = [
        asset(AssetKind.LAPTOP, sites[i % len(sites)],
              assignee_id=teachers[i] if i < len(teachers) else None,
              mac_address=f"a4:bb:6d:{i // 256:02x}:{i % 256:02x}:01")
        for i in range(LAPTOPS)
    ]  # fmt: skip
    cases = [asset(AssetKind.TABLET_CASE, sites[i % len(sites)]) for i in range(CASES)]
    rest: list[Asset] = []
    for room in classrooms:
        for _ in range(POSITIONS):
            rest.append(asset(AssetKind.THIN_CLIENT, room.site, room))
            rest.append(asset(AssetKind.MONITOR, room.site, room))
        rest.append(asset(AssetKind.DISPLAY, room.site, room))
    for site in sites:
        rest += [asset(AssetKind.SWITCH, site), asset(AssetKind.UPS, site)]
        rest += [asset(AssetKind.WIFI_AP, site) for _ in range(2)]
    _link_orders(municipality, laptops + rest)
    Asset.objects.bulk_create(laptops + cases + rest, batch_size=500)
    tablets = [
        asset(AssetKind.TABLET, case.site, parent=case)  # type: ignore[arg-type]
        for case in cases
        for _ in range(TABLETS_PER_CASE)
    ]
    Asset.objects.bulk_create(tablets, batch_size=500)
    everything = laptops + cases + rest + tablets
    AssetEvent.objects.bulk_create(
        (
            AssetEvent(asset=a, kind=AssetEvent.Kind.IMPORTED, note=f"livraison {a.supplier_name}")
            for a in everything
        ),
        batch_size=1000,
    )
    _inventories(laptops[:INVENTORIED], rng)
    return len(everything)


def _link_orders(municipality: Municipality, assets: list[Asset]) -> None:
    """Bought with the programme's orders: their number, supplier, invoice and date.
    An order with several invoices was invoiced in as many equal parts, in order."""
    orders = {
        o.number: o
        for o in Order.objects.filter(
            programme__municipality=municipality, number__in=_ORDERS.values()
        ).select_related("supplier")
    }
    invoices: dict[int, list[Invoice]] = {}
    for invoice in Invoice.objects.filter(order__in=orders.values()).order_by("invoice_date"):
        invoices.setdefault(invoice.order_id, []).append(invoice)
    for kind, number in _ORDERS.items():
        order = orders.get(number)
        if order is None:
            continue
        bought = [a for a in assets if a.kind == kind]
        bills: list[Invoice | None] = [*invoices.get(order.pk, [])] or [None]
        for index, asset in enumerate(bought):
            bill = bills[index * len(bills) // len(bought)]
            asset.order, asset.order_ref = order, order.number
            asset.supplier_name = order.supplier.name
            if bill is not None:
                asset.invoice, asset.invoice_ref = bill, bill.number
                asset.purchase_date = bill.invoice_date
                asset.warranty_end = bill.invoice_date + WARRANTY


def _inventories(laptops: list[Asset], rng: random.Random) -> None:
    now = timezone.now()
    devices = []
    for n, laptop in enumerate(laptops):
        site = laptop.site
        stamp = f"2022-09-0{1 + n % 9}-08-{n % 60:02d}-00"
        # A fleet a technician recognises: most machines fine, an old Windows 10 here, a
        # full disk there, an antivirus someone switched off.
        windows_10, full_disk, defender_off = n % 11 == 5, n % 13 == 7, n % 17 == 3
        free_mb = rng.randrange(8000, 30000) if full_disk else rng.randrange(40000, 380000)
        devices.append(Device(
            municipality_id=laptop.municipality_id, site=site, asset=laptop,
            deviceid=f"PP{laptop.municipality.insee_code}-{n:03d}-{stamp}",
            serial=laptop.serial, hardware_uuid=f"4C4C4544-0042-{n:04X}-8031-B2C04F{n:06X}"[:36],
            hostname=f"PP-{n:03d}", manufacturer=laptop.manufacturer, model=laptop.model,
            os_name=f"Microsoft Windows {10 if windows_10 else 11} Éducation",
            os_version="10.0.19045 (22H2)" if windows_10 else "10.0.22631 (23H2)",
            cpu="13th Gen Intel(R) Core(TM) i5-1335U", cpu_cores=10, memory_mb=16384,
            disks=[{"mount": "C:", "volume": "", "filesystem": "NTFS", "total_mb": 486000,
                    "free_mb": free_mb}],
            antivirus=[antivirus_entry("Microsoft Defender Antivirus", "4.18.24090",
                                       enabled=not defender_off, uptodate=True)],
            agent="GLPI-Agent_v1.11", ip_address=f"10.56.{n // 200}.{10 + n % 200}",
            last_inventory_at=now - dt.timedelta(hours=rng.randrange(1, 24 * 9)),
        ))  # fmt: skip
    Device.objects.bulk_create(devices)
    DeviceAlias.objects.bulk_create(DeviceAlias(device=d, deviceid=d.deviceid) for d in devices)
    NetworkInterface.objects.bulk_create(
        NetworkInterface(device=d, name="Intel(R) Wi-Fi 6E AX211", mac=a.mac_address,
                         ip_address=d.ip_address)
        for d, a in zip(devices, laptops, strict=True)
    )  # fmt: skip
    InstalledSoftware.objects.bulk_create(
        (
            InstalledSoftware(device=d, name=name, version=version, publisher=publisher)
            for d in devices
            for name, version, publisher in _SOFTWARE
        ),
        batch_size=1000,
    )
