"""An accounting export's rows → engagements and invoices, each with its lines.

Rows that share an engagement number are the lines of one engagement; rows that share
an invoice number and an engagement are the lines of one invoice. Every cell is checked
here (numbers, dates, VAT = HT × rate, TTC = HT + VAT, payment after the invoice), and
so is the agreement of the rows of one record. Nothing touches the database: matching
against the records is ``accounting_import``'s job.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from preau.programme import money
from preau.programme.accounting_csv import (
    FIELDS,
    INVOICE,
    ORDER,
    REQUIRED,
    AccountingFileError,
    Columns,
    Issue,
    Row,
    amount,
    date,
    find_columns,
    kind,
    read_rows,
    siret,
    text,
)
from preau.programme.services import LineInput


@dataclass(frozen=True)
class LineRecord:
    line: int
    label: str
    amount_ht: Decimal
    vat_rate: Decimal
    vat_amount: Decimal
    amount_ttc: Decimal

    def as_input(self) -> LineInput:
        return LineInput(
            self.label, self.amount_ht, self.vat_rate, self.vat_amount, self.amount_ttc
        )

    def key(self) -> tuple[str, Decimal, Decimal, Decimal, Decimal]:
        return (
            self.label,
            self.amount_ht,
            money.to_money(self.vat_rate),
            self.vat_amount,
            self.amount_ttc,
        )


@dataclass
class OrderRecord:
    line: int
    number: str
    order_date: dt.date
    supplier: str
    siret: str
    budget_line: str
    sites: list[str]
    contract: str
    lines: list[LineRecord] = field(default_factory=list)


@dataclass
class InvoiceRecord:
    line: int
    number: str
    order_number: str
    supplier: str
    invoice_date: dt.date
    chorus_id: str
    payment_date: dt.date | None
    mandate_number: str
    lines: list[LineRecord] = field(default_factory=list)


@dataclass
class Parsed:
    columns: Columns
    orders: list[OrderRecord] = field(default_factory=list)
    invoices: list[InvoiceRecord] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    rows: int = 0
    failed_orders: set[str] = field(default_factory=set)  # numbers with a refused row


def parse(data: bytes) -> Parsed:
    """Read and check the file; raise ``AccountingFileError`` if it is refused whole."""
    header, rows = read_rows(data)
    columns = find_columns(header)
    parsed = Parsed(columns=columns, rows=len(rows))
    kinds = _row_kinds(columns, rows, parsed.issues)
    _check_columns(columns, set(kinds.values()))
    orders: dict[str, OrderRecord] = {}
    invoices: dict[tuple[str, str], InvoiceRecord] = {}
    for row in rows:
        if row.line not in kinds:
            continue
        reader = _CellReader(columns, row)
        if kinds[row.line] == ORDER:
            if not _add_order(reader, orders, parsed.issues):
                parsed.failed_orders.add(text(reader.raw("order_number")))
        else:
            _add_invoice(reader, invoices, parsed.issues)
    parsed.orders = list(orders.values())
    parsed.invoices = list(invoices.values())
    parsed.issues.sort(key=lambda i: i.line)
    return parsed


def _row_kinds(columns: Columns, rows: list[Row], issues: list[Issue]) -> dict[int, str]:
    """Each row's kind: its "Type" cell, else the file's (an invoice number column makes
    an invoices file)."""
    if "type" not in columns.index:
        whole = INVOICE if "invoice_number" in columns.index else ORDER
        return {row.line: whole for row in rows}
    kinds = {}
    position = columns.index["type"]
    for row in rows:
        cell = row.cells[position] if position < len(row.cells) else ""
        try:
            kinds[row.line] = kind(cell)
        except ValueError as error:
            issues.append(Issue(row.line, columns.name("type"), str(error)))
    return kinds


def _check_columns(columns: Columns, kinds: set[str]) -> None:
    missing = [
        FIELDS[name][0]
        for kind_ in (ORDER, INVOICE)
        if kind_ in kinds
        for name in REQUIRED[kind_]
        if name not in columns.index
    ]
    if missing:
        raise AccountingFileError(
            _("Missing column(s): %(columns)s. See the column mapping in the documentation.")
            % {"columns": ", ".join(dict.fromkeys(missing))}
        )


class _CellReader:
    """One row's cells by field, each read by a parser; failures become issues."""

    def __init__(self, columns: Columns, row: Row) -> None:
        self.columns, self.row = columns, row
        self.issues: list[Issue] = []

    def raw(self, name: str) -> str:
        position = self.columns.index.get(name)
        if position is None or position >= len(self.row.cells):
            return ""
        return self.row.cells[position]

    def get(self, name: str, parse: Callable[[str], Any], default: Any = None) -> Any:
        try:
            return parse(self.raw(name))
        except ValueError as error:
            self.issue(name, str(error))
            return default

    def required_text(self, name: str, max_length: int) -> str:
        value = text(self.raw(name))
        if not value:
            self.issue(name, _("empty, a value is required"))
        elif len(value) > max_length:
            self.issue(name, _("longer than %(n)s characters") % {"n": max_length})
        return value[:max_length]

    def optional_text(self, name: str, max_length: int) -> str:
        value = text(self.raw(name))
        if len(value) > max_length:
            self.issue(name, _("longer than %(n)s characters") % {"n": max_length})
        return value[:max_length]

    def optional_date(self, name: str) -> dt.date | None:
        return self.get(name, date) if self.raw(name).strip() else None

    def issue(self, name: str, reason: str) -> None:
        self.issues.append(Issue(self.row.line, self.columns.name(name), reason))

    def money_line(self) -> LineRecord | None:
        label = self.required_text("label", 400)
        ht = self.get("amount_ht", amount)
        rate = self.get("vat_rate", lambda v: amount(v, rate=True))
        vat = self.get("vat_amount", lambda v: amount(v, zero_ok=True))
        ttc = self.get("amount_ttc", amount)
        if ht is None or rate is None or vat is None or ttc is None:
            return None
        expected = money.vat(ht, rate)
        if vat != expected:
            self.issue(
                "vat_amount",
                _("the VAT %(vat)s does not match %(ht)s × %(rate)s %% (expected %(expected)s)")
                % {"vat": vat, "ht": ht, "rate": rate, "expected": expected},
            )
            return None
        if ttc != ht + vat:
            self.issue(
                "amount_ttc",
                _("the amount incl. VAT %(ttc)s is not %(ht)s + %(vat)s = %(expected)s")
                % {"ttc": ttc, "ht": ht, "vat": vat, "expected": ht + vat},
            )
            return None
        return LineRecord(self.row.line, label, ht, rate, vat, ttc)


