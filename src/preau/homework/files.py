"""Attachments of the cahier de textes: checked by their content, kept in Django's storage.

A file is accepted for what its bytes are, never for its name or the browser's
``Content-Type``: a PDF must start with ``%PDF-``; an image must be a PNG, JPEG or WebP
that Pillow can decode within its decompression-bomb limit. Images are re-encoded,
which drops their metadata (a phone photo's EXIF GPS position) and applies their
orientation. Stored names are random; files are streamed by a view that asks the
access kernel, never from a media URL.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from preau.core import uploads

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
MAX_NAME = 150
_IMAGE_TYPES = {"PNG": ("image/png", "png"), "JPEG": ("image/jpeg", "jpg"),
                "WEBP": ("image/webp", "webp")}  # fmt: skip


class FileRefused(ValueError):
    """The upload is not a file the cahier de textes keeps; the message says why."""


@dataclass(frozen=True)
class CheckedFile:
    data: bytes
    content_type: str
    extension: str
    original_name: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def max_bytes() -> int:
    return settings.PREAU_HOMEWORK_MAX_ATTACHMENT_BYTES


def clean_name(name: str) -> str:
    base = os.path.basename(name.replace("\\", "/")).strip().replace("\x00", "")
    base = "".join(ch for ch in base if ch.isprintable())
    if not base:
        return "document"
    stem, ext = os.path.splitext(base)
    return stem[: MAX_NAME - len(ext[:10])] + ext[:10]


def check(data: bytes, name: str) -> CheckedFile:
    """The file as it will be stored, or ``FileRefused`` naming the file and the reason."""
    shown = clean_name(name)
    if not data:
        raise FileRefused(_("« %(name)s » is empty (0 bytes).") % {"name": shown})
    limit = max_bytes()
    if len(data) > limit:
        raise FileRefused(
            _("« %(name)s » weighs %(size).1f MB; the limit is %(max)d MB.")
            % {"name": shown, "size": len(data) / 1048576, "max": limit // 1048576}
        )
    if uploads.is_pdf(data):
        return CheckedFile(data, "application/pdf", "pdf", _with_extension(shown, "pdf"))
    return _image(data, shown)


def _image(data: bytes, shown: str) -> CheckedFile:
    try:
        opened = uploads.open_image(data, formats=tuple(_IMAGE_TYPES))
    except uploads.TooManyPixels:
        raise FileRefused(
            _("« %(name)s » has too many pixels to be a safe image.") % {"name": shown}
        ) from None
    except uploads.UploadProblem:
        raise FileRefused(
            _("« %(name)s » is neither a PDF document nor a PNG, JPEG or WebP image.")
            % {"name": shown}
        ) from None
    image, fmt = opened.image, opened.format
    content_type, extension = _IMAGE_TYPES[fmt]
    if fmt == "JPEG":
        out = uploads.encode(image.convert("RGB"), "JPEG", quality=88, optimize=True)
    elif fmt == "PNG":
        out = uploads.encode(image, "PNG", optimize=True)
    else:
        out = uploads.encode(image, "WEBP", quality=88)
    return CheckedFile(out, content_type, extension, _with_extension(shown, extension))


def _with_extension(name: str, extension: str) -> str:
    stem, ext = os.path.splitext(name)
    if ext.lower().lstrip(".") in {extension, "jpeg" if extension == "jpg" else extension}:
        return name
    return f"{stem or 'document'}.{extension}"[:MAX_NAME]


def store(municipality_id: int, checked: CheckedFile) -> str:
    """Save the file under an unguessable name; returns its name in the storage."""
    name = (
        f"homework/{municipality_id}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{checked.extension}"
    )
    return default_storage.save(name, ContentFile(checked.data))


def read(name: str) -> bytes:
    with default_storage.open(name, "rb") as handle:
        return bytes(handle.read())


def delete_now(names: Iterable[str]) -> None:
    for name in names:
        if name:
            default_storage.delete(name)


def delete_after_commit(names: Iterable[str]) -> None:
    kept = [name for name in names if name]
    if kept:
        transaction.on_commit(lambda: delete_now(kept))
