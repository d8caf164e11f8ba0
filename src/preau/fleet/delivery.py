"""A supplier's delivery CSV, read and planned (no writes; ``services_delivery`` applies).

Columns (header row, any order, ``;`` or ``,``): ``serial`` and ``kind`` required;
``manufacturer``, ``model``, ``mac_address``, ``purchase_date`` and ``warranty_end``
(YYYY-MM-DD or DD/MM/YYYY), ``order_ref``, ``invoice_ref``, ``supplier``, ``site`` (the
site's name) and ``case_serial`` (the tablet case a tablet goes in) optional.
A serial already registered is skipped: importing the same file twice changes nothing.
An ``order_ref`` that is the number of one of the municipality's programme orders links
the asset to that order (and an ``invoice_ref`` of that order to the invoice); any other
reference stays text only, and the preview says which.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from preau.directory.models import Municipality, Site
from preau.fleet import orders
from preau.fleet.inventory.messages import clean_mac
from preau.fleet.models import Asset, AssetKind

REQUIRED = ("serial", "kind")
OPTIONAL = (
    "manufacturer",
    "model",
    "mac_address",
    "purchase_date",
    "warranty_end",
    "order_ref",
    "invoice_ref",
    "supplier",
    "site",
    "case_serial",
)
MAX_ROWS = 5000


@dataclass
class Plan:
    new: list[dict[str, Any]] = field(default_factory=list)
    existing: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    # order reference → rows: linked to the programme's order, or kept as text only
    linked: dict[str, int] = field(default_factory=dict)
    unlinked: dict[str, int] = field(default_factory=dict)
    ambiguous: set[str] = field(default_factory=set)


def _kinds() -> dict[str, str]:
    names = {k.value: k.value for k in AssetKind}
    names |= {str(k.label).lower(): k.value for k in AssetKind}
    return names


def _date(value: str, line: int, column: str, errors: list[str]) -> dt.date | None:
    if not value:
        return None
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    errors.append(_("Line %(line)d, %(column)s: “%(value)s” is not a date.") % {
        "line": line, "column": column, "value": value[:40]})  # fmt: skip
    return None


def read(data: bytes) -> list[dict[str, str]]:
    text = data.decode("utf-8-sig", errors="replace")
    dialect = csv.Sniffer().sniff(text[:2048], delimiters=";,") if text.strip() else csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    return [
        {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()} for row in reader
    ]


def plan(data: bytes, municipality: Municipality, sites: list[Site]) -> Plan:
    result = Plan()
    try:
        rows = read(data)
    except (csv.Error, UnicodeError) as exc:
        result.errors.append(_("The file is not a CSV file (%(error)s).") % {"error": exc})
        return result
    if not rows:
        result.errors.append(_("The file has no rows."))
        return result
    missing = [c for c in REQUIRED if c not in rows[0]]
    if missing:
        result.errors.append(_("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)})
        return result
    if len(rows) > MAX_ROWS:
        result.errors.append(_("At most %(max)d rows per file.") % {"max": MAX_ROWS})
        return result
    kinds, by_name = _kinds(), {s.name.lower(): s for s in sites}
    known = set(
        Asset.objects.filter(municipality=municipality)
        .exclude(serial="")
        .values_list("serial", flat=True)
    )
    seen: set[str] = set()
    for line, row in enumerate(rows, start=2):
        errors = result.errors
        serial = row["serial"]
        if not serial:
            errors.append(_("Line %(line)d: the serial number is empty.") % {"line": line})
            continue
        if serial in seen:
            errors.append(_("Line %(line)d: serial %(serial)s appears twice.") % {
                "line": line, "serial": serial})  # fmt: skip
            continue
        seen.add(serial)
        if serial in known:
            result.existing.append(serial)
            continue
        kind = kinds.get(row["kind"].lower())
        if kind is None:
            errors.append(_("Line %(line)d, kind: “%(value)s” is not a kind of asset.") % {
                "line": line, "value": row["kind"][:40]})  # fmt: skip
            continue
        site = None
        if row.get("site"):
            site = by_name.get(row["site"].lower())
            if site is None:
                errors.append(_("Line %(line)d, site: no site called “%(value)s”.") % {
                    "line": line, "value": row["site"][:80]})  # fmt: skip
                continue
        mac = row.get("mac_address", "")
        if mac and not clean_mac(mac):
            errors.append(_("Line %(line)d, mac_address: “%(value)s” is not a MAC address.") % {
                "line": line, "value": mac[:40]})  # fmt: skip
            continue
        result.new.append({
            "serial": serial[:100],
            "kind": kind,
            "manufacturer": row.get("manufacturer", "")[:100],
            "model": row.get("model", "")[:150],
            "mac_address": clean_mac(mac) if mac else "",
            "purchase_date": _date(row.get("purchase_date", ""), line, "purchase_date", errors),
            "warranty_end": _date(row.get("warranty_end", ""), line, "warranty_end", errors),
            "order_ref": row.get("order_ref", "")[:60],
            "invoice_ref": row.get("invoice_ref", "")[:60],
            "supplier_name": row.get("supplier", "")[:150],
            "site": site,
            "case_serial": row.get("case_serial", ""),
        })  # fmt: skip
    _link_orders(result, municipality)
    cases = {r["serial"] for r in result.new if r["kind"] == AssetKind.TABLET_CASE} | known
    for entry in result.new:
        if entry["case_serial"] and entry["case_serial"] not in cases:
            result.errors.append(_("Serial %(serial)s: no tablet case %(case)s.") % {
                "serial": entry["serial"], "case": entry["case_serial"][:100]})  # fmt: skip
    return result


def _link_orders(result: Plan, municipality: Municipality) -> None:
    """Each new row's programme order and invoice, when its references name them."""
    if not any(entry["order_ref"] for entry in result.new):
        for entry in result.new:
            entry["order"] = entry["invoice"] = None
        return
    known = orders.by_number(municipality.pk)
    invoices = orders.invoices_by_number(o for o in known.values() if o is not None)
    for entry in result.new:
        ref = entry["order_ref"]
        order = known.get(ref.upper()) if ref else None
        invoice = invoices.get((order.pk, entry["invoice_ref"].upper())) if order else None
        entry["order"], entry["invoice"] = order, invoice
        if order is None:
            if ref:
                result.unlinked[ref] = result.unlinked.get(ref, 0) + 1
                if ref.upper() in known:
                    result.ambiguous.add(ref)
            continue
        entry["order_ref"] = order.number
        entry["invoice_ref"] = invoice.number if invoice else entry["invoice_ref"]
        entry["supplier_name"] = entry["supplier_name"] or order.supplier.name[:150]
        result.linked[order.number] = result.linked.get(order.number, 0) + 1
