"""Numbers and dates as the exports print them, from ``Decimal`` and ``date`` only.

French: ``1 095 600,00`` (no-break spaces, which the PDF's standard fonts can draw) and
``31/12/2023``; English: ``1,095,600.00`` and ``2023-12-31`` (no month/day ambiguity).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

NBSP = "\xa0"


def money_text(value: Decimal, lang: str) -> str:
    text = format(value, ",.2f")
    if lang == "fr":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", NBSP)
    return text


def percent_text(value: Decimal, lang: str) -> str:
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return (text.replace(".", ",") if lang == "fr" else text) + f"{NBSP}%"


def date_text(day: dt.date | None, lang: str) -> str:
    if day is None:
        return "—"
    return day.strftime("%d/%m/%Y") if lang == "fr" else day.isoformat()


def count_text(value: int, lang: str) -> str:
    text = format(value, ",d")
    return text.replace(",", NBSP) if lang == "fr" else text


def quantity_text(value: Decimal | int | str | None, unit: str, lang: str) -> str:
    """An indicator's value or target: money when its unit is in euros, a whole count
    when it is whole, else a decimal."""
    if value is None or value == "":
        return "—"
    if isinstance(value, str):
        return value
    if "€" in unit:
        return money_text(Decimal(value), lang)
    if isinstance(value, int) or value == value.to_integral_value():
        return count_text(int(value), lang)
    return money_text(value, lang)
