"""A package file's parts, stored content-addressed by their sha512.

FusionInventory agents download a file part by part, each from
``<mirror>/<h[0]>/<h[0:2]>/<h>`` where ``h`` is the part's sha512, check the part's
sha512 and join the parts. The storage keeps the same layout under
``fleet/deploy/parts/`` in the default storage, so identical parts (the same installer
in two packages) are stored once. Parts are 1 MiB, like GLPI's plugin.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import IO

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

PART_SIZE = 1024 * 1024
_SHA512 = re.compile(r"^[0-9a-f]{128}$")


@dataclass
class StoredFile:
    sha512: str
    size: int
    parts: list[str] = field(default_factory=list)


def is_sha512(value: str) -> bool:
    return bool(_SHA512.match(value))


def part_name(sha512: str) -> str:
    if not is_sha512(sha512):
        raise ValueError("not a sha512")
    return f"fleet/deploy/parts/{sha512[0]}/{sha512[:2]}/{sha512}"


def store(stream: IO[bytes], part_size: int = PART_SIZE) -> StoredFile:
    """Split ``stream`` into parts, store each one not stored yet, return the digests."""
    whole = hashlib.sha512()
    stored = StoredFile(sha512="", size=0)
    while chunk := stream.read(part_size):
        whole.update(chunk)
        stored.size += len(chunk)
        digest = hashlib.sha512(chunk).hexdigest()
        stored.parts.append(digest)
        name = part_name(digest)
        if not default_storage.exists(name):
            saved = default_storage.save(name, ContentFile(chunk))
            if saved != name:  # a racing writer stored the same part first
                default_storage.delete(saved)
    stored.sha512 = whole.hexdigest()
    return stored


def read_part(sha512: str) -> bytes | None:
    """The part's bytes, or None when it is unknown or damaged (its digest differs)."""
    if not is_sha512(sha512):
        return None
    name = part_name(sha512)
    if not default_storage.exists(name):
        return None
    with default_storage.open(name, "rb") as handle:
        data: bytes = handle.read()
    return data if hashlib.sha512(data).hexdigest() == sha512 else None


def erase_parts(parts: list[str], still_used: set[str]) -> None:
    """Erase the parts no other package file uses (``still_used``)."""
    for digest in set(parts) - still_used:
        name = part_name(digest)
        if default_storage.exists(name):
            default_storage.delete(name)
