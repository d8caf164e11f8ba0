"""A payment claim of 1,000 invoices: building it, then its PDF, XLSX and ZIP exports.

A throwaway instance is migrated; the seed programme is created through the services,
then 1,000 paid invoices (one line each, 20 suppliers, 50 orders) and a small PDF scan
for each are inserted in bulk. The claim is created, filled and submitted through the
services (timed), then its statement is rendered as PDF, XLSX and ZIP (timed, with the
size). The floor: the same 1,000 rows written as CSV by the ``csv`` module.

    python bench/claim_export.py [--sqlite] [--postgres [URL]]

With no option: SQLite, and PostgreSQL too if a server answers on 127.0.0.1:5432
(database ``preau_bench``, dropped and created for the run, dropped after); when
``PREAU_DATABASE_URL`` names a ``preau_bench*`` database, that one is used instead.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

from _common import DEFAULT_PG, ROOT, Instance, machine, postgres_reachable, table

INVOICES = 1_000
SUPPLIERS = 20
ORDERS = 50


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sqlite", action="store_true")
    parser.add_argument("--postgres", nargs="?", const=DEFAULT_PG, default=None, metavar="URL")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure()
        return
    pg = args.postgres or os.environ.get("PREAU_DATABASE_URL") or None
    targets: list[str | None] = []
    if args.sqlite or not pg:
        targets.append(None)
    if pg:
        targets.append(pg)
    elif not args.sqlite and postgres_reachable():
        targets.append(DEFAULT_PG)
    print(f"Claim export, {INVOICES} invoices — {machine()}")
    for url in targets:
        instance = Instance(url)
        try:
            instance.preau("migrate", "--noinput")
            subprocess.run(
                [sys.executable, __file__, "--measure"], env=instance.env, cwd=ROOT, check=True
            )
        finally:
            instance.close()


def _scan(number: str) -> bytes:
    import io

    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    page = Canvas(buffer, invariant=True)
    page.drawString(72, 720, f"Facture fictive {number} - banc d'essai")
    page.showPage()
    page.save()
    return buffer.getvalue()


def load(programme: Any) -> None:
    """1,000 paid invoices, their lines and scans, in bulk (not measured)."""
    import datetime as dt
    import hashlib
    from decimal import Decimal

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from preau.programme import money
    from preau.programme.models import (
        Attachment,
        BudgetLine,
        Invoice,
        InvoiceLine,
        Order,
        OrderLine,
        Supplier,
    )

    lines = list(BudgetLine.objects.filter(objective__axis__programme=programme))
    suppliers = Supplier.objects.bulk_create(
        Supplier(municipality=programme.municipality, name=f"Fournisseur {i:02d}")
        for i in range(SUPPLIERS)
    )
    orders = Order.objects.bulk_create(
        Order(
            programme=programme,
            supplier=suppliers[i % SUPPLIERS],
            budget_line=lines[i % len(lines)],
            number=f"BC-{i:04d}",
            order_date=dt.date(2021, 9, 1),
        )
        for i in range(ORDERS)
    )
    per_order = INVOICES // ORDERS

    def amount(i: int) -> Decimal:
        return Decimal(700 + (i * 37) % 900) + Decimal(i % 100) / 100

    OrderLine.objects.bulk_create(
        OrderLine(
            order=o,
            label="Commande",
            amount_ht=Decimal("60000.00"),
            vat_rate=Decimal(20),
            vat_amount=Decimal("12000.00"),
            amount_ttc=Decimal("72000.00"),
        )
        for o in orders
    )
    invoices = Invoice.objects.bulk_create(
        Invoice(
            order=orders[i // per_order],
            supplier=orders[i // per_order].supplier,
            number=f"F-{i:05d}",
            invoice_date=dt.date(2022, 1, 1) + dt.timedelta(days=i % 500),
            payment_date=dt.date(2022, 2, 1) + dt.timedelta(days=i % 500),
            mandate_number=f"M-{i:05d}",
        )
        for i in range(INVOICES)
    )
    rows = []
    for i, invoice in enumerate(invoices):
        ht = amount(i)
        vat = money.vat(ht, Decimal(20))
        rows.append(
            InvoiceLine(
                invoice=invoice,
                label="Ligne",
                amount_ht=ht,
                vat_rate=Decimal(20),
                vat_amount=vat,
                amount_ttc=ht + vat,
            )
        )
    InvoiceLine.objects.bulk_create(rows, batch_size=500)
    scans = []
    for invoice in invoices:
        content = _scan(invoice.number)
        name = default_storage.save(f"programme/bench/{invoice.number}.pdf", ContentFile(content))
        scans.append(
            Attachment(
                programme=programme,
                kind=Attachment.Kind.INVOICE_SCAN,
                file=name,
                original_name=f"{invoice.number}.pdf",
                content_type="application/pdf",
                size=len(content),
                sha256=hashlib.sha256(content).hexdigest(),
                invoice=invoice,
            )
        )
    Attachment.objects.bulk_create(scans, batch_size=500)


def measure() -> None:
    import django

    django.setup()
    import csv
    import io

    from django.db import connection
    from django.utils import translation

    from preau.directory.models import Municipality
    from preau.programme import claims
    from preau.programme.exports.pdf import render_pdf
    from preau.programme.exports.scans import write_zip
    from preau.programme.exports.statement import build_statement
    from preau.programme.exports.xlsx import render_xlsx
    from preau.programme.models import Invoice
    from preau.programme.seed import load_seed_programme

    translation.activate("fr")
    muni = Municipality.objects.create(name="Banc", insee_code="56999", slug="banc")
    programme = load_seed_programme(muni)
    load(programme)
    ids = list(Invoice.objects.filter(order__programme=programme).values_list("pk", flat=True))
    results: list[tuple[str, str, str, str]] = [("step", "seconds", "queries", "output")]
    claim = claims.create_claim(actor=None, programme=programme)

    def step(name: str, call: Callable[[], Any], size: Callable[[Any], str] = lambda _r: "") -> Any:
        seconds, queries, result = timed(connection, call)
        results.append((name, f"{seconds:.2f}", str(queries), size(result)))
        return result

    step(
        "add 1,000 invoices to a draft",
        lambda: claims.add_invoices(actor=None, claim=claim, invoice_ids=ids),
    )
    draft = step("statement of the draft (live)", lambda: build_statement(claim))
    step("PDF of the draft", lambda: render_pdf(draft), lambda r: f"{len(r) // 1024} KiB")
    step("submit (freeze 1,000 lines)", lambda: claims.submit_claim(actor=None, claim=claim))
    statement = step("statement of the submitted claim", lambda: build_statement(claim))
    kib = lambda r: f"{len(r) // 1024} KiB"  # noqa: E731
    pdf = step("PDF", lambda: render_pdf(statement), kib)
    step("XLSX", lambda: render_xlsx(statement), kib)

    def zip_size(result: Any) -> str:
        archive, count, _missing = result
        size = archive.seek(0, 2)
        archive.close()
        return f"{size // 1024} KiB, {count} scans"

    step("ZIP of 1,000 scans", lambda: write_zip(statement.rows), zip_size)

    def as_csv() -> str:
        out = io.StringIO()
        writer = csv.writer(out)
        for r in statement.rows:
            writer.writerow(
                [
                    r.heading,
                    r.invoice_number,
                    r.supplier,
                    r.invoice_date,
                    r.payment_date,
                    r.mandate_number,
                    r.amount_ht,
                    r.amount_ttc,
                ]
            )
        return out.getvalue()

    step("floor: the same rows as CSV", as_csv, lambda r: f"{len(r) // 1024} KiB")
    from pypdf import PdfReader

    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    print(f"\n{connection.vendor}: {INVOICES} invoices, PDF of {pages} pages")
    print(table(list(results)))


def timed(connection: Any, call: Callable[[], Any]) -> tuple[float, int, Any]:
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        result = call()
        seconds = time.perf_counter() - started
    return seconds, len(queries), result


if __name__ == "__main__":
    os.chdir(ROOT)
    main()
