"""The devices' list as CSV, streamed: what fails and why, for a spreadsheet.

Host names, software and rule names come from agents and users: a cell that a
spreadsheet would run as a formula is neutralised.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from preau.fleet.compliance.dashboard import column_labels, kind_label
from preau.fleet.compliance.wording import described
from preau.fleet.models import Asset, Device

# A cell starting with one of these is run as a formula by spreadsheet software (OWASP).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(_FORMULA_START) else text


class _Echo:
    def write(self, value: str) -> str:
        return value


def header() -> list[str]:
    return [
        _("Host name"), _("Site"), _("Kind"), _("Asset"), _("Serial number"),
        _("Operating system"), _("OS version"), _("Last inventory"), _("Compliance"),
        _("Failed rules"), _("Why"),
    ]  # fmt: skip


def _when(moment: Any) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def device_rows(devices: QuerySet[Device]) -> Iterator[list[str]]:
    labels = column_labels()
    for device in devices.iterator(chunk_size=500):
        verdict = getattr(device, "compliance", None)
        failures = described(verdict.failures) if verdict is not None else []
        asset = device.asset
        yield [safe_cell(cell) for cell in (
            device.hostname or device.deviceid,
            device.site.name if device.site else "",
            kind_label(asset.kind if asset else ""),
            asset.code if asset else "",
            device.serial,
            device.os_name,
            device.os_version,
            _when(device.last_inventory_at),
            labels[verdict.status if verdict is not None else "pending"],
            " | ".join(f["name"] for f in failures),
            " | ".join(f["text"] for f in failures),
        )]  # fmt: skip


def asset_rows(assets: QuerySet[Asset]) -> Iterator[list[str]]:
    never = column_labels()["never"]
    for asset in assets.iterator(chunk_size=500):
        yield [safe_cell(cell) for cell in (
            "", asset.site.name if asset.site else "", kind_label(asset.kind), asset.code,
            asset.serial, "", "", "", never, "", "",
        )]  # fmt: skip


def stream(rows: Iterable[list[str]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # a BOM, so that spreadsheet software reads UTF-8
    yield writer.writerow(header())
    for row in rows:
        yield writer.writerow(row)
