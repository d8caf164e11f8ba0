"""Evidence files: what ``attach`` refuses, what it keeps, and who may download them."""

from __future__ import annotations

import hashlib
import io
import re

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from PIL import Image

from preau.core.models import AuditEvent
from preau.programme import files, services
from preau.programme.models import Attachment, Claim, Invoice, SiteMilestone
from preau.programme.seed import load_demo_spending, load_seed_programme
from preau.programme.services import ProgrammeError

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with translation.override("en"):
        yield


@pytest.fixture
def spending(seed):
    load_demo_spending(seed)
    return seed


@pytest.fixture
def invoice(spending) -> Invoice:
    return Invoice.objects.get(number="FO-21-118")


def _upload(content: bytes, name: str = "scan.pdf", content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def _jpeg_with_exif() -> bytes:
    image = Image.new("RGB", (40, 30), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "SpyCam"  # Make
    exif[0x0131] = "Secret software"  # Software
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


def _attach(officer, programme, kind="invoice_scan", content=PDF, name="scan.pdf", **target):
    return files.attach(
        actor=officer, programme=programme, kind=kind, upload=_upload(content, name), **target
    )


def test_a_pdf_scan_is_stored_hashed_and_audited(officer, spending, invoice):
    attachment = _attach(officer, spending, invoice=invoice, name="../../etc/Facture 118.pdf")
    assert attachment.original_name == "Facture 118.pdf"
    assert attachment.content_type == "application/pdf"
    assert attachment.size == len(PDF)
    assert attachment.sha256 == hashlib.sha256(PDF).hexdigest()
    assert attachment.uploaded_by == officer
    assert attachment.file.name.startswith("programme/")
    assert attachment.file.name.endswith(".pdf")
    assert "Facture" not in attachment.file.name  # stored under a random name
    with default_storage.open(attachment.file.name, "rb") as stored:
        assert stored.read() == PDF
    event = AuditEvent.objects.get(action="programme.attachment_added")
    assert event.target_id == str(attachment.pk)
    assert event.data["parent"] == f"programme.invoice:{invoice.pk}"
    assert event.data["sha256"] == attachment.sha256


@pytest.mark.parametrize(
    ("kind", "content", "name", "message"),
    [
        ("invoice_scan", b"", "empty.pdf", "empty (0 bytes)"),
        ("invoice_scan", b"Hello, I am a scan", "scan.pdf", "a PDF is required"),
        ("acceptance", _jpeg_with_exif(), "pv.jpg", "a PDF is required"),
        ("photo", b"\x89PNG\r\n\x1a\nnot really a png", "photo.png", "not an image"),
        ("photo", b"GIF89a" + b"\x00" * 40, "photo.gif", "not an image"),
        ("publicity", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "poster.svg", "not an image"),
        ("nonsense", PDF, "scan.pdf", "Unknown kind"),
    ],
)
def test_bad_files_are_refused_and_nothing_is_written(
    officer, spending, invoice, tmp_path, kind, content, name, message
):
    with pytest.raises(ProgrammeError, match=re.escape(message)):
        _attach(officer, spending, kind=kind, content=content, name=name, invoice=invoice)
    assert Attachment.objects.count() == 0
    assert not AuditEvent.objects.filter(action="programme.attachment_added").exists()
    assert not any(p.is_file() for p in tmp_path.rglob("*"))


def test_a_gif_that_opens_is_refused_as_neither_jpeg_nor_png(officer, spending, invoice):
    out = io.BytesIO()
    Image.new("P", (4, 4)).save(out, format="GIF")
    with pytest.raises(ProgrammeError, match="Only JPEG and PNG"):
        _attach(officer, spending, kind="photo", content=out.getvalue(), invoice=invoice)


def test_a_file_over_20_mb_is_refused(officer, spending, invoice):
    big = PDF + b"0" * (files.MAX_BYTES + 1 - len(PDF))
    with pytest.raises(ProgrammeError, match="larger than 20 MB"):
        _attach(officer, spending, content=big, invoice=invoice)
    assert Attachment.objects.count() == 0
    exactly = PDF + b"0" * (files.MAX_BYTES - len(PDF))
    assert _attach(officer, spending, content=exactly, invoice=invoice).size == files.MAX_BYTES


def test_a_photo_is_reencoded_without_its_metadata(officer, spending, invoice):
    original = _jpeg_with_exif()
    assert b"SpyCam" in original
    attachment = _attach(
        officer, spending, kind="photo", content=original, name="chantier.jpg", invoice=invoice
    )
    stored = attachment.file.read()
    assert attachment.content_type == "image/jpeg"
    assert b"SpyCam" not in stored
    assert b"Secret software" not in stored
    assert not Image.open(io.BytesIO(stored)).getexif()
    assert attachment.sha256 == hashlib.sha256(stored).hexdigest()


def test_a_png_photo_and_a_pdf_publicity_proof_are_accepted(officer, spending, invoice):
    out = io.BytesIO()
    Image.new("RGBA", (8, 8)).save(out, format="PNG")
    png = _attach(officer, spending, kind="publicity", content=out.getvalue(), invoice=invoice)
    assert png.content_type == "image/png"
    pdf = _attach(officer, spending, kind="publicity", invoice=invoice)
    assert pdf.content_type == "application/pdf"


def test_exactly_one_record_of_the_same_programme(officer, world, spending, invoice):
    with pytest.raises(ProgrammeError, match="exactly one"):
        _attach(officer, spending)
    with pytest.raises(ProgrammeError, match="exactly one"):
        _attach(officer, spending, invoice=invoice, order=invoice.order)
    other = load_seed_programme(world.vannes)
    with pytest.raises(ProgrammeError, match="does not belong"):
        _attach(officer, other, invoice=invoice)


def test_trash_hides_the_file_and_is_audited(officer, spending, invoice):
    attachment = _attach(officer, spending, invoice=invoice)
    files.trash(officer, attachment)
    attachment.refresh_from_db()
    assert attachment.trashed_at is not None
    assert AuditEvent.objects.filter(action="programme.attachment_trashed").count() == 1
    with pytest.raises(ProgrammeError, match="already in the trash"):
        files.trash(officer, attachment)


def test_the_scan_of_a_submitted_claim_cannot_be_trashed(officer, spending, invoice):
    attachment = _attach(officer, spending, invoice=invoice)
    claim = Claim.objects.create(
        programme=spending,
        number=1,
        status=Claim.Status.SUBMITTED,
        submitted_at="2024-01-10T10:00:00Z",
        total_ht=1,
        total_ttc=1,
        requested=1,
    )
    Invoice.objects.filter(pk=invoice.pk).update(claim=claim)
    with pytest.raises(ProgrammeError, match="submitted claim 1"):
        files.trash(officer, attachment)
    assert Attachment.objects.get(pk=attachment.pk).trashed_at is None


# ---- Download ---------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["officer", "city_admin"])
def test_download_headers(world, officer, spending, invoice, who):
    attachment = _attach(officer, spending, invoice=invoice, name="Facture n°118 été.pdf")
    user = officer if who == "officer" else world.city_admin
    response = world.client_for(user).get(reverse("programme:attachment", args=[attachment.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=utf-8''Facture%20n%C2%B0118%20%C3%A9t%C3%A9.pdf" in disposition
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert "sandbox" in response["Content-Security-Policy"]


@pytest.mark.parametrize("who", ["vannes_officer", "technician", "director", "teacher", "parent"])
def test_someone_elses_attachment_is_404(
    world, officer, technician, vannes_officer, spending, invoice, who
):
    attachment = _attach(officer, spending, invoice=invoice)
    user = {
        "vannes_officer": vannes_officer,
        "technician": technician,
        "director": world.a.director,
        "teacher": world.a.teachers[0],
        "parent": world.parent,
    }[who]
    url = reverse("programme:attachment", args=[attachment.pk])
    assert world.client_for(user).get(url).status_code == 404


def test_trashed_or_missing_attachment_is_404(world, officer, spending, invoice):
    attachment = _attach(officer, spending, invoice=invoice)
    client = world.client_for(officer)
    files.trash(officer, attachment)
    assert client.get(reverse("programme:attachment", args=[attachment.pk])).status_code == 404
    assert client.get(reverse("programme:attachment", args=[999999])).status_code == 404


def test_a_director_downloads_the_evidence_of_their_sites_milestones_only(world, officer, spending):
    services.plan_site_milestones(spending, officer)
    own = SiteMilestone.objects.get(programme=spending, site=world.a.school.site, kind="wifi")
    other = SiteMilestone.objects.get(programme=spending, site=world.b.school.site, kind="wifi")
    mine = _attach(officer, spending, kind="photo", content=_jpeg_with_exif(), milestone=own)
    theirs = _attach(officer, spending, kind="photo", content=_jpeg_with_exif(), milestone=other)
    client = world.client_for(world.a.director)
    assert client.get(reverse("programme:attachment", args=[mine.pk])).status_code == 200
    assert client.get(reverse("programme:attachment", args=[theirs.pk])).status_code == 404
