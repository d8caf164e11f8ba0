"""Attachments: judged by their bytes, photos re-encoded without metadata, served only to
those who may read the message, and nothing stored when a message is refused."""

import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from preau.messaging import files
from preau.messaging.errors import MessagingError
from preau.messaging.models import Attachment, Conversation

from .conftest import PDF_BYTES, client_for, jpeg_bytes


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def upload(name: str, data: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def send(client, to, *uploads, body="Voici le document."):
    return client.post(
        reverse("messaging:compose"),
        {"to": [to.pk], "subject": "Pièces", "body": body, "attachments": list(uploads)},
    )


def test_photo_is_reencoded_without_exif_and_gets_a_thumbnail(
    world, people, django_capture_on_commit_callbacks
):
    guardian = client_for(world, people["guardian_a00"])
    with django_capture_on_commit_callbacks(execute=True):
        response = send(
            guardian,
            people["teacher_a0"],
            upload("IMG_0042.JPG", jpeg_bytes((3000, 2000), exif_gps=True), "image/jpeg"),
            upload("certificat.pdf", PDF_BYTES, "application/pdf"),
        )
    assert response.status_code == 302
    photo, pdf = Attachment.objects.order_by("pk")
    stored = default_storage.open(photo.file.name).read()
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "JPEG"
        assert max(image.size) == files.MAX_SIDE
        assert not image.getexif()  # no GPS, no camera
    assert photo.original_name == "IMG_0042.jpg"
    assert photo.content_type == "image/jpeg"
    assert photo.thumbnail  # made by the worker (inline in tests)
    assert pdf.content_type == "application/pdf"
    assert pdf.size == len(PDF_BYTES)

    teacher = client_for(world, people["teacher_a0"])
    page = teacher.get(reverse("messaging:conversation", args=[photo.message.conversation_id]))
    assert reverse("messaging:thumbnail", args=[photo.pk]) in page.content.decode()
    got = teacher.get(reverse("messaging:attachment", args=[pdf.pk]))
    assert got.status_code == 200
    assert b"".join(got.streaming_content) == PDF_BYTES
    assert got["Content-Disposition"].startswith("attachment;")
    assert "sandbox" in got["Content-Security-Policy"]
    small = teacher.get(reverse("messaging:thumbnail", args=[photo.pk]))
    assert small.status_code == 200
    assert small["Content-Type"] == "image/jpeg"


def test_someone_elses_attachment_is_404(world, people):
    send(
        client_for(world, people["guardian_a00"]), people["teacher_a0"], upload("a.pdf", PDF_BYTES)
    )
    pdf = Attachment.objects.get()
    for name in ("guardian_a01", "teacher_a1", "director_a", "city_admin", "outsider"):
        client = client_for(world, people[name])
        assert client.get(reverse("messaging:attachment", args=[pdf.pk])).status_code == 404
        assert client.get(reverse("messaging:thumbnail", args=[pdf.pk])).status_code == 404


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("vide.pdf", b"", "is empty (0 bytes)"),
        ("page.jpg", b"<html><script>alert(1)</script></html>", "neither a PDF"),
        ("virus.exe", b"MZ\x90\x00" + b"\x00" * 100, "neither a PDF"),
        ("cassee.jpg", jpeg_bytes()[:200], "damaged"),
    ],
)
def test_bad_files_are_refused_and_nothing_is_stored(world, people, media, name, data, message):
    response = send(
        client_for(world, people["guardian_a00"]), people["teacher_a0"], upload(name, data)
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Conversation.objects.exists()
    assert not any(p.is_file() for p in media.rglob("*"))


def test_oversized_and_too_many_files_are_refused(world, people, monkeypatch):
    monkeypatch.setattr(files, "MAX_FILE_BYTES", 1000)
    big = send(
        client_for(world, people["guardian_a00"]),
        people["teacher_a0"],
        upload("gros.pdf", PDF_BYTES + b"x" * 2000),
    )
    assert big.status_code == 400
    assert "weighs more than" in big.content.decode()
    many = send(
        client_for(world, people["guardian_a00"]),
        people["teacher_a0"],
        *[upload(f"{i}.pdf", PDF_BYTES) for i in range(files.MAX_FILES + 1)],
    )
    assert many.status_code == 400
    assert "at most 5 attachments" in many.content.decode()
    assert not Conversation.objects.exists()


def test_decompression_bomb_is_refused_before_decoding():
    out = io.BytesIO()
    Image.new("1", (9000, 9000)).save(out, "PNG")  # 81 Mpx, a few kB
    with pytest.raises(MessagingError, match="too large an image"):
        files.check_file("bombe.png", out.getvalue())


def test_pdf_renamed_jpg_is_kept_as_what_it_is():
    checked = files.check_file("photo.jpg", PDF_BYTES)
    assert checked.content_type == "application/pdf"
    assert checked.name == "photo.pdf"


def test_png_keeps_transparency_and_names_are_cleaned():
    out = io.BytesIO()
    Image.new("RGBA", (10, 10), (0, 0, 0, 0)).save(out, "PNG")
    checked = files.check_file("../../etc/\x00capture écran.png", out.getvalue())
    assert checked.content_type == "image/png"
    assert checked.name == "capture écran.png"


def test_refused_message_stores_no_file(world, people, media):
    response = send(
        client_for(world, people["guardian_a00"]),
        people["guardian_a01"],
        upload("a.pdf", PDF_BYTES),
    )
    assert response.status_code == 400
    assert not any(p.is_file() for p in media.rglob("*"))


def test_failed_write_removes_stored_files(world, people, media, monkeypatch):
    from preau.messaging import services

    def boom(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(services.audit, "record", boom)
    with pytest.raises(RuntimeError):
        services.start_conversation(
            people["guardian_a00"],
            recipient_ids=[people["teacher_a0"].pk],
            subject="x",
            body="y",
            files=[files.check_file("a.pdf", PDF_BYTES)],
        )
    assert not Conversation.objects.exists()
    assert not any(p.is_file() for p in media.rglob("*"))
