"""The tracking table as CSV (for a spreadsheet) and PDF (to print and file).

Both are built from the same ``Tracking`` as the page. CSV cells that a spreadsheet
would run as a formula are neutralised.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from xml.sax.saxutils import escape

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from preau.core.csvsafe import safe_cell
from preau.liaison.tracking import GuardianCell, PupilLine, Tracking


def _when(moment: dt.datetime | None) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def _status(line: PupilLine) -> str:
    return f"{line.progress.done}/{line.progress.required}"


def csv_header() -> list[str]:
    return [
        _("Pupil"), _("Class"), _("Status"), _("Complete"), _("Guardian"), _("Account"),
        _("Read"), _("Signed"), _("Answer"), _("Answer of the child"), _("Answer changes"),
    ]  # fmt: skip


def csv_rows(tracking: Tracking) -> Iterator[list[str]]:
    yes, no = _("yes"), _("no")
    for line in tracking.lines:
        head = [
            safe_cell(line.pupil_name),
            safe_cell(line.class_label),
            _status(line),
            yes if line.progress.complete else no,
        ]
        if not line.guardians:
            yield [*head, _("no guardian on file"), "", "", "", "", line.answer_label, ""]
        for cell in line.guardians:
            yield [
                *head,
                safe_cell(cell.name),
                yes if cell.has_account else _("no account yet"),
                _when(cell.row.first_read_at),
                _when(cell.row.signed_at),
                safe_cell(cell.answer_label),
                safe_cell(line.answer_label),
                safe_cell(" → ".join(step.answer for step in cell.history)),
            ]


def tracking_csv(tracking: Tracking) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(csv_header())
    writer.writerows(csv_rows(tracking))
    return out.getvalue()


# PDF ------------------------------------------------------------------------------------


def _styles() -> tuple[ParagraphStyle, ParagraphStyle, ParagraphStyle]:
    sheet = getSampleStyleSheet()
    cell = ParagraphStyle("cell", parent=sheet["BodyText"], fontSize=8, leading=10)
    return sheet["Title"], sheet["BodyText"], cell


def _summary(tracking: Tracking) -> str:
    parts = [
        _("%(done)d of %(total)d children complete")
        % {"done": tracking.complete, "total": tracking.total}
    ]
    if tracking.note.has_question:
        parts += [f"{label}: {count}" for label, count in tracking.tally]
        parts.append(_("different answers: %(n)d") % {"n": tracking.divergent})
        parts.append(_("no answer: %(n)d") % {"n": tracking.unanswered})
    return " · ".join(parts)


def tracking_pdf(tracking: Tracking) -> bytes:
    title_style, body, cell = _styles()
    note = tracking.note

    def p(text: str) -> Paragraph:
        return Paragraph(escape(text), cell)

    header = [
        _("Pupil"),
        _("Class"),
        _("Status"),
        _("Guardian"),
        _("Read"),
        _("Signed"),
        _("Answer"),
    ]
    data: list[list[Paragraph]] = [[p(h) for h in header]]
    for line in tracking.lines:
        cells: list[GuardianCell | None] = list(line.guardians) or [None]
        for index, guardian in enumerate(cells):
            first = index == 0
            data.append([
                p(line.pupil_name if first else ""),
                p(line.class_label if first else ""),
                p(_status(line) if first else ""),
                p(guardian.name if guardian else _("no guardian on file")),
                p(_when(guardian.row.first_read_at) if guardian else ""),
                p(_when(guardian.row.signed_at) if guardian else ""),
                p(guardian.answer_label if guardian else ""),
            ])  # fmt: skip
    table = Table(
        data,
        repeatRows=1,
        colWidths=[50 * mm, 30 * mm, 18 * mm, 60 * mm, 30 * mm, 30 * mm, 39 * mm],
    )
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e5e7eb")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    sent = formats.date_format(timezone.localtime(note.sent_at), "DATETIME_FORMAT")
    story = [
        Paragraph(escape(note.title), title_style),
        Paragraph(
            escape(f"{note.school.name} — {note.audience_label} — {note.sender_label}, {sent}"),
            body,
        ),
        Paragraph(escape(_summary(tracking)), body),
        Spacer(1, 4 * mm),
        table,
    ]
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=landscape(A4),
        leftMargin=10 * mm,
        rightMargin=10 * mm,
        topMargin=10 * mm,
        bottomMargin=10 * mm,
        title=note.title,
        author="Préau",
    )
    doc.build(story)
    return out.getvalue()
