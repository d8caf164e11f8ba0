"""A claim's statement as a PDF (reportlab platypus), A4 landscape.

Cover (programme, claim, period, key figures, EU publicity block), the statement of
expenditure grouped by expense heading with subtotals, the statement of resources, the
indicators, and the public accountant's certification; "page x / y" at the foot of every
page; a draft carries DRAFT across every page.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from preau.programme.exports.emblem import emblem
from preau.programme.exports.formatting import (
    date_text,
    money_text,
    percent_text,
    quantity_text,
)
from preau.programme.exports.publicity import language, mentions
from preau.programme.exports.statement import Statement
from preau.programme.models import Claim

PAGE = landscape(A4)
MARGIN = 14 * mm
GREY = colors.HexColor("#e5e7eb")
LONG_TEXT = 40  # characters: longer supplier names wrap (a Paragraph), shorter stay text


def _styles() -> dict[str, ParagraphStyle]:
    base = getSampleStyleSheet()["Normal"]
    body = ParagraphStyle("body", parent=base, fontName="Helvetica", fontSize=10, leading=13)
    return {
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=8, leading=10),
        "cell": ParagraphStyle("cell", parent=body, fontSize=8, leading=9.5),
        "title": ParagraphStyle("title", parent=body, fontName="Helvetica-Bold", fontSize=18,
                                leading=23, spaceAfter=6),
        "h2": ParagraphStyle("h2", parent=body, fontName="Helvetica-Bold", fontSize=13,
                             leading=17, spaceBefore=4, spaceAfter=6),
        "h3": ParagraphStyle("h3", parent=body, fontName="Helvetica-Bold", fontSize=10.5,
                             leading=14, spaceBefore=6, spaceAfter=3),
        "union": ParagraphStyle("union", parent=body, fontName="Helvetica-Bold", fontSize=12,
                                leading=15),
    }  # fmt: skip


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text), style)


def claim_title(claim: Claim) -> str:
    kind = (
        _("Final payment claim") if claim.kind == Claim.Kind.FINAL else _("Interim payment claim")
    )
    return _("%(kind)s No. %(n)s") % {"kind": kind, "n": claim.number}


def _grid(header_rows: int = 1, total_rows: int = 0) -> list[tuple[Any, ...]]:
    style: list[tuple[Any, ...]] = [
        ("FONT", (0, 0), (-1, -1), "Helvetica", 8),
        ("FONT", (0, 0), (-1, header_rows - 1), "Helvetica-Bold", 8),
        ("BACKGROUND", (0, 0), (-1, header_rows - 1), GREY),
        ("GRID", (0, 0), (-1, -1), 0.3, colors.grey),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
    ]
    if total_rows:
        style += [
            ("FONT", (0, -total_rows), (-1, -1), "Helvetica-Bold", 8),
            ("BACKGROUND", (0, -total_rows), (-1, -1), GREY),
        ]
    return style


def publicity_block(styles: dict[str, ParagraphStyle], lang: str) -> Table:
    said = mentions(lang)
    text = [
        _p(said.union, styles["union"]),
        _p(said.fund, styles["body"]),
        Spacer(1, 2 * mm),
        _p(said.statement, styles["body"]),
    ]
    table = Table([[emblem(18 * mm), text]], colWidths=[32 * mm, 150 * mm])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("BOX", (0, 0), (-1, -1), 0.5, colors.HexColor("#003399")),
                ("LEFTPADDING", (0, 0), (-1, -1), 3 * mm),
                ("TOPPADDING", (0, 0), (-1, -1), 3 * mm),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3 * mm),
            ]
        )
    )
    table.hAlign = "LEFT"
    return table


def _cover(s: Statement, styles: dict[str, ParagraphStyle], lang: str) -> list[Flowable]:
    claim, programme = s.claim, s.programme
    status = (
        _("DRAFT — not submitted; figures as of %(date)s")
        % {"date": date_text(s.generated_at.date(), lang)}
        if s.draft
        else _("Submitted on %(date)s") % {"date": date_text(claim.submitted_at.date(), lang)}
        if claim.submitted_at
        else ""
    )
    period = (
        _("%(start)s to %(end)s")
        % {"start": date_text(s.period[0], lang), "end": date_text(s.period[1], lang)}
        if s.period
        else "—"
    )
    m = lambda value: money_text(value, lang) + " €"  # noqa: E731
    facts = [
        (_("Programme"), programme.name),
        (_("Beneficiary"), programme.municipality.name),
        (_("Claim"), claim_title(claim) + (f" — {claim.title}" if claim.title else "")),
        (_("Status"), status),
        (_("Expenditure period"), period),
        (_("Eligibility window"), _("%(start)s to %(end)s") % {
            "start": date_text(programme.eligibility_start, lang),
            "end": date_text(programme.eligibility_end, lang),
        }),
        (_("Invoices"), str(len(s.rows))),
        (_("Eligible expenditure excl. VAT"), m(s.total_ht)),
        (_("Expenditure incl. VAT"), m(s.total_ttc)),
        (_("Amount that would be requested") if s.draft else _("Amount requested"), m(s.requested)),
        (_("Grant (funder's share of the eligible budget)"), m(s.grant)),
    ]  # fmt: skip
    if s.capped:
        cap = _(
            "Capped: the funder's share would be %(share)s €; interim claims may ask "
            "%(cap)s € in all."
        ) % {"share": money_text(s.request.share, lang), "cap": money_text(s.interim_cap, lang)}
        facts.append((_("Cap"), cap))
    table = Table(
        [[_p(k, styles["h3"]), _p(v, styles["body"])] for k, v in facts],
        colWidths=[75 * mm, 170 * mm],
    )
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    table.hAlign = "LEFT"
    return [
        _p(claim_title(claim), styles["title"]),
        _p(programme.name, styles["h2"]),
        table,
        Spacer(1, 8 * mm),
        publicity_block(styles, lang),
        PageBreak(),
    ]


def _expenditure(s: Statement, styles: dict[str, ParagraphStyle], lang: str) -> list[Flowable]:
    header = [
        "#",
        _("Invoice number"),
        _("Supplier"),
        _("Invoice date"),
        _("Payment date"),
        _("Mandate number"),
        _("Excl. VAT (€)"),
        _("Incl. VAT (€)"),
    ]
    widths = [12 * mm, 38 * mm, 70 * mm, 24 * mm, 24 * mm, 30 * mm, 35 * mm, 35 * mm]
    flow: list[Flowable] = [_p(_("Statement of expenditure"), styles["h2"])]
    if s.draft:
        flow.append(_p(_("DRAFT: these figures may still change."), styles["body"]))
    position = 0
    for group in s.groups:
        data: list[list[Any]] = [header]
        for row in group.rows:
            position += 1
            supplier: Any = row.supplier
            if len(supplier) > LONG_TEXT:
                supplier = _p(supplier, styles["cell"])
            data.append(
                [
                    str(position),
                    row.invoice_number,
                    supplier,
                    date_text(row.invoice_date, lang),
                    date_text(row.payment_date, lang),
                    row.mandate_number,
                    money_text(row.amount_ht, lang),
                    money_text(row.amount_ttc, lang),
                ]
            )
        subtotal = _p(_("Subtotal — %(heading)s") % {"heading": group.heading}, styles["cell"])
        data.append(
            ["", subtotal, "", "", "", "",
             money_text(group.total_ht, lang), money_text(group.total_ttc, lang)]
        )  # fmt: skip
        table = Table(data, colWidths=widths, repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    *_grid(total_rows=1),
                    ("ALIGN", (6, 0), (7, -1), "RIGHT"),
                    ("SPAN", (1, -1), (5, -1)),
                ]
            )
        )
        flow += [_p(group.heading, styles["h3"]), table]
    total = Table(
        [[_("Total of the claim"), money_text(s.total_ht, lang), money_text(s.total_ttc, lang)]],
        colWidths=[sum(widths[:6]), widths[6], widths[7]],
    )
    total.setStyle(TableStyle([*_grid(header_rows=1), ("ALIGN", (1, 0), (2, 0), "RIGHT")]))
    return [*flow, Spacer(1, 3 * mm), total]


def _resources(s: Statement, styles: dict[str, ParagraphStyle], lang: str) -> list[Flowable]:
    data: list[list[Any]] = [
        [_("Source"), _("Share"), _("On this claim excl. VAT (€)"),
         _("On the programme excl. VAT (€)")]
    ]  # fmt: skip
    for r in s.resources:
        data.append(
            [r.name, percent_text(r.share_percent, lang), money_text(r.on_claim, lang),
             money_text(r.on_programme, lang)]
        )  # fmt: skip
    data.append([_("Total"), "", money_text(s.total_ht, lang), money_text(s.eligible_ht, lang)])
    table = Table(data, colWidths=[90 * mm, 25 * mm, 55 * mm, 55 * mm], repeatRows=1)
    table.setStyle(TableStyle([*_grid(total_rows=1), ("ALIGN", (1, 0), (-1, -1), "RIGHT")]))
    table.hAlign = "LEFT"
    funder = s.funder
    requested = (
        _("Amount requested from %(funder)s in this claim: %(amount)s €")
        % {"funder": funder.name, "amount": money_text(s.requested, lang)}
        if funder
        else _("No funding plan recorded.")
    )
    return [
        Spacer(1, 6 * mm),
        _p(_("Statement of resources"), styles["h2"]),
        table,
        Spacer(1, 2 * mm),
        _p(requested, styles["body"]),
    ]


def _indicators(s: Statement, styles: dict[str, ParagraphStyle], lang: str) -> list[Flowable]:
    data: list[list[Any]] = [[_("Indicator"), _("Value"), _("Target"), _("Data source")]]
    for line in s.indicators:
        shown = quantity_text(line.value, line.unit, lang)
        target = "" if line.target is None else quantity_text(line.target, line.unit, lang)
        data.append(
            [_p(line.label, styles["cell"]), _p(f"{shown} {line.unit}".strip(), styles["cell"]),
             target, _p(line.source, styles["cell"])]
        )  # fmt: skip
    table = Table(data, colWidths=[110 * mm, 40 * mm, 30 * mm, 85 * mm], repeatRows=1)
    table.setStyle(TableStyle([*_grid(), ("ALIGN", (1, 1), (2, -1), "RIGHT")]))
    return [Spacer(1, 6 * mm), _p(_("Indicators"), styles["h2"]), table]


def _certification(styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    blanks = Table(
        [[_("Name"), ""], [_("Date"), ""], [_("Signature and stamp"), ""]],
        colWidths=[50 * mm, 110 * mm],
        rowHeights=[10 * mm, 10 * mm, 25 * mm],
    )
    blanks.setStyle(
        TableStyle([*_grid(header_rows=1)[2:], ("FONT", (0, 0), (0, -1), "Helvetica-Bold", 9)])
    )
    blanks.hAlign = "LEFT"
    return [
        KeepTogether(
            [
                Spacer(1, 8 * mm),
                _p(_("Certification by the public accountant"), styles["h2"]),
                _p(
                    _(
                        "I certify that the expenditure listed in this statement was paid on the "
                        "dates shown, under the mandate numbers shown."
                    ),
                    styles["body"],
                ),
                Spacer(1, 3 * mm),
                blanks,
            ]
        )
    ]


def _canvas_maker(footer: str, watermark: str) -> Callable[..., Canvas]:
    class NumberedCanvas(Canvas):
        """Keeps every page until the end, to write "page x / y" on each."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                self._decorate(number, total)
                super().showPage()
            super().save()

        def _decorate(self, number: int, total: int) -> None:
            width, _height = PAGE
            self.saveState()
            self.setFont("Helvetica", 8)
            self.setFillColor(colors.grey)
            self.drawString(MARGIN, 8 * mm, footer)
            self.drawRightString(width - MARGIN, 8 * mm, f"page {number} / {total}")
            if watermark:
                self.setFont("Helvetica-Bold", 90)
                self.setFillColor(colors.Color(0.85, 0.85, 0.85, alpha=0.45))
                self.translate(width / 2, PAGE[1] / 2)
                self.rotate(30)
                self.drawCentredString(0, 0, watermark)
            self.restoreState()

    return NumberedCanvas


def render_pdf(statement: Statement) -> bytes:
    lang = language()
    styles = _styles()
    story = [
        *_cover(statement, styles, lang),
        *_expenditure(statement, styles, lang),
        *_resources(statement, styles, lang),
        *_indicators(statement, styles, lang),
        *_certification(styles),
    ]
    title = f"{statement.programme.name} — {claim_title(statement.claim)}"
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=PAGE,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=16 * mm,
        title=title,
        author=statement.programme.municipality.name,
        creator="Préau",
    )
    footer = f"{title} — {mentions(lang).union} — {mentions(lang).fund}"
    watermark = _("DRAFT") if statement.draft else ""
    doc.build(story, canvasmaker=_canvas_maker(footer, watermark))
    return buffer.getvalue()
