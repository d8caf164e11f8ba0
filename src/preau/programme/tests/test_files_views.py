"""Adding a document on a record's page, and putting it in the trash: who may, what is
refused (nothing written), where it shows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from preau.core.models import AuditEvent
from preau.programme import services_chain, services_contracts
from preau.programme.models import Attachment
from preau.programme.tests.edit_helpers import (
    OUTSIDERS,
    en_client,
    invoice_of,
    order_of,
    persona,
    submitted_claim,
    supplier,
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


PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _post(client, target, pk, kind, content=PDF, name="scan.pdf", title=""):
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    url = reverse("programme:attach", args=[target, pk])
    return client.post(url, {"kind": kind, "file": upload, "title": title}, follow=True)


@pytest.fixture
def records(spending, officer):
    order = order_of("BC-2021-0455")
    contract = services_contracts.create_contract(
        actor=officer,
        programme=spending,
        supplier=supplier("Armor Réseaux"),
        reference="M-1",
        title="Switches",
        notified_on=dt.date(2021, 9, 1),
    )
    delivery = services_chain.create_delivery(
        actor=officer, order=order, delivered_on=dt.date(2022, 1, 10)
    )
    return {
        "invoice": (invoice_of("AR-2022-007"), "invoice_scan"),
        "order": (order, "order"),
        "contract": (contract, "contract"),
        "delivery": (delivery, "acceptance"),
    }


@pytest.mark.parametrize("target", ["invoice", "order", "contract", "delivery"])
def test_the_officer_adds_a_document_to_each_record(world, officer, records, target):
    record, kind = records[target]
    client = en_client(world, officer)
    response = _post(client, target, record.pk, kind, title="Pièce signée")
    assert response.status_code == 200
    attachment = Attachment.objects.get()
    assert getattr(attachment, f"{target}_id") == record.pk
    html = response.content.decode()
    assert "Pièce signée added." in html
    assert reverse("programme:attachment", args=[attachment.pk]) in html


def test_a_scan_that_is_not_a_pdf_is_refused_on_the_page(world, officer, records):
    invoice, _kind = records["invoice"]
    response = _post(
        en_client(world, officer), "invoice", invoice.pk, "invoice_scan", content=b"JFIF nope"
    )
    html = response.content.decode()
    assert "File not added: Invoice scan: a PDF is required" in html
    response = _post(en_client(world, officer), "invoice", invoice.pk, "invoice_scan", content=b"")
    assert "The submitted file is empty." in response.content.decode()
    assert not Attachment.objects.exists()
    assert not AuditEvent.objects.filter(action="programme.attachment_added").exists()


def test_a_kind_not_offered_for_the_record_is_refused(world, officer, records):
    contract, _kind = records["contract"]
    response = _post(en_client(world, officer), "contract", contract.pk, "invoice_scan")
    assert "Select a valid choice" in response.content.decode()
    assert not Attachment.objects.exists()


def test_an_unknown_target_is_404(world, officer, records):
    client = en_client(world, officer)
    upload = SimpleUploadedFile("a.pdf", PDF)
    url = reverse("programme:attach", args=["milestone", 1])
    assert client.post(url, {"kind": "photo", "file": upload}).status_code == 404
    assert client.get(reverse("programme:attach", args=["invoice", 1])).status_code == 405


@pytest.mark.parametrize("who", OUTSIDERS)
def test_outsiders_cannot_add_nor_trash(world, officer, technician, vannes_officer, records, who):
    invoice, _kind = records["invoice"]
    _post(en_client(world, officer), "invoice", invoice.pk, "invoice_scan")
    attachment = Attachment.objects.get()
    client = en_client(world, persona(world, who, officer, technician, vannes_officer))
    upload = SimpleUploadedFile("b.pdf", PDF)
    url = reverse("programme:attach", args=["invoice", invoice.pk])
    assert client.post(url, {"kind": "invoice_scan", "file": upload}).status_code == 404
    trash = reverse("programme:attachment_trash", args=[attachment.pk])
    assert client.post(trash).status_code == 404
    assert Attachment.objects.count() == 1
    assert Attachment.objects.get().trashed_at is None


def test_trash_from_the_page_and_the_history_tells_it(world, officer, records):
    invoice, _kind = records["invoice"]
    client = en_client(world, officer)
    _post(client, "invoice", invoice.pk, "invoice_scan", name="Facture AR-2022-007.pdf")
    attachment = Attachment.objects.get()
    response = client.post(reverse("programme:attachment_trash", args=[attachment.pk]), follow=True)
    html = response.content.decode()
    assert "moved to the trash" in html
    assert reverse("programme:attachment", args=[attachment.pk]) not in html
    assert "Document added" in html or "programme.attachment_added" in html
    assert html.count("Facture AR-2022-007.pdf") >= 2  # the two history entries
    assert Attachment.objects.get().trashed_at is not None


def test_the_scan_of_a_submitted_claim_stays(world, officer, spending, records):
    invoice, _kind = records["invoice"]
    client = en_client(world, officer)
    _post(client, "invoice", invoice.pk, "invoice_scan")
    attachment = Attachment.objects.get()
    invoice.claim = submitted_claim(spending)
    invoice.save(update_fields=["claim"])
    response = client.post(reverse("programme:attachment_trash", args=[attachment.pk]), follow=True)
    assert "evidence of submitted claim 1" in response.content.decode()
    assert Attachment.objects.get().trashed_at is None
    # And no new document can be added to the locked invoice.
    page = client.get(reverse("programme:invoice_detail", args=[invoice.pk])).content.decode()
    assert reverse("programme:attach", args=["invoice", invoice.pk]) not in page
    response = _post(client, "invoice", invoice.pk, "invoice_scan")
    assert "its documents can no longer change" in response.content.decode()
    assert Attachment.objects.count() == 1
