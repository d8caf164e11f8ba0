"""A rule's threshold, checked and normalised, and the versions it compares: pure.

The messages say what is expected, for the rule form and the service alike.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from preau.fleet.models import ComplianceRule

Kind = ComplianceRule.Kind
Version = tuple[int, ...]

# A version is digits and dots standing alone: "12", "12.7" in "Debian 12.7", "6.1.0" in
# "6.1.0-13-amd64"; not the "22" of "22H2" (a release name, not a number).
_VERSION_IN_TEXT = re.compile(r"(?<![\w.])[vV]?(\d{1,9}(?:\.\d{1,9}){0,7})(?!\w)")
_VERSION_ALONE = re.compile(r"^[vV]?\d{1,9}(?:\.\d{1,9}){0,7}$")
MAX_DAYS = 3650
MAX_PATTERNS, MAX_PATTERN_LENGTH = 20, 60


class RuleValueError(ValueError):
    """A rule's threshold that cannot be used, with a message saying why."""


# Versions -------------------------------------------------------------------------------


def parse_version(text: str | None) -> Version | None:
    """The first standalone version in ``text``: "Debian 12.5" → (12, 5); "22H2" → None."""
    match = _VERSION_IN_TEXT.search(text or "")
    return tuple(int(part) for part in match.group(1).split(".")) if match else None


def compare_versions(left: Version, right: Version) -> int:
    """-1, 0 or 1; missing parts count as 0, so "12" equals "12.0" and is below "12.7"."""
    width = max(len(left), len(right))
    a, b = left + (0,) * (width - len(left)), right + (0,) * (width - len(right))
    return (a > b) - (a < b)


def show_version(version: Version) -> str:
    return ".".join(str(part) for part in version)


# Thresholds -----------------------------------------------------------------------------


def patterns(value: str) -> list[str]:
    """Comma-separated names, lower-cased, without blanks or repeats."""
    found: list[str] = []
    for part in value.split(","):
        cleaned = " ".join(part.split()).casefold()
        if cleaned and cleaned not in found:
            found.append(cleaned)
    return found


def clean_value(kind: str, value: str) -> str:
    """The threshold as stored, or ``RuleValueError`` saying what is expected."""
    value = (value or "").strip()
    if kind == Kind.OS_VERSION:
        if not _VERSION_ALONE.match(value):
            raise RuleValueError(
                _(
                    "The minimum version must be numbers separated by dots, "
                    "such as 12, 12.7 or 10.0.19045."
                )
            )
        return value.lstrip("vV")
    if kind == Kind.INVENTORY_AGE:
        if not value.isdigit() or not 1 <= int(value) <= MAX_DAYS:
            raise RuleValueError(
                _("The number of days must be a whole number between 1 and %(max)s, such as 7.")
                % {"max": MAX_DAYS}
            )
        return str(int(value))
    if kind == Kind.FREE_DISK:
        return _clean_percent(value)
    if kind in (Kind.ANTIVIRUS, Kind.SOFTWARE):
        names = patterns(value)
        if kind == Kind.SOFTWARE and not names:
            raise RuleValueError(
                _("Give at least one software name (several: separate them with commas).")
            )
        if len(names) > MAX_PATTERNS or any(len(n) > MAX_PATTERN_LENGTH for n in names):
            limits = {"count": MAX_PATTERNS, "length": MAX_PATTERN_LENGTH}
            raise RuleValueError(
                _("At most %(count)s names of %(length)s characters each.") % limits
            )
        joined = ", ".join(names)
        if len(joined) > 200:
            raise RuleValueError(_("The names take more than 200 characters."))
        return joined
    return ""  # warranty: no threshold


def _clean_percent(value: str) -> str:
    try:
        number = Decimal(value.replace(",", ".").rstrip("% ").strip())
    except InvalidOperation:
        number = Decimal(-1)
    if not number.is_finite() or not 0 <= number <= 100:
        raise RuleValueError(
            _("The free space must be a percentage between 0 and 100, such as 10.")
        )
    return f"{number.quantize(Decimal('0.1')).normalize():f}"
