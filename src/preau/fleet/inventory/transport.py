"""The transport: body size, compression sniffed from the bytes, capped decompression.

Agents do not agree on Content-Type, so the first bytes decide: ``78 ..`` zlib,
``1f 8b`` gzip, ``<`` plain XML, ``{`` plain JSON, else raw deflate is tried.
Decompression stops past ``MAX_DECOMPRESSED`` bytes, so a small bomb cannot fill memory.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

from django.http import HttpRequest

# A 1,000-package inventory is about 400 KB of XML; Windows machines with every hotfix
# reach a few MB. Anything beyond this is refused rather than expanded.
MAX_DECOMPRESSED = 32 * 1024 * 1024
_CHUNK = 64 * 1024


class TransportError(Exception):
    """The body cannot be read: too large, or not a compression we can undo."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass(frozen=True)
class Decoded:
    text: bytes  # the XML or JSON document
    encoding: str  # how it came: zlib, gzip, deflate or plain

    @property
    def is_json(self) -> bool:
        return self.text.lstrip()[:1] == b"{"


def read_body(request: HttpRequest, limit: int) -> bytes:
    """The request body, refused before reading when it announces more than ``limit``."""
    try:
        announced = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        raise TransportError("invalid Content-Length") from None
    if announced > limit:
        raise TransportError(f"payload of {announced} bytes exceeds {limit}", status=413)
    chunks: list[bytes] = []
    size = 0
    while True:
        chunk = request.read(_CHUNK)
        if not chunk:
            break
        size += len(chunk)
        if size > limit:
            raise TransportError(f"payload exceeds {limit} bytes", status=413)
        chunks.append(chunk)
    if not size:
        raise TransportError("empty payload")
    return b"".join(chunks)


def decode(body: bytes) -> Decoded:
    head = body[:2]
    if head[:1] == b"\x78":
        return Decoded(inflate(body, zlib.MAX_WBITS), "zlib")
    if head == b"\x1f\x8b":
        return Decoded(inflate(body, 16 + zlib.MAX_WBITS), "gzip")
    if body.lstrip()[:1] in (b"<", b"{"):
        if len(body) > MAX_DECOMPRESSED:
            raise TransportError("document too large", status=413)
        return Decoded(body, "plain")
    try:
        return Decoded(inflate(body, -zlib.MAX_WBITS), "deflate")
    except TransportError:
        raise TransportError("not zlib, gzip, deflate, XML or JSON") from None


def inflate(data: bytes, wbits: int, cap: int = MAX_DECOMPRESSED) -> bytes:
    """Decompress ``data``, refusing output beyond ``cap`` and truncated streams."""
    inflater = zlib.decompressobj(wbits)
    try:
        out = inflater.decompress(data, cap + 1)
    except zlib.error as exc:
        raise TransportError(f"corrupt compressed data ({exc})") from None
    if len(out) > cap or inflater.unconsumed_tail:
        raise TransportError(f"decompressed payload exceeds {cap} bytes", status=413)
    if not inflater.eof:
        raise TransportError("truncated compressed data")
    return out


def compress(text: bytes, encoding: str) -> bytes:
    """``text`` in the compression a request used (plain stays plain)."""
    if encoding == "gzip":
        packer = zlib.compressobj(6, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
        return packer.compress(text) + packer.flush()
    if encoding == "deflate":
        packer = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
        return packer.compress(text) + packer.flush()
    if encoding == "plain":
        return text
    return zlib.compress(text)
