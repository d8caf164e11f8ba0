"""The invoice scans of a claim as one ZIP, in the statement's order.

Each scan (``Attachment`` of kind ``invoice_scan``, not in the trash) is named
``NNN_<supplier>_<invoice number>.pdf`` after its row's position; a second scan of the
same invoice gets ``_2``. Invoices without a scan are listed in ``manquants.txt``
(``missing.txt`` in English). The archive is written to a temporary file, not memory:
a thousand scans may weigh hundreds of megabytes.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import unicodedata
import zipfile
from collections import defaultdict
from typing import IO

from django.utils import timezone
from django.utils.translation import gettext as _

from preau.programme.claim_figures import ClaimRow
from preau.programme.exports.formatting import date_text
from preau.programme.exports.publicity import language
from preau.programme.models import Attachment

MISSING = {"fr": "manquants.txt", "en": "missing.txt"}


def safe_part(text: str, limit: int = 60) -> str:
    """``text`` as a portable file-name part: ASCII letters, digits, - and ."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    cleaned = re.sub(r"[^A-Za-z0-9.]+", "-", ascii_text).strip("-.")
    return cleaned[:limit].strip("-.") or "x"


def scan_names(
    rows: list[ClaimRow], scans: dict[int, list[Attachment]]
) -> list[tuple[str, Attachment]]:
    """The archive's entries: (name, attachment) in the rows' order."""
    width = max(3, len(str(len(rows))))
    entries = []
    for position, row in enumerate(rows, start=1):
        stem = f"{position:0{width}d}_{safe_part(row.supplier)}_{safe_part(row.invoice_number)}"
        for index, scan in enumerate(scans.get(row.invoice_id, []), start=1):
            suffix = "" if index == 1 else f"_{index}"
            entries.append((f"{stem}{suffix}.pdf", scan))
    return entries


def _scans_of(rows: list[ClaimRow]) -> dict[int, list[Attachment]]:
    found: dict[int, list[Attachment]] = defaultdict(list)
    for scan in Attachment.objects.filter(
        invoice_id__in=[r.invoice_id for r in rows],
        kind=Attachment.Kind.INVOICE_SCAN,
        trashed_at__isnull=True,
    ).order_by("uploaded_at", "pk"):
        assert scan.invoice_id is not None
        found[scan.invoice_id].append(scan)
    return found


def _missing_text(rows: list[ClaimRow], scans: dict[int, list[Attachment]], lang: str) -> str:
    missing = [(i, r) for i, r in enumerate(rows, start=1) if not scans.get(r.invoice_id)]
    if not missing:
        return _("Every invoice of the claim has its scan.") + "\n"
    lines = [_("Invoices without a scan:"), ""]
    lines += [
        f"{i:03d}  {r.supplier}  {r.invoice_number}  {date_text(r.invoice_date, lang)}"
        for i, r in missing
    ]
    return "\n".join(lines) + "\n"


def _stamp(scan: Attachment) -> tuple[int, int, int, int, int, int]:
    when = timezone.localtime(scan.uploaded_at)
    return (max(when.year, 1980), when.month, when.day, when.hour, when.minute, when.second)


def write_zip(rows: list[ClaimRow]) -> tuple[IO[bytes], int, int]:
    """The ZIP of the scans of ``rows`` (a claim's, in the statement's order) in a
    temporary file (rewound; closing it deletes it), with the number of scans and of
    invoices without one."""
    lang = language()
    scans = _scans_of(rows)
    entries = scan_names(rows, scans)
    missing = sum(1 for r in rows if not scans.get(r.invoice_id))
    out = tempfile.TemporaryFile()  # noqa: SIM115 (handed to the response, which closes it)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as archive:
        for name, scan in entries:
            # PDFs are compressed already: stored as they are, streamed from the storage.
            entry = zipfile.ZipInfo(name, date_time=_stamp(scan))
            with scan.file.open("rb") as source, archive.open(entry, "w") as target:
                shutil.copyfileobj(source, target, 1024 * 1024)
        archive.writestr(
            MISSING[lang], _missing_text(rows, scans, lang), compress_type=zipfile.ZIP_DEFLATED
        )
    out.seek(0)
    return out, len(entries), missing
