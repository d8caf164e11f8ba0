"""Reading an accounting export: bytes → header → typed rows, or a clear refusal.

The export of a city's accounting software (Ciril, Berger-Levrault, Civil Net
Finances…): ``;``-separated (tab tolerated), French numbers ("1 234,56"), dates
dd/mm/yyyy, Windows-1252 or UTF-8 with or without BOM. Columns are found by their
header, never by position; every header is reduced to a key (no accents, case,
punctuation, "de"/"du", plural "s"; "N°", "No", "Numéro" all read "n"), so
"Numéro d'engagement" and "N° ENGAGEMENT" find the same column. The mapping is
documented in docs/programme-import.md.

Nothing here touches the database.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import charset_normalizer
from django.conf import settings
from django.utils.translation import gettext as _

from preau.core.search import fold
from preau.programme import money

ORDER = "order"
INVOICE = "invoice"

# Field → accepted headers, best first; the first is the documented name, shown when the
# column is missing. One header may serve two fields ("Date": an order's or an invoice's).
FIELDS: dict[str, tuple[str, ...]] = {
    "type": ("Type", "Type de pièce", "Nature", "Type de ligne"),
    "order_number": (
        "N° engagement", "Engagement", "N° bon de commande", "Bon de commande", "N° BC",
        "N° commande", "Commande",
    ),
    "order_date": ("Date engagement", "Date", "Date commande", "Date bon de commande"),
    "supplier": ("Fournisseur", "Tiers", "Nom du tiers", "Raison sociale", "Nom fournisseur"),
    "siret": ("SIRET", "SIRET fournisseur", "SIRET du tiers"),
    "budget_line": (
        "Ligne budgétaire", "Code ligne budgétaire", "Ligne", "Ligne programme", "Opération",
    ),
    "sites": ("Sites", "Sites concernés", "Écoles", "UAI"),
    "label": ("Libellé", "Objet", "Désignation", "Libellé ligne"),
    "amount_ht": ("Montant HT", "HT", "Total HT"),
    "vat_rate": ("Taux TVA", "Taux"),
    "vat_amount": ("Montant TVA", "TVA", "Total TVA"),
    "amount_ttc": ("Montant TTC", "TTC", "Total TTC"),
    "contract": ("N° marché", "Marché", "Référence marché"),
    "invoice_number": ("N° facture", "Facture", "Référence facture"),
    "chorus_id": ("N° Chorus Pro", "Chorus Pro", "N° Chorus", "Identifiant Chorus Pro"),
    "invoice_date": ("Date facture", "Date", "Date émission facture"),
    "payment_date": (
        "Date paiement", "Date mandat", "Date mandatement", "Date de règlement", "Date règlement",
    ),
    "mandate_number": ("N° mandat", "Mandat"),
}  # fmt: skip

MONEY_FIELDS = ("amount_ht", "vat_rate", "vat_amount", "amount_ttc")
REQUIRED: dict[str, tuple[str, ...]] = {
    ORDER: ("order_number", "order_date", "supplier", "budget_line", "label", *MONEY_FIELDS),
    INVOICE: ("invoice_number", "invoice_date", "order_number", "label", *MONEY_FIELDS),
}
TYPE_WORDS = {
    ORDER: {"engagement", "eng", "e", "commande", "bon commande", "bc", "order"},
    INVOICE: {"facture", "fac", "f", "invoice"},
}

_MAGIC: list[tuple[bytes, str]] = [
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a spreadsheet or ZIP archive (XLSX, ODS): export as CSV"),
    (b"\xd0\xcf\x11\xe0", "an old Excel document (XLS): export as CSV"),
    (b"\x89PNG", "an image"),
    (b"\xff\xd8\xff", "an image"),
]
_NUMBER_WORDS = {"n", "no", "nº", "num", "numero", "number"}
_STOP_WORDS = {"de", "d", "du", "des", "la", "le", "l", "of", "the"}
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_SPACES = re.compile(r"[\s\u00a0\u202f']+")


class AccountingFileError(ValueError):
    """The whole file is refused (not a CSV, unreadable, a required column missing…)."""


@dataclass(frozen=True)
class Issue:
    """Why one line (0: the whole file) cannot be imported, with the column as headed."""

    line: int
    column: str
    reason: str

    def __str__(self) -> str:
        where = _("line %(n)s") % {"n": self.line} if self.line else _("whole file")
        column = f", {self.column}" if self.column else ""
        return f"{where}{column}: {self.reason}"


def header_key(text: str) -> str:
    text = fold(text.replace("\ufeff", "").replace("°", " ").replace("º", " "))
    words = _NON_ALNUM.sub(" ", text).split()
    keys = []
    for word in words:
        if word in _STOP_WORDS:
            continue
        if word in _NUMBER_WORDS:
            word = "n"
        elif len(word) > 3 and word.endswith("s"):
            word = word[:-1]
        keys.append(word)
    return " ".join(keys)


@dataclass
class Columns:
    """Where each field is in the file (index), and the header as the file spells it."""

    index: dict[str, int] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)

    def name(self, key: str) -> str:
        return self.names.get(key, FIELDS[key][0])


def find_columns(header: list[str]) -> Columns:
    keys = [header_key(cell) for cell in header]
    columns = Columns()
    for name, aliases in FIELDS.items():
        for alias in aliases:
            alias_key = header_key(alias)
            if alias_key in keys:
                position = keys.index(alias_key)
                columns.index[name] = position
                columns.names[name] = header[position].replace("\ufeff", "").strip()
                break
    return columns


# ---- Bytes to rows -----------------------------------------------------------------------


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM) first, then Windows-1252, then charset-normalizer."""
    limit = settings.PREAU_MAX_IMPORT_BYTES
    if len(data) > limit:
        raise AccountingFileError(
            _("The file is larger than %(mb)s MB.") % {"mb": limit // (1024 * 1024)}
        )
    if not data.strip():
        raise AccountingFileError(_("The file is empty."))
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            raise AccountingFileError(
                _("This file is %(kind)s, not a CSV export.") % {"kind": kind}
            )
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise AccountingFileError(_("The file claims UTF-16 but is not.")) from None
    if b"\x00" in data[:4096]:
        raise AccountingFileError(_("This is a binary file, not a CSV export."))
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise AccountingFileError(
            _(
                "The text encoding of this file cannot be recognised: export it again as "
                "UTF-8 or Windows-1252 (ANSI)."
            )
        )
    return str(best)


@dataclass(frozen=True)
class Row:
    line: int  # physical line where the record starts; the header is line 1
    cells: list[str]


def read_rows(data: bytes) -> tuple[list[str], list[Row]]:
    text = decode(data)
    first = text.lstrip("\ufeff").split("\n", 1)[0]
    delimiter = "\t" if first.count("\t") > first.count(";") else ";"
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar='"')
    header: list[str] | None = None
    rows: list[Row] = []
    start = 1
    try:
        for cells in reader:
            row = Row(line=start, cells=cells)
            start = reader.line_num + 1
            if not any(cell.strip() for cell in cells):
                continue
            if header is None:
                if len(cells) < 2:
                    raise AccountingFileError(
                        _("The first line has no “;” separator: this is not a CSV export.")
                    )
                header = cells
                continue
            rows.append(row)
    except csv.Error as exc:
        raise AccountingFileError(
            _("Line %(line)s cannot be read as CSV: %(error)s")
            % {"line": reader.line_num, "error": exc}
        ) from None
    if header is None:
        raise AccountingFileError(_("The file has no header line."))
    return header, rows


