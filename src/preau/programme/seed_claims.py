"""Demo payment claims over the demo invoices (``seed.load_demo_spending``), and a
generated — clearly fictional — scan for most paid invoices, so that the claims pages
and every export show something real.

Claim 1 (interim) was submitted in November 2022 and paid in February 2023; claim 2
(interim) is a draft. One paid invoice has no scan, so the ZIP lists it as missing; the
invoice paid after the eligibility window stays out of every claim (flagged).
"""

from __future__ import annotations

import datetime as dt
import io
import zoneinfo

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from reportlab.lib.pagesizes import A5
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from preau.programme import claims, files, money
from preau.programme.models import Attachment, Invoice, Programme

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
SUBMITTED = (
    "Première demande de paiement intermédiaire",
    ("FO-21-118", "AR-2022-007", "AR-2022-031"),
    dt.datetime(2022, 11, 14, 10, 0, tzinfo=PARIS),
    dt.date(2023, 2, 20),
)
DRAFT = ("Deuxième demande de paiement intermédiaire", ("FO-22-051", "BO-5531"))
WITHOUT_SCAN = "BO-5531"


def fictional_scan(invoice: Invoice) -> bytes:
    """A one-page PDF that looks like an invoice and says it is not one."""
    ht = money.total(line.amount_ht for line in invoice.lines.all())
    ttc = money.total(line.amount_ttc for line in invoice.lines.all())
    buffer = io.BytesIO()
    page = Canvas(buffer, pagesize=A5, invariant=True)
    width, height = A5
    page.setTitle(f"Facture {invoice.number} (fictive)")
    page.setFont("Helvetica-Bold", 16)
    page.drawString(15 * mm, height - 20 * mm, invoice.supplier.name)
    page.setFont("Helvetica", 11)
    rows = [
        f"Facture n° {invoice.number}",
        f"Date : {invoice.invoice_date.strftime('%d/%m/%Y')}",
        f"Commande : {invoice.order.number}",
        f"Montant HT : {ht} €",
        f"Montant TTC : {ttc} €",
    ]
    for i, text in enumerate(rows):
        page.drawString(15 * mm, height - (35 + 8 * i) * mm, text)
    page.setFont("Helvetica-Bold", 13)
    page.setFillGray(0.45)
    page.drawCentredString(width / 2, 25 * mm, "FACTURE FICTIVE — données de démonstration")
    page.drawCentredString(width / 2, 18 * mm, "Préau : aucune valeur comptable")
    page.showPage()
    page.save()
    return buffer.getvalue()


def _attach_scans(programme: Programme) -> int:
    count = 0
    invoices = (
        Invoice.objects.filter(order__programme=programme, payment_date__isnull=False)
        .exclude(number=WITHOUT_SCAN)
        .exclude(attachments__kind=Attachment.Kind.INVOICE_SCAN)
        .select_related("supplier", "order")
        .prefetch_related("lines")
    )
    for invoice in invoices:
        files.attach(
            actor=None,
            programme=programme,
            kind=Attachment.Kind.INVOICE_SCAN,
            upload=SimpleUploadedFile(
                f"facture-{invoice.number}.pdf", fictional_scan(invoice), "application/pdf"
            ),
            title=f"Facture {invoice.number}",
            invoice=invoice,
        )
        count += 1
    return count


def _ids(programme: Programme, numbers: tuple[str, ...]) -> list[int]:
    return list(
        Invoice.objects.filter(order__programme=programme, number__in=numbers).values_list(
            "pk", flat=True
        )
    )


@transaction.atomic
def load_demo_claims(programme: Programme) -> int:
    """The demo claims of ``programme`` and the scans; returns the number of claims."""
    _attach_scans(programme)
    title, numbers, submitted_at, received_on = SUBMITTED
    first = claims.create_claim(actor=None, programme=programme, title=title)
    claims.add_invoices(actor=None, claim=first, invoice_ids=_ids(programme, numbers))
    first = claims.submit_claim(actor=None, claim=first, submitted_at=submitted_at)
    assert first.requested is not None
    claims.record_receipt(actor=None, claim=first, amount=first.requested, received_on=received_on)
    draft_title, draft_numbers = DRAFT
    second = claims.create_claim(actor=None, programme=programme, title=draft_title)
    claims.add_invoices(actor=None, claim=second, invoice_ids=_ids(programme, draft_numbers))
    return 2
