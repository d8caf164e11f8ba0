"""Where the news keeps its files: Django's default storage (``MEDIA_ROOT``, under
``var/`` by default; S3-compatible storage at scale), under unguessable names.

Files are never served from a media URL: the views stream them after asking the
access kernel. A file is written before the row that names it; if the transaction then
fails, the file is deleted again, and files of deleted rows go after the commit.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone


def store(municipality_id: int, kind: str, data: bytes, extension: str) -> str:
    """Save ``data`` and return its name in the storage."""
    year = timezone.now().year
    name = f"news/{municipality_id}/{year}/{kind}/{uuid.uuid4().hex}.{extension}"
    return default_storage.save(name, ContentFile(data))


def read(name: str) -> bytes:
    with default_storage.open(name, "rb") as handle:
        return handle.read()


def delete_now(names: Iterable[str]) -> None:
    """Delete files no row names any more (the demo's photos share a few drawings)."""
    for name in names:
        if name and not _still_used(name):
            default_storage.delete(name)


def _still_used(name: str) -> bool:
    from preau.news.models import Attachment, Photo

    return (
        Photo.objects.filter(Q(image=name) | Q(thumbnail=name)).exists()
        or Attachment.objects.filter(file=name).exists()
    )


def delete_after_commit(names: Iterable[str]) -> None:
    kept = [name for name in names if name]
    if kept:
        transaction.on_commit(lambda: delete_now(kept))
