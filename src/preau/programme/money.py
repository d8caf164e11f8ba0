"""Money as ``Decimal``: every amount rounded to the cent, half-up, line by line.

Totals are sums of rounded lines, never a rounded sum of exact values; no float is
ever involved (``to_money`` refuses one).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
HUNDRED = Decimal("100")


def to_money(value: Decimal | int | str) -> Decimal:
    """``value`` rounded to the cent, half-up. Floats are refused: they are not exact."""
    if isinstance(value, float):
        raise TypeError("Money is never a float; pass a Decimal, an int or a string.")
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def percent_of(amount: Decimal, rate: Decimal) -> Decimal:
    """``rate`` % of ``amount``, rounded to the cent half-up (VAT, a funder's share)."""
    return to_money(Decimal(amount) * Decimal(rate) / HUNDRED)


def vat(amount_ht: Decimal, rate: Decimal) -> Decimal:
    return percent_of(to_money(amount_ht), rate)


def ttc(amount_ht: Decimal, rate: Decimal) -> Decimal:
    ht = to_money(amount_ht)
    return ht + vat(ht, rate)


def total(amounts: Iterable[Decimal]) -> Decimal:
    """The sum of amounts each rounded to the cent first."""
    return sum((to_money(a) for a in amounts), ZERO)
