"""Thumbnails of stored photos, made by the worker (idempotent)."""

from __future__ import annotations

from collections.abc import Iterable

from preau.news import images, storage
from preau.news.models import Photo


def make(photo_ids: Iterable[int]) -> int:
    made = 0
    for photo in Photo.objects.filter(pk__in=list(photo_ids), thumbnail="").select_related("post"):
        small = images.thumbnail(storage.read(photo.image.name))
        name = storage.store(photo.post.municipality_id, "thumbs", small.data, "jpg")
        # Claim the empty slot: a second worker (or a retry) keeps the first thumbnail.
        if Photo.objects.filter(pk=photo.pk, thumbnail="").update(thumbnail=name):
            made += 1
        else:
            storage.delete_now([name])
    return made
