"""A claim's exports opened and read back: the workbook's cells (openpyxl, and the raw
XML for exactness), the PDF's text (pypdf), the ZIP's order and names — each compared
with the database."""

from __future__ import annotations

import io
import re
import zipfile
from decimal import Decimal

import pytest
from django.utils import timezone, translation
from openpyxl import load_workbook
from pypdf import PdfReader

from preau.programme import claims
from preau.programme.exports.pdf import render_pdf
from preau.programme.exports.publicity import MENTIONS
from preau.programme.exports.scans import safe_part, write_zip
from preau.programme.exports.statement import build_statement, split
from preau.programme.exports.xlsx import render_xlsx
from preau.programme.models import Attachment, Claim, ClaimLine, FundingSource, Programme
from preau.programme.seed import load_demo_spending
from preau.programme.seed_claims import load_demo_claims

FR, EN = MENTIONS["fr"], MENTIONS["en"]


@pytest.fixture
def demo(seed: Programme, settings, tmp_path) -> Programme:
    settings.MEDIA_ROOT = tmp_path
    load_demo_spending(seed)
    load_demo_claims(seed)
    return seed


def claim(programme: Programme, number: int) -> Claim:
    return Claim.objects.get(programme=programme, number=number)


def pdf_text(data: bytes) -> str:
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return re.sub(r"[ \xa0\u202f]+", " ", text)


def one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_demo_claims_and_scans(demo):
    submitted, draft = claim(demo, 1), claim(demo, 2)
    assert submitted.status == Claim.Status.RECEIVED
    assert (submitted.total_ht, submitted.requested) == (Decimal("297900.00"), Decimal("178740.00"))
    assert submitted.received_amount == submitted.requested
    assert draft.status == Claim.Status.DRAFT
    assert draft.invoices.count() == 2
    scans = Attachment.objects.filter(programme=demo, kind=Attachment.Kind.INVOICE_SCAN)
    assert scans.count() == 6  # seven paid invoices, one without its scan
    for scan in scans:
        with scan.file.open("rb") as f:
            assert f.read(5) == b"%PDF-"


def test_workbook_cells_match_the_frozen_lines(demo):
    submitted = claim(demo, 1)
    with translation.override("en"):
        book = load_workbook(io.BytesIO(render_xlsx(build_statement(submitted))))
    assert book.sheetnames == ["Expenditure", "Resources", "Indicators"]
    for sheet in book.worksheets:  # the publicity mentions head every sheet
        assert [sheet.cell(row=r, column=1).value for r in (1, 2, 3)] == [
            EN.union,
            EN.fund,
            EN.statement,
        ]
    ws = book["Expenditure"]
    header = next(r for r in range(1, 20) if ws.cell(row=r, column=1).value == "No.")
    assert ws.freeze_panes == f"A{header + 1}"
    assert all(ws.cell(row=header, column=c).font.b for c in range(1, 10))
    lines = list(ClaimLine.objects.filter(claim=submitted).order_by("position"))
    row = header
    for line in lines:
        row += 1
        cells = [ws.cell(row=row, column=c) for c in range(1, 10)]
        values = [c.value for c in cells]
        assert values[0] == line.position
        assert values[1:4] == [line.heading, line.invoice_number, line.supplier]
        assert [values[4].date(), values[5].date()] == [line.invoice_date, line.payment_date]
        assert values[6] == line.mandate_number
        for cell, expected in ((cells[7], line.amount_ht), (cells[8], line.amount_ttc)):
            assert cell.data_type == "n"
            assert isinstance(cell.value, int | float)
            assert cell.number_format == "#,##0.00"
            assert Decimal(str(cell.value)) == expected
        if line.position == 3:  # the heading's last line: its subtotal follows
            row += 1
            assert ws.cell(row=row, column=3).value == "Subtotal"
            assert Decimal(str(ws.cell(row=row, column=8).value)) == Decimal("297900.00")
    assert ws.cell(row=row + 1, column=2).value == "Total of the claim"
    assert Decimal(str(ws.cell(row=row + 1, column=8).value)) == submitted.total_ht
    assert Decimal(str(ws.cell(row=row + 1, column=9).value)) == submitted.total_ttc

    resources = book["Resources"]
    found = {
        resources.cell(row=r, column=1).value: [resources.cell(row=r, column=c) for c in (2, 3, 4)]
        for r in range(1, 20)
    }
    share, on_claim, on_programme = found["REACT-EU"]
    assert Decimal(str(share.value)) == Decimal("60")
    assert Decimal(str(on_claim.value)) == Decimal("178740.00")
    assert Decimal(str(on_programme.value)) == Decimal("1095600.00")
    assert on_programme.number_format == "#,##0.00"
    assert Decimal(str(found["Ville de Lorient"][2].value)) == Decimal("730400.00")
    assert Decimal(str(found["Amount requested"][1].value)) == submitted.requested


def test_workbook_numbers_are_written_exactly(demo):
    """The raw XML: every amount cell holds the exact decimal of the database."""
    submitted = claim(demo, 1)
    with translation.override("en"):
        data = render_xlsx(build_statement(submitted))
    sheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    amounts = [Decimal(v) for v in re.findall(r'<c r="H\d+"[^>]*t="n"[^>]*><v>([^<]+)</v>', sheet)]
    lines = ClaimLine.objects.filter(claim=submitted).order_by("position")
    assert amounts == [*(x.amount_ht for x in lines), Decimal("297900.00"), submitted.total_ht]