def _sites(value: str) -> list[str]:
    return [text(part) for part in value.split("|") if text(part)]


def _add_order(cells: _CellReader, orders: dict[str, OrderRecord], issues: list[Issue]) -> bool:
    record = OrderRecord(
        line=cells.row.line,
        number=cells.required_text("order_number", 50),
        order_date=cells.get("order_date", date),
        supplier=cells.required_text("supplier", 200),
        siret=cells.get("siret", siret, ""),
        budget_line=cells.required_text("budget_line", 400),
        sites=_sites(cells.raw("sites")),
        contract=cells.optional_text("contract", 60),
    )
    line = cells.money_line()
    issues.extend(cells.issues)
    if cells.issues or line is None:
        return False
    first = orders.get(record.number)
    if first is None:
        record.lines.append(line)
        orders[record.number] = record
        return True
    for name in ("order_date", "supplier", "siret", "budget_line", "sites", "contract"):
        if _comparable(getattr(record, name)) != _comparable(getattr(first, name)):
            cells.issue(name, _differs(record.number, first.line))
    _add_line(cells, first.lines, line)
    issues.extend(cells.issues)
    return not cells.issues


def _add_invoice(
    cells: _CellReader, invoices: dict[tuple[str, str], InvoiceRecord], issues: list[Issue]
) -> None:
    record = InvoiceRecord(
        line=cells.row.line,
        number=cells.required_text("invoice_number", 50),
        order_number=cells.required_text("order_number", 50),
        supplier=cells.optional_text("supplier", 200),
        invoice_date=cells.get("invoice_date", date),
        chorus_id=cells.optional_text("chorus_id", 50),
        payment_date=cells.optional_date("payment_date"),
        mandate_number=cells.optional_text("mandate_number", 50),
    )
    if record.payment_date and record.invoice_date and record.payment_date < record.invoice_date:
        cells.issue("payment_date", _("the payment date is before the invoice date"))
    line = cells.money_line()
    issues.extend(cells.issues)
    if cells.issues or line is None:
        return
    first = invoices.get((record.number, record.order_number))
    if first is None:
        record.lines.append(line)
        invoices[(record.number, record.order_number)] = record
        return
    for name in ("invoice_date", "supplier", "chorus_id", "payment_date", "mandate_number"):
        if _comparable(getattr(record, name)) != _comparable(getattr(first, name)):
            cells.issue(name, _differs(record.number, first.line))
    _add_line(cells, first.lines, line)
    issues.extend(cells.issues)


def _add_line(cells: _CellReader, lines: list[LineRecord], line: LineRecord) -> None:
    """Another line of the same record, unless it repeats one exactly (a duplicate)."""
    twin = next((other for other in lines if other.key() == line.key()), None)
    if twin is None:
        lines.append(line)
    else:
        cells.issue(
            "label",
            _("duplicate: the same line as line %(n)s (same label and amounts)") % {"n": twin.line},
        )


def _comparable(value: Any) -> Any:
    if isinstance(value, str):
        return " ".join(value.casefold().split())
    if isinstance(value, list):
        return sorted(_comparable(v) for v in value)
    return value


def _differs(number: str, first_line: int) -> str:
    return _(
        "differs from line %(line)s, another line of %(number)s: the lines of one "
        "engagement or invoice share these columns (or is the number used twice?)"
    ) % {"line": first_line, "number": number}
