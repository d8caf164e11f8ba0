"""Cell readers: each turns one ONDE cell into a value or raises ``ValueError(reason)``.

The reasons are shown to directors as they are, so they say what was expected.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata

from django.utils.translation import gettext as _

_SPACES = re.compile(r"\s+")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


@functools.lru_cache(maxsize=16384)
def fold(text: str) -> str:
    """Lower case, no accents, no punctuation, single spaces: for comparing names."""
    decomposed = unicodedata.normalize("NFKD", text.replace("\ufeff", ""))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    return _NON_ALNUM.sub(" ", plain).strip()


def clean(text: str) -> str:
    """Trimmed text with inner runs of whitespace collapsed."""
    return _SPACES.sub(" ", text.replace("\ufeff", "")).strip()


def name(text: str, *, required: bool, max_length: int = 100) -> str:
    value = clean(text)
    if required and not value:
        raise ValueError(_("empty, a value is required"))
    if len(value) > max_length:
        raise ValueError(_("longer than %(max)s characters") % {"max": max_length})
    return value


def birth_date(text: str, *, required: bool = True) -> dt.date | None:
    value = clean(text)
    if not value:
        if required:
            raise ValueError(_("empty, a date of birth is required"))
        return None
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            parsed = dt.datetime.strptime(value, pattern).date()
        except ValueError:
            continue
        if parsed > dt.date.today() or parsed.year < 1990:
            raise ValueError(_("“%(value)s” is not a plausible date of birth") % {"value": value})
        return parsed
    raise ValueError(
        _("“%(value)s” is not a date (expected DD/MM/YYYY or YYYY-MM-DD)") % {"value": value}
    )


_YES = {"oui", "o", "yes", "y", "vrai", "true", "1", "x"}
_NO = {"non", "n", "no", "faux", "false", "0", ""}


def yes_no(text: str) -> bool:
    value = fold(text)
    if value in _YES:
        return True
    if value in _NO:
        return False
    raise ValueError(_("“%(value)s” is neither Oui nor Non") % {"value": clean(text)})


_LEVELS = {
    "tps": "TPS", "toute petite section": "TPS",
    "ps": "PS", "petite section": "PS",
    "ms": "MS", "moyenne section": "MS",
    "gs": "GS", "grande section": "GS",
    "cp": "CP", "cours preparatoire": "CP",
    "ce1": "CE1", "ce 1": "CE1", "cours elementaire 1": "CE1",
    "cours elementaire premiere annee": "CE1",
    "ce2": "CE2", "ce 2": "CE2", "cours elementaire 2": "CE2",
    "cours elementaire deuxieme annee": "CE2",
    "cm1": "CM1", "cm 1": "CM1", "cours moyen 1": "CM1", "cours moyen premiere annee": "CM1",
    "cm2": "CM2", "cm 2": "CM2", "cours moyen 2": "CM2", "cours moyen deuxieme annee": "CM2",
}  # fmt: skip


def level(text: str) -> str:
    value = fold(text)
    if not value:
        return ""
    if value in _LEVELS:
        return _LEVELS[value]
    raise ValueError(
        _("“%(value)s” is not a level (TPS, PS, MS, GS, CP, CE1, CE2, CM1, CM2)")
        % {"value": clean(text)}
    )


_SEXES = {"m": "M", "g": "M", "masculin": "M", "garcon": "M", "f": "F", "feminin": "F",
          "fille": "F", "": ""}  # fmt: skip


def sex(text: str) -> str:
    value = fold(text)
    if value in _SEXES:
        return _SEXES[value]
    raise ValueError(_("“%(value)s” is not a sex (M or F)") % {"value": clean(text)})


_INE = re.compile(r"^[0-9A-Z]{11}$")


def ine(text: str) -> str | None:
    value = clean(text).upper().replace(" ", "")
    if not value:
        return None
    if not _INE.match(value):
        raise ValueError(
            _("“%(value)s” is not an INE (11 letters or digits)") % {"value": clean(text)}
        )
    return value


_CIVILITIES = {"m": "M.", "mr": "M.", "monsieur": "M.", "mme": "MME", "madame": "MME",
               "mlle": "MME", "mademoiselle": "MME", "": ""}  # fmt: skip


def civility(text: str) -> str:
    """M., MME or blank. MLLE is stored as MME: the administration dropped it in 2012."""
    value = fold(text)
    if value in _CIVILITIES:
        return _CIVILITIES[value]
    raise ValueError(_("“%(value)s” is not a civility (M., MME, MLLE)") % {"value": clean(text)})


_EMAIL = re.compile(r"^[^@\s;,]+@[^@\s;,]+\.[^@\s;,]+$")


def email(text: str) -> str:
    value = clean(text)
    if value and (len(value) > 254 or not _EMAIL.match(value)):
        raise ValueError(_("“%(value)s” is not an e-mail address") % {"value": clean(text)})
    return value


_PHONE_JUNK = re.compile(r"[\s.\-/()]")
_PHONE = re.compile(r"^\+?[0-9]{4,20}$")


def phone(text: str) -> str:
    value = _PHONE_JUNK.sub("", clean(text))
    if value and not _PHONE.match(value):
        raise ValueError(_("“%(value)s” is not a phone number") % {"value": clean(text)})
    return value
