"""Uploaded photos and PDF attachments: checked, and photos re-encoded (no writes here).

A photo is opened by Pillow from its bytes (never trusting its name or type), refused
if it is not a JPEG, PNG, WebP or GIF, if it is larger than the byte or pixel limits
(decompression bombs), or damaged. It is then turned upright by its EXIF orientation
and re-encoded as a fresh JPEG with no metadata at all: EXIF (GPS position, camera,
date), XMP, ICC and comments are dropped, since only the pixels are copied.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image

from preau.core import uploads

ALLOWED_FORMATS = ("JPEG", "PNG", "WEBP", "GIF")
MAX_SIDE = 2048  # the stored photo: sharp on any phone or laptop screen
THUMB_SIDE = 480  # the timeline's image: a fraction of the bytes on a poor connection
JPEG_QUALITY = 85
THUMB_QUALITY = 80


class UploadRefused(ValueError):
    """A file Préau will not store; the message names it and says why."""


@dataclass(frozen=True)
class Encoded:
    data: bytes
    width: int
    height: int


def max_photo_bytes() -> int:
    return settings.PREAU_NEWS_MAX_PHOTO_BYTES


def max_photo_pixels() -> int:
    """The pixel limit, never above Pillow's own decompression-bomb guard."""
    ours = settings.PREAU_NEWS_MAX_PHOTO_PIXELS
    pillow = Image.MAX_IMAGE_PIXELS
    return min(ours, pillow) if pillow else ours


def max_attachment_bytes() -> int:
    return settings.PREAU_NEWS_MAX_ATTACHMENT_BYTES


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f}"


def _check_size(name: str, size: int, limit: int) -> None:
    if size == 0:
        raise UploadRefused(_("“%(name)s” is empty (0 bytes).") % {"name": name})
    if size > limit:
        raise UploadRefused(
            _("“%(name)s” weighs %(size)s MB; the limit is %(limit)s MB.")
            % {"name": name, "size": f"{size / (1024 * 1024):.1f}", "limit": _megabytes(limit)}
        )


def reencode_photo(name: str, data: bytes) -> Encoded:
    """The photo as a clean JPEG of at most ``MAX_SIDE`` pixels a side."""
    _check_size(name, len(data), max_photo_bytes())
    image = _open(name, data)
    try:
        image = uploads.flatten_to_rgb(image)
        image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS, reducing_gap=3.0)
        return _jpeg(image, JPEG_QUALITY)
    finally:
        image.close()


def thumbnail(data: bytes) -> Encoded:
    """A small JPEG of an already re-encoded photo."""
    with Image.open(io.BytesIO(data), formats=("JPEG",)) as image:
        image.draft("RGB", (THUMB_SIDE, THUMB_SIDE))
        small = uploads.flatten_to_rgb(image)
        small.thumbnail((THUMB_SIDE, THUMB_SIDE), Image.Resampling.LANCZOS, reducing_gap=3.0)
        return _jpeg(small, THUMB_QUALITY)


def _open(name: str, data: bytes) -> Image.Image:
    """The photo decoded and upright; a JPEG decoded at 1/2, 1/4… of its size while the
    short side stays above MAX_SIDE / 2 (a 12-megapixel photo loads ~4x faster)."""
    limit = max_photo_pixels()
    try:
        opened = uploads.open_image(
            data, formats=ALLOWED_FORMATS, max_pixels=limit, draft=(MAX_SIDE // 2, MAX_SIDE // 2)
        )
    except uploads.TooManyPixels as refused:
        raise UploadRefused(
            _(
                "“%(name)s” is too large to open safely (%(pixels)s million pixels; the limit "
                "is %(limit)s million). Send a smaller photo, as a phone's “share” button does."
            )
            % {
                "name": name,
                "pixels": f"{refused.pixels / 1e6:.0f}" if refused.pixels else "?",
                "limit": f"{limit / 1e6:.0f}",
            }
        ) from None
    except uploads.NotAnImage:
        what = _(" (it is a PDF document)") if uploads.is_pdf(data) else ""
        raise UploadRefused(
            _("“%(name)s” is not a photo Préau can read%(what)s. Send a JPEG, PNG or WebP photo.")
            % {"name": name, "what": what}
        ) from None
    except uploads.DamagedImage:
        raise UploadRefused(
            _("“%(name)s” is damaged or incomplete; send it again.") % {"name": name}
        ) from None
    return opened.image


def _jpeg(image: Image.Image, quality: int) -> Encoded:
    data = uploads.encode(image, "JPEG", quality=quality, optimize=True, progressive=True)
    return Encoded(data, image.width, image.height)


def check_pdf(name: str, data: bytes) -> None:
    """Attachments are PDF documents only, recognised by their first bytes."""
    _check_size(name, len(data), max_attachment_bytes())
    if not uploads.is_pdf(data):
        raise UploadRefused(
            _("“%(name)s” is not a PDF document. Attachments must be PDF files.") % {"name": name}
        )
