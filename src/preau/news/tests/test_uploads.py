"""Photos and attachments through the upload form: re-encoded without metadata, and
every bad file refused with a message naming it, writing nothing."""

from __future__ import annotations

import io

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from preau.core.models import AuditEvent
from preau.news.models import Attachment, Photo, Post
from preau.news.tests.conftest import draft, gps_exif, jpeg_bytes, login, pdf_bytes


def _new_post(world, files: dict, title: str = "Photos de la sortie", capture=None):
    client = login(world, world.a.teachers[0])
    url = reverse("news:new", args=["class", world.a.classes[0].pk])
    data = {"title": title, "text": "Voici les photos.", **files}
    if capture is None:
        return client.post(url, data)
    with capture(execute=True):
        return client.post(url, data)


def _stored_files(media_root) -> list:
    return [p for p in media_root.rglob("*") if p.is_file()] if media_root.exists() else []


def test_photo_is_reencoded_upright_without_exif_gps(
    world, media_root, django_capture_on_commit_callbacks
):
    original = jpeg_bytes((300, 200), exif=gps_exif())
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)  # the GPS is there
    response = _new_post(
        world,
        {"photos": [SimpleUploadedFile("IMG_0001.jpg", original)]},
        capture=django_capture_on_commit_callbacks,
    )
    post = Post.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("news:edit", args=[post.pk])
    photo = Photo.objects.get(post=post)
    assert photo.image.name.startswith(f"news/{world.lorient.pk}/")
    with default_storage.open(photo.image.name, "rb") as handle:
        stored = handle.read()
    image = Image.open(io.BytesIO(stored))
    assert image.format == "JPEG"
    assert dict(image.getexif()) == {}  # no EXIF at all: no GPS, no camera, no orientation
    assert "exif" not in image.info
    assert "icc_profile" not in image.info
    assert b"PhoneMaker" not in stored
    assert b"Exif" not in stored
    assert image.size == (200, 300)  # turned upright by its EXIF orientation first
    assert (photo.width, photo.height) == (200, 300)
    assert photo.original_name == "IMG_0001.jpg"
    # The thumbnail was made by the worker (inline in tests), without metadata either.
    assert photo.thumbnail.name
    with default_storage.open(photo.thumbnail.name, "rb") as handle:
        assert dict(Image.open(handle).getexif()) == {}


def test_big_photo_is_scaled_down(world):
    _new_post(world, {"photos": [SimpleUploadedFile("big.png", _png((4000, 1000)))]})
    photo = Photo.objects.get()
    assert (photo.width, photo.height) == (2048, 512)


