"""Attachments: what a file really is, checked from its bytes (no writes here).

A message accepts PDF documents and photos. A "PDF" must begin with ``%PDF-``; an image
must open in Pillow as a JPEG, PNG, WebP or GIF within the pixel limit (a decompression
bomb is refused before it is decoded), and is then re-encoded from its pixels only —
turned upright, at most ``MAX_SIDE`` a side, with no EXIF (GPS position, camera),
XMP, ICC or comment left. An empty file, a file over ``MAX_FILE_BYTES`` or anything else
(a PDF renamed ``.jpg`` included) is refused with a message naming the file.
"""

from __future__ import annotations

import hashlib
import io
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePath

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image

from preau.core import uploads
from preau.messaging.errors import MessagingError

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_FILES = 5
MAX_PIXELS = 40_000_000
MAX_SIDE = 2560  # sharp on any screen; a phone's 12 MP photo shrinks to a fraction
THUMB_SIDE = 480
PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
EXTENSIONS = {PDF: ".pdf", JPEG: ".jpg", PNG: ".png"}
_IMAGE_FORMATS = ("JPEG", "PNG", "WEBP", "GIF")


@dataclass(frozen=True)
class CheckedFile:
    name: str
    data: bytes
    content_type: str
    width: int | None = None
    height: int | None = None

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.content_type]


def clean_name(name: str) -> str:
    """The file's own name, without folders or control characters, at most 150 long."""
    base = PurePath(name.replace("\\", "/")).name
    base = "".join(c for c in base if unicodedata.category(c)[0] != "C").strip(" .")
    if len(base) > 150:
        stem, dot, ext = base.rpartition(".")
        base = (stem[: 150 - len(ext) - 1] + dot + ext) if dot and len(ext) <= 8 else base[:150]
    return base or "attachment"


def read_upload(upload: UploadedFile) -> tuple[str, bytes]:
    """The upload's name and bytes; refused when too big (reading no further)."""
    name = clean_name(upload.name or "")
    try:
        return name, uploads.read_capped(upload, MAX_FILE_BYTES)
    except uploads.TooBig:
        raise MessagingError(_too_big(name)) from None


def _too_big(name: str) -> str:
    return _("“%(name)s” weighs more than %(limit)s MB (the limit for an attachment).") % {
        "name": name,
        "limit": MAX_FILE_BYTES // (1024 * 1024),
    }


def check_files(files: Iterable[tuple[str, bytes]]) -> list[CheckedFile]:
    checked = [check_file(name, data) for name, data in files]
    if len(checked) > MAX_FILES:
        raise MessagingError(
            _("A message takes at most %(count)d attachments.") % {"count": MAX_FILES}
        )
    return checked


def check_file(name: str, data: bytes) -> CheckedFile:
    name = clean_name(name)
    if not data:
        raise MessagingError(_("“%(name)s” is empty (0 bytes).") % {"name": name})
    if len(data) > MAX_FILE_BYTES:
        raise MessagingError(_too_big(name))
    if uploads.is_pdf(data):
        return CheckedFile(_with_extension(name, ".pdf"), data, PDF)
    return _reencoded(name, data)


def _with_extension(name: str, extension: str) -> str:
    stem = PurePath(name).stem if PurePath(name).suffix else name
    return (stem or "attachment") + extension


def _reencoded(name: str, data: bytes) -> CheckedFile:
    try:
        opened = uploads.open_image(
            data, formats=_IMAGE_FORMATS, max_pixels=MAX_PIXELS, draft=(MAX_SIDE, MAX_SIDE)
        )
    except uploads.TooManyPixels:
        raise MessagingError(
            _("“%(name)s” is too large an image to open safely (over %(limit)s million pixels).")
            % {"name": name, "limit": MAX_PIXELS // 1_000_000}
        ) from None
    except uploads.NotAnImage:
        raise MessagingError(
            _(
                "“%(name)s” is neither a PDF document nor a photo (JPEG, PNG, WebP or GIF); "
                "it was not sent."
            )
            % {"name": name}
        ) from None
    except uploads.DamagedImage:
        raise MessagingError(
            _("“%(name)s” is damaged or incomplete; send it again.") % {"name": name}
        ) from None
    image = opened.image
    image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    if opened.format in ("JPEG", "WEBP"):  # a photo
        data = uploads.encode(
            image.convert("RGB"), "JPEG", quality=85, optimize=True, progressive=True
        )
        content_type = JPEG
    else:
        mode = "RGBA" if "A" in image.mode or "transparency" in image.info else "RGB"
        data = uploads.encode(image.convert(mode), "PNG", optimize=True)
        content_type = PNG
    return CheckedFile(
        _with_extension(name, EXTENSIONS[content_type]),
        data,
        content_type,
        image.width,
        image.height,
    )


def thumbnail(data: bytes) -> bytes:
    """A small JPEG of a stored (already re-encoded) image, for the conversation page."""
    with Image.open(io.BytesIO(data), formats=("JPEG", "PNG")) as image:
        image.draft("RGB", (THUMB_SIDE, THUMB_SIDE))
        small = uploads.flatten_to_rgb(image)
        small.thumbnail((THUMB_SIDE, THUMB_SIDE), Image.Resampling.LANCZOS)
        return uploads.encode(small, "JPEG", quality=80, optimize=True)
