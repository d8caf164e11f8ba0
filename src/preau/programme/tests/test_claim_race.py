"""Two drafts racing for one invoice, on PostgreSQL: one wins, the other is told why."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, transaction
from django.utils import translation

from preau.programme import claims
from preau.programme.models import Invoice
from preau.programme.seed import load_demo_spending
from preau.programme.services import ProgrammeError

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks need PostgreSQL (SQLite has none)"
)


def test_two_drafts_racing_for_one_invoice(transactional_db, world, seed, officer):
    load_demo_spending(seed)
    invoice = Invoice.objects.get(number="FO-21-118")
    first = claims.create_claim(actor=officer, programme=seed)
    second = claims.create_claim(actor=officer, programme=seed)
    holding, release = threading.Event(), threading.Event()
    outcome: dict[str, object] = {}

    def winner() -> None:
        try:
            with transaction.atomic():
                claims.add_invoices(actor=officer, claim=first, invoice_ids=[invoice.pk])
                holding.set()
                release.wait(10)  # keep the row locked while the other one tries
        finally:
            connection.close()

    def loser() -> None:
        holding.wait(10)
        try:
            with translation.override("en"):
                claims.add_invoices(actor=officer, claim=second, invoice_ids=[invoice.pk])
        except ProgrammeError as error:
            outcome["error"] = str(error)
        finally:
            outcome["done_at"] = time.monotonic()
            connection.close()

    threads = [threading.Thread(target=winner), threading.Thread(target=loser)]
    for thread in threads:
        thread.start()
    holding.wait(10)
    time.sleep(0.5)
    assert "done_at" not in outcome  # the second one waits for the first one's lock
    released_at = time.monotonic()
    release.set()
    for thread in threads:
        thread.join(20)
    assert outcome["done_at"] >= released_at  # type: ignore[operator]
    assert "FO-21-118" in str(outcome["error"])
    assert "already in claim 1" in str(outcome["error"])
    invoice.refresh_from_db()
    assert invoice.claim_id == first.pk
    assert not Invoice.objects.filter(claim=second).exists()
