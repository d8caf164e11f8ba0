"""A claim's statement as a workbook (openpyxl): expenditure, resources, indicators.

Amounts are written as the ``Decimal`` they are (openpyxl stores them as numbers; no
float conversion happens in this code) with the format ``#,##0.00``; dates as dates.
Every sheet starts with the EU publicity mentions; the header row is bold and frozen.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from preau.programme.exports.pdf import claim_title
from preau.programme.exports.publicity import language, mentions
from preau.programme.exports.statement import Statement

MONEY = "#,##0.00"
PERCENT = "0.00"
COUNT = "#,##0"
BOLD = Font(bold=True)
TOTAL_FILL = PatternFill("solid", fgColor="E5E7EB")


def _date_format(lang: str) -> str:
    return "DD/MM/YYYY" if lang == "fr" else "YYYY-MM-DD"


def _preamble(ws: Worksheet, s: Statement, lang: str, width: int) -> int:
    """The publicity mentions and the claim's identity; returns the header's row number."""
    said = mentions(lang)
    lines = [
        (said.union, True),
        (said.fund, True),
        (said.statement, False),
        (f"{s.programme.name} — {claim_title(s.claim)}", True),
    ]
    if s.draft:
        lines.append((_("DRAFT — not submitted: these figures may still change."), True))
    for row, (text, bold) in enumerate(lines, start=1):
        cell = ws.cell(row=row, column=1, value=text)
        if bold:
            cell.font = BOLD
        if width > 1:
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    return len(lines) + 2


def _header(ws: Worksheet, row: int, titles: Sequence[str], widths: Sequence[int]) -> None:
    for column, (title, width) in enumerate(zip(titles, widths, strict=True), start=1):
        ws.cell(row=row, column=column, value=title).font = BOLD
        ws.column_dimensions[get_column_letter(column)].width = width
    ws.freeze_panes = ws.cell(row=row + 1, column=1)


def _put(ws: Worksheet, row: int, values: Sequence[Any], lang: str, bold: bool = False) -> None:
    for column, value in enumerate(values, start=1):
        cell = ws.cell(row=row, column=column, value=value)
        if isinstance(value, Decimal):
            cell.number_format = MONEY
        elif hasattr(value, "isoformat"):
            cell.number_format = _date_format(lang)
        if bold:
            cell.font = BOLD
            cell.fill = TOTAL_FILL


def _expenditure(ws: Worksheet, s: Statement, lang: str) -> None:
    titles = [
        _("No."),
        _("Expense heading"),
        _("Invoice number"),
        _("Supplier"),
        _("Invoice date"),
        _("Payment date"),
        _("Mandate number"),
        _("Excl. VAT (€)"),
        _("Incl. VAT (€)"),
    ]
    row = _preamble(ws, s, lang, len(titles))
    _header(ws, row, titles, [6, 40, 18, 32, 13, 13, 16, 16, 16])
    position = 0
    for group in s.groups:
        for line in group.rows:
            row, position = row + 1, position + 1
            values = [
                position,
                group.heading,
                line.invoice_number,
                line.supplier,
                line.invoice_date,
                line.payment_date,
                line.mandate_number,
                line.amount_ht,
                line.amount_ttc,
            ]
            _put(ws, row, values, lang)
        row += 1
        subtotal = [None, group.heading, _("Subtotal"), None, None, None, None]
        _put(ws, row, [*subtotal, group.total_ht, group.total_ttc], lang, bold=True)
    total = [None, _("Total of the claim"), None, None, None, None, None]
    _put(ws, row + 1, [*total, s.total_ht, s.total_ttc], lang, bold=True)


def _resources(ws: Worksheet, s: Statement, lang: str) -> None:
    titles = [
        _("Source"),
        _("Share (%)"),
        _("On this claim excl. VAT (€)"),
        _("On the programme excl. VAT (€)"),
    ]
    row = _preamble(ws, s, lang, len(titles))
    _header(ws, row, titles, [40, 12, 26, 26])
    for r in s.resources:
        row += 1
        _put(ws, row, [r.name, r.share_percent, r.on_claim, r.on_programme], lang)
        ws.cell(row=row, column=2).number_format = PERCENT
    _put(ws, row + 1, [_("Total"), None, s.total_ht, s.eligible_ht], lang, bold=True)
    _put(ws, row + 3, [_("Amount requested"), None, s.requested], lang, bold=True)
    if s.capped:
        ws.cell(row=row + 4, column=1, value=_("Capped by the interim payments cap."))


def _indicators(ws: Worksheet, s: Statement, lang: str) -> None:
    titles = [_("Indicator"), _("Value"), _("Unit"), _("Target"), _("Data source")]
    row = _preamble(ws, s, lang, len(titles))
    _header(ws, row, titles, [50, 16, 8, 12, 40])
    for line in s.indicators:
        row += 1
        value = line.value if isinstance(line.value, Decimal | int) else str(line.value)
        _put(ws, row, [line.label, value, line.unit, line.target, line.source], lang)
        if "€" not in line.unit:
            for column, number in ((2, value), (4, line.target)):
                if isinstance(number, int) or (
                    isinstance(number, Decimal) and number == number.to_integral_value()
                ):
                    ws.cell(row=row, column=column).number_format = COUNT


def render_xlsx(statement: Statement) -> bytes:
    lang = language()
    workbook = Workbook()
    expenditure = workbook.active
    assert expenditure is not None
    expenditure.title = _("Expenditure")
    _expenditure(expenditure, statement, lang)
    _resources(workbook.create_sheet(_("Resources")), statement, lang)
    _indicators(workbook.create_sheet(_("Indicators")), statement, lang)
    workbook.properties.title = f"{statement.programme.name} — {claim_title(statement.claim)}"
    workbook.properties.creator = "Préau"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