def _png(size, mode="RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size).save(out, "PNG")
    return out.getvalue()


def _refused(world, media_root, files: dict, *fragments: str) -> None:
    events = AuditEvent.objects.filter(action__startswith="news.").count()
    response = _new_post(world, files)
    assert response.status_code == 200
    html = response.content.decode()
    for fragment in fragments:
        assert fragment in html, fragment
    assert not Post.objects.exists()
    assert not Photo.objects.exists()
    assert not Attachment.objects.exists()
    assert _stored_files(media_root) == []
    assert AuditEvent.objects.filter(action__startswith="news.").count() == events


def test_pdf_renamed_jpg_is_refused(world, media_root):
    _refused(
        world,
        media_root,
        {"photos": [SimpleUploadedFile("photo.jpg", pdf_bytes())]},
        "“photo.jpg” is not a photo Préau can read (it is a PDF document)",
    )


def test_decompression_bomb_is_refused(world, media_root):
    bomb = _png((8000, 8000), mode="1")  # 64 million pixels in a few kilobytes
    assert len(bomb) < 20_000
    _refused(
        world,
        media_root,
        {"photos": [SimpleUploadedFile("bomb.png", bomb)]},
        "“bomb.png” is too large to open safely (64 million pixels; the limit is 50 million)",
    )


def test_oversized_photo_is_refused_before_being_read(world, media_root, settings):
    settings.PREAU_NEWS_MAX_PHOTO_BYTES = 1024 * 1024
    noise = Image.effect_noise((900, 900), 100).convert("RGB")
    out = io.BytesIO()
    noise.save(out, "PNG")
    assert len(out.getvalue()) > 1024 * 1024
    _refused(
        world,
        media_root,
        {"photos": [SimpleUploadedFile("huge.png", out.getvalue())]},
        "“huge.png” weighs",
        "the limit is 1 MB",
    )


def test_truncated_and_empty_photos_are_refused(world, media_root):
    _refused(
        world,
        media_root,
        {"photos": [SimpleUploadedFile("cut.jpg", jpeg_bytes()[:300])]},
        "“cut.jpg” is damaged or incomplete",
    )
    _refused(
        world,
        media_root,
        {"photos": [SimpleUploadedFile("zero.jpg", b"")]},
        "“zero.jpg” is empty (0 bytes)",
    )


def test_one_bad_file_refuses_the_whole_upload(world, media_root):
    _refused(
        world,
        media_root,
        {
            "photos": [
                SimpleUploadedFile("ok.jpg", jpeg_bytes()),
                SimpleUploadedFile("fake.jpg", b"GIF89a-not-really"),
            ]
        },
        "“fake.jpg”",
    )


def test_pdf_attachment_is_kept_as_is_and_served_as_download(world):
    _new_post(world, {"attachments": [SimpleUploadedFile("Sortie musée.pdf", pdf_bytes())]})
    attachment = Attachment.objects.get()
    assert attachment.filename == "Sortie musée.pdf"
    assert attachment.size == len(pdf_bytes())
    response = login(world, world.a.teachers[0]).get(
        reverse("news:attachment", args=[attachment.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == pdf_bytes()


def test_attachment_must_be_a_real_pdf_and_not_empty(world, media_root, settings):
    _refused(
        world,
        media_root,
        {"attachments": [SimpleUploadedFile("menu.pdf", jpeg_bytes())]},
        "“menu.pdf” is not a PDF document. Attachments must be PDF files.",
    )
    _refused(
        world,
        media_root,
        {"attachments": [SimpleUploadedFile("empty.pdf", b"")]},
        "“empty.pdf” is empty (0 bytes).",
    )
    settings.PREAU_NEWS_MAX_ATTACHMENT_BYTES = 1024
    _refused(
        world,
        media_root,
        {"attachments": [SimpleUploadedFile("long.pdf", pdf_bytes("x" * 3000))]},
        "“long.pdf” weighs",
    )


def test_adding_photos_to_a_draft_and_removing_them_deletes_the_files(
    world, media_root, django_capture_on_commit_callbacks
):
    post = draft(world)
    client = login(world, world.a.teachers[0])
    files = [SimpleUploadedFile("a.jpg", jpeg_bytes()), SimpleUploadedFile("b.webp", _webp())]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("news:add_media", args=[post.pk]), {"photos": files})
    assert response.status_code == 302
    photos = list(Photo.objects.filter(post=post))
    assert len(photos) == 2
    assert len(_stored_files(media_root)) == 4  # two photos, two thumbnails
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("news:remove_photo", args=[photos[0].pk]))
    assert len(_stored_files(media_root)) == 2
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("news:delete", args=[post.pk]))
    assert _stored_files(media_root) == []
    assert not Post.objects.exists()
    assert AuditEvent.objects.filter(action="news.post_deleted", data__title=post.title).exists()


def test_nothing_to_add_is_a_clear_error(world):
    post = draft(world)
    response = login(world, world.a.teachers[0]).post(reverse("news:add_media", args=[post.pk]))
    assert "Choose at least one photo or PDF file to add." in response.content.decode()


def _webp() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (10, 200, 10)).save(out, "WEBP")
    return out.getvalue()