def test_workbook_in_french_carries_the_french_mentions(demo):
    with translation.override("fr"):
        book = load_workbook(io.BytesIO(render_xlsx(build_statement(claim(demo, 2)))))
    ws = book.worksheets[0]
    assert [ws.cell(row=r, column=1).value for r in (1, 2, 3)] == [FR.union, FR.fund, FR.statement]
    assert ws["A1"].font.b


def test_pdf_of_a_submitted_claim(demo):
    submitted = claim(demo, 1)
    with translation.override("fr"):
        data = render_pdf(build_statement(submitted))
    reader = PdfReader(io.BytesIO(data))
    text = pdf_text(data)
    flat = one_line(text)
    for line in ClaimLine.objects.filter(claim=submitted):
        assert line.invoice_number in text
        assert line.mandate_number in text
        assert line.invoice_date.strftime("%d/%m/%Y") in text
    for figure in ("297 900,00", "357 480,00", "178 740,00", "1 095 600,00", "730 400,00"):
        assert figure in text, figure
    assert "118 500,00" in text
    assert "142 200,00" in text
    assert FR.union in text
    assert FR.fund in text
    assert one_line(FR.statement) in flat
    assert f"page 1 / {len(reader.pages)}" in text
    assert f"page {len(reader.pages)} / {len(reader.pages)}" in text
    assert "REACT-EU" in text
    assert "Ville de Lorient" in text
    assert "DRAFT" not in text
    assert reader.metadata is not None
    assert "Transition" in (reader.metadata.title or "")


def test_pdf_in_english_and_of_a_draft(demo):
    draft = claim(demo, 2)
    with translation.override("en"):
        text = pdf_text(render_pdf(build_statement(draft)))
    assert EN.union in text
    assert one_line(EN.statement) in one_line(text)
    assert "DRAFT" in text
    assert "277,200.00" in text
    assert "FO-22-051" in text
    assert "BO-5531" in text
    assert "Certification by the public accountant" in text


def test_statement_of_a_draft_is_live(demo):
    draft = claim(demo, 2)
    statement = build_statement(draft)
    assert statement.draft
    assert [r.invoice_number for r in statement.rows] == ["FO-22-051", "BO-5531"]
    assert statement.total_ht == Decimal("277200.00")
    assert statement.requested == Decimal("166320.00")
    assert [g.total_ht for g in statement.groups] == [Decimal("150000.00"), Decimal("127200.00")]
    assert sum(r.on_claim for r in statement.resources) == statement.total_ht


def test_split_gives_the_rounding_cent_to_the_last_source(demo):
    sources = list(FundingSource.objects.filter(programme=demo).order_by("position"))
    sources[0].share_percent, sources[1].share_percent = Decimal("50.00"), Decimal("50.00")
    assert split(Decimal("0.01"), sources) == [Decimal("0.01"), Decimal("0.00")]
    assert split(Decimal("100.01"), sources) == [Decimal("50.01"), Decimal("50.00")]


def test_zip_holds_the_scans_in_the_statement_order(demo):
    submitted = claim(demo, 1)
    rows = build_statement(submitted).rows
    with translation.override("fr"):
        archive, count, missing = write_zip(rows)
    with archive, zipfile.ZipFile(archive) as z:
        names = z.namelist()
        assert names == [
            "001_Armor-Reseaux_AR-2022-007.pdf",
            "002_Armor-Reseaux_AR-2022-031.pdf",
            "003_Fibre-Oceane_FO-21-118.pdf",
            "manquants.txt",
        ]
        assert (count, missing) == (3, 0)
        for name, row in zip(names, rows, strict=False):
            scan = Attachment.objects.get(invoice_id=row.invoice_id)
            with scan.file.open("rb") as f:
                assert z.read(name) == f.read()


def test_zip_lists_the_missing_scans_and_skips_trashed_ones(demo):
    draft = claim(demo, 2)
    # In the trash (as ``files.trash`` puts it): no longer part of the evidence sent.
    Attachment.objects.filter(invoice__number="FO-22-051").update(trashed_at=timezone.now())
    with translation.override("en"):
        archive, count, missing = write_zip(build_statement(draft).rows)
    with archive, zipfile.ZipFile(archive) as z:
        assert z.namelist() == ["missing.txt"]
        listed = z.read("missing.txt").decode()
    assert (count, missing) == (0, 2)
    assert "001  Fibre Océane  FO-22-051" in listed
    assert "002  Bureautique de l'Ouest  BO-5531" in listed


def test_safe_names():
    assert safe_part("Bureautique de l'Ouest") == "Bureautique-de-l-Ouest"
    assert safe_part("SC/23 0190") == "SC-23-0190"
    assert safe_part("../..") == "x"


def test_a_submitted_statement_does_not_move(demo, officer):
    """The frozen statement stays what was declared after the funding plan changes."""
    submitted = claim(demo, 1)
    before = build_statement(submitted)
    claims.delete_claim(actor=officer, claim=claim(demo, 2))
    after = build_statement(submitted)
    assert [r.invoice_number for r in before.rows] == [r.invoice_number for r in after.rows]
    assert after.requested == submitted.requested
    assert after.total_ht == submitted.total_ht
    assert timezone.is_aware(after.generated_at)


def test_demo_reset_erases_claims_with_the_municipality(demo):
    """``preau demo --reset``: claims, their frozen lines and scans go with the rest."""
    from preau.demo.load import erase_directory_and_accounts

    erase_directory_and_accounts()
    assert not Programme.objects.exists()
    assert not Claim.objects.exists()
    assert not ClaimLine.objects.exists()
    assert not Attachment.objects.exists()
