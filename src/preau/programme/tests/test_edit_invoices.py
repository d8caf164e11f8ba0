"""Invoices on screen: access, the issue's bad input (a clear message, nothing written),
the eligibility flags, payments, locked invoices and deletes refused in a claim."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from preau.core.models import AuditEvent
from preau.programme import services_invoices
from preau.programme.models import Invoice, InvoiceLine
from preau.programme.services import LineInput, ProgrammeError
from preau.programme.tests.edit_helpers import (
    OUTSIDERS,
    STAFF,
    draft_claim,
    en_client,
    invoice_of,
    line_rows,
    order_of,
    persona,
    submitted_claim,
    with_spending,
)


@pytest.fixture(autouse=True)
def _english():
    """Messages are checked in English, their source language."""
    with translation.override("en"):
        yield


@pytest.fixture
def spending(seed):
    return with_spending(seed)


# Session, user, the scope, the programme, the filter's suppliers, the count, the page:
# the same whatever the number of invoices.
QUERIES_INVOICE_LIST = 10


def _programme_events() -> int:
    return AuditEvent.objects.filter(action__startswith="programme.").count()


def _rows() -> tuple[int, int, int]:
    return Invoice.objects.count(), InvoiceLine.objects.count(), _programme_events()


def _urls(programme, invoice) -> list[str]:
    return [
        reverse("programme:invoices", args=[programme.pk]),
        reverse("programme:invoice_create", args=[programme.pk]),
        reverse("programme:invoice_detail", args=[invoice.pk]),
        reverse("programme:invoice_edit", args=[invoice.pk]),
        reverse("programme:invoice_delete", args=[invoice.pk]),
    ]


@pytest.mark.parametrize("who", STAFF)
def test_staff_open_every_invoice_page(world, officer, technician, vannes_officer, spending, who):
    client = en_client(world, persona(world, who, officer, technician, vannes_officer))
    for url in _urls(spending, invoice_of("PL-2023-88")):
        response = client.get(url)
        assert response.status_code == 200, url
        assert 'style="' not in response.content.decode()


@pytest.mark.parametrize("who", OUTSIDERS)
def test_everyone_else_gets_404(world, officer, technician, vannes_officer, spending, who):
    client = en_client(world, persona(world, who, officer, technician, vannes_officer))
    invoice = invoice_of("PL-2023-88")
    before = _rows()
    for url in _urls(spending, invoice):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"number": "X"}).status_code == 404, url
    pay = reverse("programme:invoice_pay", args=[invoice.pk])
    assert client.post(pay, {"payment_date": "2023-11-02"}).status_code == 404
    assert _rows() == before
    assert Invoice.objects.get(pk=invoice.pk).payment_date is None


def _form(order_number: str = "BC-2021-0412", *rows: tuple[str, ...], **fields: str):
    return (
        {
            "order": str(order_of(order_number).pk),
            "number": "FO-23-099",
            "chorus_id": "",
            "invoice_date": "2023-11-15",
            "payment_date": "",
            "mandate_number": "",
        }
        | fields
        | line_rows(*(rows or (("Raccordement complémentaire", "1000"),)))
    )


def test_the_officer_records_an_invoice_with_its_chorus_number(world, officer, spending):
    client = en_client(world, officer)
    order = order_of("BC-2021-0412")
    form = client.get(reverse("programme:invoice_create", args=[spending.pk]), {"order": order.pk})
    assert f'<option value="{order.pk}" selected>' in form.content.decode()
    data = _form(
        chorus_id="FAC-2023-000123",
        payment_date="2023-12-10",
        mandate_number="M-2023-77",
    )
    response = client.post(reverse("programme:invoice_create", args=[spending.pk]), data)
    assert response.status_code == 302
    invoice = Invoice.objects.get(number="FO-23-099")
    assert (invoice.chorus_id, invoice.supplier, invoice.mandate_number) == (
        "FAC-2023-000123",
        order.supplier,
        "M-2023-77",
    )
    html = client.get(response["Location"]).content.decode()
    assert "FAC-2023-000123" in html
    assert "1,200.00" in html
    assert "in the window" in html


@pytest.mark.parametrize(
    ("fields", "rows", "message"),
    [
        ({}, [("Licences", "0")], "Enter an amount greater than zero."),
        ({}, [("Licences", "-5")], "Enter an amount greater than zero."),
        ({}, [("Licences", "100", "20", "19.99")], "the VAT 19.99 does not match 100.00"),
        ({}, [("Licences", "100", "20", "20", "120.01")], "incl. VAT 120.01 is not 120.00"),
        ({}, [("Fibre", "30000.01")], "The invoices of order BC-2021-0412 would exceed it"),
        ({"number": "FO-21-118"}, [], "Fibre Océane already has an invoice numbered FO-21-118"),
        ({"payment_date": "2023-11-14"}, [], "The payment date is before the invoice date."),
        ({"invoice_date": "2023-02-30"}, [], "Enter a valid date."),
    ],
)
def test_bad_invoices_are_refused_and_nothing_is_written(
    world, officer, spending, fields, rows, message
):
    before = _rows()
    response = en_client(world, officer).post(
        reverse("programme:invoice_create", args=[spending.pk]),
        _form("BC-2021-0412", *rows, **fields),
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert _rows() == before


def test_a_chorus_number_is_recorded_once(world, officer, spending):
    client = en_client(world, officer)
    url = reverse("programme:invoice_create", args=[spending.pk])
    client.post(url, _form(chorus_id="CH-1"))
    response = client.post(url, _form(number="FO-23-100", chorus_id="CH-1"))
    assert "Chorus Pro number CH-1 is already recorded" in response.content.decode()
    assert Invoice.objects.filter(chorus_id="CH-1").count() == 1


def test_dates_outside_the_window_are_accepted_and_flagged(world, officer, spending):
    client = en_client(world, officer)
    data = _form(invoice_date="2023-12-20", payment_date="2024-01-05")
    response = client.post(reverse("programme:invoice_create", args=[spending.pk]), data)
    assert response.status_code == 302
    invoice = Invoice.objects.get(number="FO-23-099")
    event = AuditEvent.objects.get(action="programme.invoice_created", target_id=str(invoice.pk))
    assert event.data["flags"] == ["payment_date_outside_window"]
    page = client.get(response["Location"]).content.decode()
    assert "accepted but flagged: paid outside the eligibility window" in page
    assert "Paid outside the eligibility window" in page
    listing = reverse("programme:invoices", args=[spending.pk])
    flagged = client.get(listing, {"status": "flagged"}).content.decode()
    assert "FO-23-099" in flagged
    assert "SC-23-0412" in flagged
    assert "FO-21-118" not in flagged


def test_invoice_list_filters(world, officer, spending):
    client = en_client(world, officer)
    url = reverse("programme:invoices", args=[spending.pk])
    unpaid = client.get(url, {"status": "unpaid"}).content.decode()
    assert "PL-2023-88" in unpaid
    assert "FO-21-118" not in unpaid
    paid = client.get(url, {"status": "paid"}).content.decode()
    assert "FO-21-118" in paid
    assert "PL-2023-88" not in paid
    Invoice.objects.filter(number="FO-21-118").update(claim=draft_claim(spending))
    claimed = client.get(url, {"status": "claimed"}).content.decode()
    assert "FO-21-118" in claimed
    assert "FO-22-051" not in claimed
    unclaimed = client.get(url, {"status": "unclaimed"}).content.decode()
    assert "FO-21-118" not in unclaimed
    assert "FO-22-051" in unclaimed


def test_editing_an_invoice_records_what_changed_and_shows_it(world, officer, spending):
    client = en_client(world, officer)
    invoice = invoice_of("PL-2023-88")
    url = reverse("programme:invoice_edit", args=[invoice.pk])
    data = _form(
        "BC-2023-0140",
        ("Logiciel UEM", "80000"),
        number="PL-2023-88",
        invoice_date="2023-10-02",
        chorus_id="CH-88",
    ) | {"line-INITIAL_FORMS": "1"}
    response = client.post(url, data)
    assert response.status_code == 302
    changes = AuditEvent.objects.get(action="programme.invoice_updated").data["changes"]
    assert changes["chorus_id"] == ["", "CH-88"]
    assert changes["lines"][1] == "Logiciel UEM: 80000.00 + 20.00 % = 96000.00"
    html = client.get(reverse("programme:invoice_detail", args=[invoice.pk])).content.decode()
    assert "Chorus Pro number" in html
    assert "CH-88" in html
    assert "80,000.00" in html


def test_record_payment(world, officer, spending):
    client = en_client(world, officer)
    invoice = invoice_of("PL-2023-88")
    url = reverse("programme:invoice_pay", args=[invoice.pk])
    response = client.post(url, {"payment_date": "2023-10-01"}, follow=True)
    assert "The payment date is before the invoice date." in response.content.decode()
    assert Invoice.objects.get(pk=invoice.pk).payment_date is None
    response = client.post(url, {"payment_date": "2023-11-02", "mandate_number": "M-9"})
    assert response.status_code == 302
    invoice.refresh_from_db()
    assert (invoice.payment_date, invoice.mandate_number) == (dt.date(2023, 11, 2), "M-9")
    event = AuditEvent.objects.get(action="programme.invoice_paid", target_id=str(invoice.pk))
    assert event.data["changes"] == {
        "payment_date": ["", "2023-11-02"],
        "mandate_number": ["", "M-9"],
    }


def test_an_invoice_of_a_submitted_claim_refuses_every_change(world, officer, spending):
    invoice = invoice_of("FO-21-118")
    Invoice.objects.filter(pk=invoice.pk).update(claim=submitted_claim(spending))
    client = en_client(world, officer)
    before = _rows()
    edit = reverse("programme:invoice_edit", args=[invoice.pk])
    response = client.get(edit, follow=True)
    assert "is in submitted claim 1: it can no longer change" in response.content.decode()
    response = client.post(edit, _form("BC-2021-0412", number="FO-21-118-B"), follow=True)
    assert "can no longer change" in response.content.decode()
    pay = reverse("programme:invoice_pay", args=[invoice.pk])
    response = client.post(pay, {"payment_date": "2022-02-01"}, follow=True)
    assert "can no longer change" in response.content.decode()
    response = client.post(reverse("programme:invoice_delete", args=[invoice.pk]))
    assert response.status_code == 400
    assert "remove it from claim 1 first" in response.content.decode()
    assert _rows() == before
    invoice.refresh_from_db()
    assert (invoice.number, invoice.payment_date) == ("FO-21-118", dt.date(2022, 1, 20))
    detail = client.get(reverse("programme:invoice_detail", args=[invoice.pk])).content.decode()
    assert reverse("programme:invoice_edit", args=[invoice.pk]) not in detail
    assert reverse("programme:invoice_pay", args=[invoice.pk]) not in detail
    with pytest.raises(ProgrammeError, match="can no longer change"):
        services_invoices.update_invoice(
            actor=officer,
            invoice=invoice,
            order=invoice.order,
            number="FO-21-118",
            invoice_date=invoice.invoice_date,
            payment_date=invoice.payment_date,
            lines=[LineInput("x", "1", "20", "0.20", "1.20")],
        )


def test_an_invoice_of_a_draft_claim_is_edited_but_not_deleted_nor_unpaid(world, officer, spending):
    invoice = invoice_of("FO-21-118")
    Invoice.objects.filter(pk=invoice.pk).update(claim=draft_claim(spending, 2))
    invoice.refresh_from_db()
    client = en_client(world, officer)
    response = client.post(reverse("programme:invoice_delete", args=[invoice.pk]))
    assert "Invoice FO-21-118 is in claim 2: remove it from claim 2 first." in (
        response.content.decode()
    )
    assert Invoice.objects.filter(pk=invoice.pk).exists()
    with pytest.raises(ProgrammeError, match="must stay paid"):
        services_invoices.update_invoice(
            actor=officer,
            invoice=invoice,
            order=invoice.order,
            number=invoice.number,
            invoice_date=invoice.invoice_date,
            payment_date=None,
            lines=[LineInput("x", "150000", "20", "30000", "180000")],
        )
    services_invoices.update_invoice(
        actor=officer,
        invoice=invoice,
        order=invoice.order,
        number=invoice.number,
        invoice_date=invoice.invoice_date,
        payment_date=invoice.payment_date,
        mandate_number="M-2022-101-bis",
        lines=[LineInput("x", "150000", "20", "30000", "180000")],
    )
    assert Invoice.objects.get(pk=invoice.pk).mandate_number == "M-2022-101-bis"


def test_an_invoice_in_no_claim_is_deleted_and_the_log_keeps_it(world, officer, spending):
    invoice = invoice_of("PL-2023-88")
    client = en_client(world, officer)
    assert client.get(reverse("programme:invoice_delete", args=[invoice.pk])).status_code == 200
    response = client.post(reverse("programme:invoice_delete", args=[invoice.pk]))
    assert response.status_code == 302
    assert not Invoice.objects.filter(pk=invoice.pk).exists()
    deleted = AuditEvent.objects.get(action="programme.invoice_deleted").data["deleted"]
    assert deleted["number"] == "PL-2023-88"
    assert deleted["order"] == "BC-2023-0140"
    assert Decimal(deleted["lines"].split("+")[0].split(":")[1]) == Decimal("88000.00")


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_list_queries_do_not_grow_with_the_rows(world, officer, spending):
    client = en_client(world, officer)
    urls = [
        reverse("programme:invoices", args=[spending.pk]),
        reverse("programme:orders", args=[spending.pk]),
        reverse("programme:contracts", args=[spending.pk]),
    ]
    client.get(urls[0])  # the session's first request records the login
    before = [_queries(client, url) for url in urls]
    order = order_of("BC-2021-0412")
    for n in range(5):
        services_invoices.create_invoice(
            actor=officer,
            order=order,
            number=f"FO-Q-{n}",
            invoice_date=dt.date(2023, 1, 2),
            lines=[LineInput("Fibre", "100", "20", "20", "120")],
        )
    assert [_queries(client, url) for url in urls] == before
    assert before[0] == QUERIES_INVOICE_LIST, before
