"""CSV cells a spreadsheet will not run: every export of people's text goes through here.

A cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is run as a
formula by spreadsheet software (OWASP "CSV injection"); a leading apostrophe makes it
text, which the spreadsheet shows without the apostrophe.
"""

from __future__ import annotations

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: str) -> str:
    return f"'{value}" if value.startswith(FORMULA_START) else value
