"""What an uploaded file really is, read from its bytes: the checks every app shares.

A "PDF" must start with ``%PDF-``. An image is opened by Pillow from its bytes (never
from its name or the browser's ``Content-Type``), within a pixel limit checked before
anything is decoded and with Pillow's decompression-bomb warning treated as an error;
it is verified, decoded, turned upright by its EXIF orientation, and re-encoded from its
pixels only (``encode``: no EXIF, GPS position, XMP, ICC profile or comment).

No words for people here: a refusal is an ``UploadProblem`` carrying the facts (size,
pixels, format), and each app turns it into its own message naming the file. No writes.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from django.core.files.base import File
from PIL import Image, ImageOps, UnidentifiedImageError

PDF_MAGIC = b"%PDF-"

# Passed to every save: Pillow would otherwise copy some of these from the source image
# (a JPEG's comment, a PNG's ICC profile). Only pixels (and PNG transparency) survive.
_NO_METADATA: dict[str, Any] = {"exif": b"", "icc_profile": None, "comment": b"", "xmp": b""}
# What Pillow raises on bytes it cannot decode (UnidentifiedImageError is an OSError).
_DECODING_ERRORS = (OSError, SyntaxError, ValueError, EOFError)


class UploadProblem(ValueError):
    """A file to refuse; the subclass says why, the app says it in words."""


class TooBig(UploadProblem):
    def __init__(self, size: int, limit: int) -> None:
        super().__init__(f"{size} bytes, over the limit of {limit}")
        self.size, self.limit = size, limit


class NotAnImage(UploadProblem):
    """Not an image of an accepted format; ``format`` is Pillow's name for what it is
    (``GIF``…) when Pillow recognised it, ``None`` when the bytes are no image at all."""

    def __init__(self, format: str | None = None) -> None:
        super().__init__(f"not an accepted image ({format or 'unrecognised'})")
        self.format = format


class TooManyPixels(UploadProblem):
    """Over the pixel limit; ``pixels`` is ``None`` when Pillow's own guard fired first."""

    def __init__(self, pixels: int | None, limit: int | None) -> None:
        super().__init__(f"{pixels or 'too many'} pixels, over the limit of {limit}")
        self.pixels, self.limit = pixels, limit


class DamagedImage(UploadProblem):
    """The image starts like one but cannot be decoded to the end."""


class Chunked(Protocol):
    """What ``read_capped`` needs of an upload; Django's ``UploadedFile`` has it."""

    @property
    def size(self) -> int | None: ...

    def chunks(self, chunk_size: int | None = None) -> Iterator[bytes]: ...


@dataclass(frozen=True)
class OpenedImage:
    image: Image.Image  # decoded and upright; still carrying the source's metadata in .info
    format: str  # what the bytes were: "JPEG", "PNG"…


def is_pdf(data: bytes) -> bool:
    return data.startswith(PDF_MAGIC)


def upload_is_pdf(upload: File) -> bool:
    """Whether an uploaded file starts like a PDF; it is rewound either way."""
    upload.seek(0)
    head = upload.read(len(PDF_MAGIC))
    upload.seek(0)
    return is_pdf(head)


def read_capped(upload: Chunked, limit: int) -> bytes:
    """The upload's bytes; ``TooBig`` as soon as it announces or reaches more than
    ``limit`` bytes, reading no further."""
    if upload.size is not None and upload.size > limit:
        raise TooBig(upload.size, limit)
    chunks: list[bytes] = []
    total = 0
    for chunk in upload.chunks():
        total += len(chunk)
        if total > limit:
            raise TooBig(total, limit)
        chunks.append(chunk)
    return b"".join(chunks)


def open_image(
    data: bytes,
    *,
    formats: Sequence[str],
    max_pixels: int | None = None,
    draft: tuple[int, int] | None = None,
    any_decoder: bool = False,
) -> OpenedImage:
    """The image decoded and upright, or an ``UploadProblem``.

    Only ``formats``' decoders see the bytes, unless ``any_decoder`` lets Pillow identify
    anything it knows (to say "a GIF is not accepted" rather than "not an image").
    ``draft`` lets a JPEG decode at 1/2, 1/4… of its size, no smaller than that box."""
    decoders = None if any_decoder else tuple(formats)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=decoders) as probe:
                pixels = probe.width * probe.height
                if max_pixels is not None and pixels > max_pixels:
                    raise TooManyPixels(pixels, max_pixels)
                probe.verify()
                found = probe.format or ""
            if found not in formats:
                raise NotAnImage(found)
            with Image.open(io.BytesIO(data), formats=(found,)) as image:
                if draft is not None and found == "JPEG":
                    image.draft("RGB", draft)
                image.load()
                upright = ImageOps.exif_transpose(image)
    except UploadProblem:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise TooManyPixels(None, max_pixels) from None
    except UnidentifiedImageError:
        raise NotAnImage() from None
    except _DECODING_ERRORS:
        raise DamagedImage() from None
    return OpenedImage(upright, found)


def flatten_to_rgb(image: Image.Image) -> Image.Image:
    """Pixels only, in RGB; transparency becomes white (a JPEG has none)."""
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def encode(image: Image.Image, format: str, **options: Any) -> bytes:
    """The image saved as ``format`` with ``options`` (quality…) and no metadata at all."""
    out = io.BytesIO()
    image.save(out, format, **options, **_NO_METADATA)
    return out.getvalue()
