"""Shared bits of the ONDE tests: the fixture files, in any encoding."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from preau.directory.models import Municipality, School, Site

FILES = Path(__file__).parent / "onde_files"


def text(name: str) -> str:
    return (FILES / name).read_text(encoding="utf-8")


def data(name: str, encoding: str = "cp1252", *, crlf: bool = True, bom: bool = False) -> bytes:
    """A fixture file as ONDE would hand it over: Windows-1252 and CRLF unless told."""
    body = text(name)
    if crlf:
        body = body.replace("\n", "\r\n")
    raw = body.encode(encoding)
    return (b"\xef\xbb\xbf" + raw) if bom else raw


def csv_bytes(*lines: str, encoding: str = "cp1252") -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def empty_school(municipality: Municipality, uai: str = "0561003C") -> School:
    site = Site.objects.create(municipality=municipality, name=f"Site {uai}")
    return School.objects.create(
        municipality=municipality,
        site=site,
        uai=uai,
        name=f"École maternelle {uai}",
        kind=School.Kind.MATERNELLE,
    )


TODAY = dt.date.today()
