"""Turn uploaded bytes into rows of cells, or refuse the file with a clear reason.

Order matters: the size is checked before anything is decoded, then well-known binary
formats are named (a director who uploads the PDF or the spreadsheet learns what to do),
then the text is decoded and split by the ``csv`` module (``;``, quoted or not, CRLF).
"""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass

import charset_normalizer
from django.conf import settings
from django.utils.translation import gettext as _

from preau.directory.onde.errors import OndeFileError
from preau.directory.onde.values import fold

_MAGIC: list[tuple[bytes, str]] = [
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive or an Excel/LibreOffice spreadsheet (XLSX, ODS)"),
    (b"\xd0\xcf\x11\xe0", "an old Excel or Word document (XLS, DOC)"),
    (b"\x1f\x8b", "a compressed (gzip) file"),
    (b"{\\rtf", "an RTF document"),
]


@dataclass(frozen=True)
class Row:
    line: int  # physical line where the record starts; the header is line 1
    cells: list[str]

    def is_blank(self) -> bool:
        return not any(cell.strip() for cell in self.cells)


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f}".rstrip("0").rstrip(".")


def check_size(file: str, size: int) -> None:
    limit = settings.PREAU_MAX_IMPORT_BYTES
    if size > limit:
        raise OndeFileError(
            file,
            _(
                "The file is %(size)s MB; the limit is %(limit)s MB. An ONDE export of one "
                "school is far smaller: check that you chose the right file."
            )
            % {"size": _megabytes(size), "limit": _megabytes(limit)},
        )
    if size == 0:
        raise OndeFileError(file, _("The file is empty."))


def _refuse_binary(file: str, data: bytes) -> None:
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            raise OndeFileError(
                file,
                _(
                    "This file is %(kind)s, not a CSV export. In ONDE, export the list as "
                    "CSV (“Exporter” → CSV) and upload that file."
                )
                % {"kind": kind},
            )


def decode(file: str, data: bytes) -> str:
    """Decode an export: UTF-8 (with or without BOM) first, then Windows-1252.

    Strict UTF-8 almost never accepts text that is not UTF-8, so it goes first. ONDE's
    own encoding is ISO-8859-1 or Windows-1252; cp1252 decodes every ISO-8859-1 letter
    the same way and also knows the typographic apostrophe ’ and œ, which ISO-8859-1
    lacks. charset-normalizer is only a last resort, for bytes cp1252 cannot decode.
    """
    check_size(file, len(data))
    _refuse_binary(file, data)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise OndeFileError(file, _("The file claims UTF-16 but is not.")) from None
    if b"\x00" in data[:4096]:
        raise OndeFileError(file, _("This is a binary file, not a CSV export."))
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise OndeFileError(file, _("The text encoding of this file cannot be recognised."))
    return str(best)


def read_rows(file: str, data: bytes) -> tuple[list[str], list[Row]]:
    """The header and the non-blank data rows of a ``;``-separated export."""
    text = decode(file, data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";", quotechar='"')
    header: list[str] | None = None
    rows: list[Row] = []
    start = 1
    try:
        for cells in reader:
            row = Row(line=start, cells=cells)
            start = reader.line_num + 1
            if row.is_blank():
                continue
            if header is None:
                header = _check_header(file, row)
                continue
            rows.append(row)
    except csv.Error as exc:
        raise OndeFileError(
            file,
            _("Line %(line)s cannot be read as CSV: %(error)s")
            % {"line": reader.line_num, "error": exc},
        ) from None
    if header is None:
        raise OndeFileError(file, _("The file has no header line."))
    return header, rows


def _check_header(file: str, row: Row) -> list[str]:
    if len(row.cells) < 2:
        raise OndeFileError(
            file,
            _("The first line has no “;” separator: this is not an ONDE CSV export."),
        )
    if sum(1 for cell in row.cells if fold(cell)) < 2:
        raise OndeFileError(file, _("The first line is not a header of column names."))
    return row.cells
