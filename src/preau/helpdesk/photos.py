"""Photos of a problem: checked by Pillow from their bytes, re-encoded without metadata.

The checks and the re-encoding are the news app's (``preau.news.images``: verify,
decompression-bomb limits, EXIF orientation then a fresh JPEG with no EXIF, GPS, XMP or
ICC); the helpdesk adds its own, smaller limits. No writes here.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from preau.news.images import Encoded, UploadRefused, reencode_photo

MAX_PHOTOS = 4


def max_photo_bytes() -> int:
    return settings.PREAU_HELPDESK_MAX_PHOTO_BYTES


@dataclass(frozen=True)
class Upload:
    name: str
    data: bytes


@dataclass(frozen=True)
class CleanPhoto:
    name: str
    encoded: Encoded


def clean(uploads: list[Upload]) -> list[CleanPhoto]:
    """Every upload re-encoded, or ``UploadRefused`` naming the first bad one."""
    if len(uploads) > MAX_PHOTOS:
        raise UploadRefused(
            _("At most %(count)d photos per message; you sent %(sent)d.")
            % {"count": MAX_PHOTOS, "sent": len(uploads)}
        )
    cleaned = []
    for upload in uploads:
        name = (upload.name.rsplit("/", 1)[-1] or "photo")[:100]
        if len(upload.data) > max_photo_bytes():
            raise UploadRefused(
                _("“%(name)s” weighs %(size)s MB; the limit is %(limit)s MB.")
                % {
                    "name": name,
                    "size": f"{len(upload.data) / (1024 * 1024):.1f}",
                    "limit": f"{max_photo_bytes() / (1024 * 1024):.0f}",
                }
            )
        stem = name.rsplit(".", 1)[0] or "photo"
        cleaned.append(CleanPhoto(f"{stem}.jpg", reencode_photo(name, upload.data)))
    return cleaned