# ---- Cells to values ---------------------------------------------------------------------


def text(value: str) -> str:
    return " ".join(value.replace("\ufeff", "").split())


def amount(value: str, *, rate: bool = False, zero_ok: bool = False) -> Decimal:
    """A French (or plain) decimal: "1 234,56", "1.234,56", "1234.56", "20 %", "12,00 €".

    An amount is greater than zero (``zero_ok``: or zero, for the VAT of a 0 % line)
    with at most two decimals; a rate lies between 0 and 100."""
    raw = _SPACES.sub("", value.replace("€", "").replace("%", ""))
    if not raw:
        raise ValueError(_("empty, a number is required"))
    if "," in raw:
        raw = raw.replace(".", "").replace(",", ".")
    try:
        number = Decimal(raw)
    except InvalidOperation:
        raise ValueError(_("“%(value)s” is not a number") % {"value": value.strip()}) from None
    if not number.is_finite():
        raise ValueError(_("“%(value)s” is not a number") % {"value": value.strip()})
    if rate:
        if not Decimal(0) <= number <= money.HUNDRED:
            raise ValueError(_("a VAT rate lies between 0 and 100 %"))
        return number
    if number < 0 or (number == 0 and not zero_ok):
        raise ValueError(_("an amount must be greater than zero"))
    if number != money.to_money(number):
        raise ValueError(_("“%(value)s” has more than two decimals") % {"value": value.strip()})
    return number


def date(value: str) -> dt.date:
    raw = value.strip()
    if not raw:
        raise ValueError(_("empty, a date is required"))
    raw = raw.split(" ")[0]  # "15/12/2021 00:00:00" from some exports
    for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%d.%m.%Y", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(raw, pattern).date()
        except ValueError:
            continue
    raise ValueError(
        _("“%(value)s” is not a date (expected DD/MM/YYYY)") % {"value": value.strip()}
    )


def siret(value: str) -> str:
    digits = re.sub(r"[\s\u00a0.]", "", value)
    if digits and not re.fullmatch(r"\d{14}", digits):
        raise ValueError(_("a SIRET has 14 digits"))
    return digits


def kind(value: str) -> str:
    word = header_key(value)
    for name, words in TYPE_WORDS.items():
        if word in words:
            return name
    raise ValueError(
        _("“%(value)s” is neither “engagement” nor “facture”") % {"value": value.strip()}
    )
