"""The EU publicity mentions every export of a claim carries (Reg. (EU) 1303/2013 as
amended for REACT-EU): the emblem, "Union européenne", the fund, and the statement that
the operation is funded as part of the Union's response to the COVID-19 pandemic.

Their wording is regulatory, so it is fixed here per language rather than left to the
translation catalogue: a French export always reads exactly the official French text.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import translation

EU_BLUE = "#003399"
EU_YELLOW = "#FFCC00"


@dataclass(frozen=True)
class Mentions:
    union: str
    fund: str
    statement: str


MENTIONS = {
    "fr": Mentions(
        union="Union européenne",
        fund="FEDER — REACT-EU",
        statement=(
            "Cette opération est financée par l'Union européenne dans le cadre de la "
            "réponse de l'Union à la pandémie de COVID-19"
        ),
    ),
    "en": Mentions(
        union="European Union",
        fund="ERDF (FEDER) — REACT-EU",
        statement=(
            "This operation is funded by the European Union as part of the Union's "
            "response to the COVID-19 pandemic"
        ),
    ),
}


def language() -> str:
    """The export's language: English when the page is in English, French otherwise."""
    return "en" if (translation.get_language() or "fr").startswith("en") else "fr"


def mentions(lang: str | None = None) -> Mentions:
    return MENTIONS[lang or language()]
