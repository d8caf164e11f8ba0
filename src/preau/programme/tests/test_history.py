"""The history of a record read back from the audit log: who, when, what changed, in the
reader's language; the files and deliveries of a record are part of its history."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

import preau.programme.audit_labels_chain  # noqa: F401  (registers the labels)
from preau.programme import files, history, services_chain, services_invoices
from preau.programme.models import Invoice
from preau.programme.services import LineInput
from preau.programme.tests.edit_helpers import (
    en_client,
    invoice_of,
    order_of,
    with_spending,
)


@pytest.fixture
def spending(seed):
    return with_spending(seed)


def _pay(officer, invoice, day):
    return services_invoices.pay_invoice(
        actor=officer, invoice=invoice, payment_date=day, mandate_number="M-1"
    )


def test_diff_keeps_only_what_changed():
    before = {"a": "1", "b": "x", "c": ""}
    assert history.diff(before, {"a": "1", "b": "y", "c": "z"}) == {
        "b": ["x", "y"],
        "c": ["", "z"],
    }
    assert history.as_text(Decimal("12.50")) == "12.50"
    assert history.as_text(dt.date(2023, 1, 2)) == "2023-01-02"
    assert history.as_text(True) == "true"
    assert history.as_text(None) == ""


def test_history_newest_first_with_translated_field_names(officer, spending):
    invoice = invoice_of("PL-2023-88")
    _pay(officer, invoice, dt.date(2023, 11, 2))
    _pay(officer, invoice, dt.date(2023, 11, 3))
    with translation.override("fr"):
        entries = history.history_of(Invoice.objects.get(pk=invoice.pk))
        label = str(Invoice._meta.get_field("payment_date").verbose_name)
        mandate = str(Invoice._meta.get_field("mandate_number").verbose_name)
    assert [e.who for e in entries[:2]] == ["Paula Programme", "Paula Programme"]
    newest, older = entries[0], entries[1]
    assert newest.at >= older.at
    assert [(c.field, c.old, c.new) for c in newest.changes] == [
        (label, "02/11/2023", "03/11/2023")
    ]
    assert {c.field for c in older.changes} == {label, mandate}
    # The demo's creation, by no person, closes the history.
    assert entries[-1].who == "system"


def test_amounts_and_booleans_read_in_the_readers_language(officer, spending):
    invoice = invoice_of("PL-2023-88")
    services_invoices.update_invoice(
        actor=officer,
        invoice=invoice,
        order=invoice.order,
        number=invoice.number,
        invoice_date=invoice.invoice_date,
        lines=[LineInput("Logiciel", "80000", "20", "16000", "96000")],
    )
    with translation.override("fr"):
        change = next(
            c for e in history.history_of(invoice) for c in e.changes if "Logiciel" in c.new
        )
    assert change.new == "Logiciel: 80000.00 + 20.00 % = 96000.00"
    with translation.override("fr"):
        assert history._display("80000.00").replace("\u202f", " ").replace("\xa0", " ") == (
            "80 000,00"
        )
        assert history._display("true") == "oui"
    with translation.override("en"):
        assert history._display("80000.00") == "80,000.00"
        assert history._display("2023-11-02") == "11/02/2023"


def test_files_and_deliveries_belong_to_their_records_history(
    settings, tmp_path, officer, spending
):
    settings.MEDIA_ROOT = tmp_path
    order = order_of("BC-2021-0455")
    delivery = services_chain.create_delivery(
        actor=officer, order=order, delivered_on=dt.date(2022, 1, 10)
    )
    files.attach(
        actor=officer,
        programme=spending,
        kind="acceptance",
        upload=SimpleUploadedFile("pv.pdf", b"%PDF-1.4 pv"),
        delivery=delivery,
    )
    files.attach(
        actor=officer,
        programme=spending,
        kind="order",
        upload=SimpleUploadedFile("bc.pdf", b"%PDF-1.4 bc"),
        order=order,
    )
    with translation.override("en"):
        order_history = history.history_of(order)
        delivery_history = history.history_of(delivery)
    actions = [e.action for e in order_history]
    assert actions[:2] == ["Document added", "Delivery recorded"]
    assert order_history[0].target == "bc.pdf"
    assert [e.action for e in delivery_history][:2] == ["Document added", "Delivery recorded"]


def test_the_history_on_the_page_says_who_when_and_what(world, officer, spending):
    invoice = invoice_of("PL-2023-88")
    _pay(officer, invoice, dt.date(2023, 11, 2))
    html = (
        en_client(world, officer)
        .get(reverse("programme:invoice_detail", args=[invoice.pk]))
        .content.decode()
    )
    section = html[html.index('id="history-title"') :]
    assert "Invoice payment recorded" in section
    assert "Paula Programme" in section
    assert "payment date" in section.lower()
    assert "11/02/2023" in section
    assert "<time datetime=" in section


def test_the_history_is_capped(officer, spending):
    invoice = invoice_of("PL-2023-88")
    for day in range(1, 8):
        _pay(officer, invoice, dt.date(2023, 11, day))
    assert len(history.history_of(invoice, limit=5)) == 5
