"""The shared upload checks: PDF by its first bytes, capped reads, images opened safely
and re-encoded from their pixels only. No database, no words: apps add those."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from preau.core import uploads

SECRETS = (b"SpyCam", b"ICC-SECRET", b"COMMENT-SECRET", b"XMP-SECRET")


def _image_bytes(fmt: str, size=(40, 20), mode="RGB", orientation=None, **save) -> bytes:
    image = Image.new(mode, size, "red" if mode != "1" else 1)
    exif = image.getexif()
    exif[0x0110] = "SpyCam"  # the camera's model
    if orientation:
        exif[0x0112] = orientation
    out = io.BytesIO()
    image.save(out, fmt, exif=exif.tobytes(), **save)
    return out.getvalue()


def _with_every_metadata(fmt: str) -> bytes:
    extra = {"icc_profile": b"ICC-SECRET" * 20}
    if fmt == "JPEG":
        extra |= {"comment": b"COMMENT-SECRET", "xmp": b"<x>XMP-SECRET</x>"}
    if fmt == "WEBP":
        extra |= {"xmp": b"<x>XMP-SECRET</x>"}
    return _image_bytes(fmt, **extra)


class _Chunks:
    """An upload that says how much was read from it."""

    def __init__(self, size, chunks):
        self.size, self._chunks, self.read = size, chunks, 0

    def chunks(self, chunk_size=None):
        for chunk in self._chunks:
            self.read += 1
            yield chunk


def test_a_pdf_is_known_by_its_first_bytes():
    assert uploads.is_pdf(b"%PDF-1.7\n...")
    assert not uploads.is_pdf(b"  %PDF-1.7")
    assert not uploads.is_pdf(b"")


def test_an_upload_is_rewound_after_its_first_bytes_are_read():
    upload = SimpleUploadedFile("x.pdf", b"%PDF-1.4 body")
    upload.read(3)
    assert uploads.upload_is_pdf(upload)
    assert upload.read() == b"%PDF-1.4 body"
    assert not uploads.upload_is_pdf(SimpleUploadedFile("x.pdf", b"MZ\x90\x00"))


def test_read_capped_reads_up_to_the_limit_and_no_further():
    assert uploads.read_capped(_Chunks(None, [b"ab", b"cd"]), 4) == b"abcd"
    upload = _Chunks(None, [b"ab", b"cd", b"ef", b"gh"])
    with pytest.raises(uploads.TooBig) as refused:
        uploads.read_capped(upload, 5)
    assert (refused.value.size, refused.value.limit, upload.read) == (6, 5, 3)


def test_read_capped_believes_an_announced_size_without_reading():
    upload = _Chunks(10, [b"x" * 10])
    with pytest.raises(uploads.TooBig) as refused:
        uploads.read_capped(upload, 5)
    assert (refused.value.size, upload.read) == (10, 0)


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_an_image_is_reencoded_without_any_metadata(fmt):
    original = _with_every_metadata(fmt)
    assert b"SpyCam" in original
    opened = uploads.open_image(original, formats=("JPEG", "PNG", "WEBP"))
    assert opened.format == fmt
    clean = uploads.encode(opened.image, fmt)
    assert not any(secret in clean for secret in SECRETS)
    with Image.open(io.BytesIO(clean)) as back:
        assert not back.getexif()
        assert "icc_profile" not in back.info
        assert back.size == (40, 20)


def test_an_image_is_turned_upright_by_its_exif_orientation():
    rotated = _image_bytes("JPEG", size=(40, 20), orientation=6)
    assert uploads.open_image(rotated, formats=("JPEG",)).image.size == (20, 40)


def test_png_transparency_survives_the_reencoding():
    image = Image.new("P", (4, 4), 0)
    out = io.BytesIO()
    image.save(out, "PNG", transparency=0)
    opened = uploads.open_image(out.getvalue(), formats=("PNG",))
    with Image.open(io.BytesIO(uploads.encode(opened.image, "PNG"))) as back:
        assert back.info.get("transparency") == 0


def test_a_format_outside_those_accepted_is_named_only_when_any_decoder_may_look():
    gif = _image_bytes("GIF")
    with pytest.raises(uploads.NotAnImage) as named:
        uploads.open_image(gif, formats=("JPEG", "PNG"), any_decoder=True)
    assert named.value.format == "GIF"
    with pytest.raises(uploads.NotAnImage) as unknown:
        uploads.open_image(gif, formats=("JPEG", "PNG"))
    assert unknown.value.format is None


@pytest.mark.parametrize(
    "data",
    [b"", b"just some text", b"%PDF-1.4 a document", b"<svg xmlns='http://www.w3.org/2000/svg'/>"],
)
def test_bytes_that_are_no_image_are_refused(data):
    with pytest.raises(uploads.NotAnImage):
        uploads.open_image(data, formats=("JPEG", "PNG", "WEBP", "GIF"), any_decoder=True)


def test_a_truncated_image_is_damaged():
    jpeg = _image_bytes("JPEG", size=(400, 300))
    with pytest.raises(uploads.DamagedImage):
        uploads.open_image(jpeg[: len(jpeg) // 2], formats=("JPEG",))


def test_the_pixel_limit_is_checked_before_decoding():
    png = _image_bytes("PNG", size=(300, 200), mode="1")
    with pytest.raises(uploads.TooManyPixels) as refused:
        uploads.open_image(png, formats=("PNG",), max_pixels=50_000)
    assert (refused.value.pixels, refused.value.limit) == (60_000, 50_000)
    assert uploads.open_image(png, formats=("PNG",), max_pixels=60_000).image.size == (300, 200)


@pytest.mark.parametrize("size", [(150, 100), (300, 200)])  # Pillow's warning, then its error
def test_pillows_decompression_bomb_guard_is_an_error(monkeypatch, size):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 10_000)
    png = _image_bytes("PNG", size=size, mode="1")
    with pytest.raises(uploads.TooManyPixels) as refused:
        uploads.open_image(png, formats=("PNG",))
    assert refused.value.pixels is None


def test_a_jpeg_may_be_decoded_at_a_fraction_of_its_size():
    jpeg = _image_bytes("JPEG", size=(2000, 1000))
    assert uploads.open_image(jpeg, formats=("JPEG",), draft=(400, 400)).image.size == (1000, 500)
    assert uploads.open_image(jpeg, formats=("JPEG",)).image.size == (2000, 1000)


def test_transparency_is_flattened_onto_white():
    image = Image.new("RGBA", (2, 1), (0, 0, 0, 0))
    image.putpixel((1, 0), (0, 0, 255, 255))
    flat = uploads.flatten_to_rgb(image)
    assert flat.mode == "RGB"
    assert [flat.getpixel((0, 0)), flat.getpixel((1, 0))] == [(255, 255, 255), (0, 0, 255)]
