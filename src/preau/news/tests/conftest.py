"""Helpers of the news tests: files under a temporary MEDIA_ROOT, real images and
PDFs made here, and posts written through the services."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from preau.directory.tests.test_browse import login as _login
from preau.news import media, services
from preau.news.audience import target_for
from preau.news.models import Audience, Photo, Post


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    """Every stored file goes to a temporary directory, never to var/."""
    root = tmp_path / "media"
    settings.MEDIA_ROOT = str(root)
    return root


def login(world: Any, user: Any) -> Any:
    return _login(world, user)


def jpeg_bytes(
    size: tuple[int, int] = (320, 240),
    color: tuple[int, int, int] = (30, 120, 200),
    exif: Image.Exif | None = None,
) -> bytes:
    out = io.BytesIO()
    image = Image.new("RGB", size, color)
    if exif is not None:
        image.save(out, "JPEG", exif=exif)
    else:
        image.save(out, "JPEG")
    return out.getvalue()


def gps_exif() -> Image.Exif:
    """EXIF as a phone writes it: a GPS position (Lorient's town hall), a camera, and
    an orientation saying "turn 90° to view"."""
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise
    exif[0x010F] = "PhoneMaker"
    exif[0x0110] = "PhoneModel X"
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (47.0, 44.0, 52.0)
    gps[3] = "W"
    gps[4] = (3.0, 21.0, 58.0)
    return exif


def pdf_bytes(text: str = "Sortie") -> bytes:
    return b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%" + text.encode() + b"\n%%EOF\n"


def upload(name: str, data: bytes) -> media.Upload:
    return media.Upload(name, data)


def draft(
    world: Any,
    author: Any = None,
    kind: str = Audience.CLASS,
    pk: int | None = None,
    title: str = "Sortie au musée",
    text: str = "Bonjour les familles.",
    photos: int = 0,
    **kwargs: Any,
) -> Post:
    """A draft by the teacher of class A0 unless told otherwise."""
    author = author or world.a.teachers[0]
    if pk is None:
        defaults: dict[str, int] = {
            Audience.CLASS: world.a.classes[0].pk,
            Audience.SCHOOL: world.a.school.pk,
            Audience.MUNICIPALITY: world.lorient.pk,
        }
        pk = defaults[kind]
    target = target_for(author, kind, pk)
    assert target is not None, (author, kind, pk)
    return services.create_post(
        actor=author,
        target=target,
        title=title,
        text=text,
        photos=[upload(f"photo{i}.jpg", jpeg_bytes()) for i in range(photos)],
        **kwargs,
    )


def clear_photos(post: Post) -> None:
    """Say that nobody can be recognised in any of the post's photos."""
    Photo.objects.filter(post=post).update(no_pupils=True)


def published(
    world: Any, author: Any = None, when: dt.datetime | None = None, **kwargs: Any
) -> Post:
    post = draft(world, author, **kwargs)
    clear_photos(post)
    return services.publish_post(actor=post.author, post=post, publish_at=when)


@pytest.fixture(autouse=True)
def _english_messages(settings):
    """These tests read the English source messages: English is the default language
    for their requests (no Accept-Language) and for service calls outside a request."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
