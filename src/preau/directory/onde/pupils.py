"""The pupils export: one row per pupil."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from preau.directory.onde import values
from preau.directory.onde.errors import LineIssue, OndeFileError
from preau.directory.onde.headers import (
    PUPIL_FIELDS,
    PUPIL_REQUIRED,
    Columns,
    display_name,
    map_pupil_header,
    map_responsible_columns,
)
from preau.directory.onde.reading import Row, read_rows

FILE = "pupils"


@dataclass
class PupilRecord:
    line: int
    last_name: str
    usage_name: str
    first_name: str
    birth_date: dt.date
    sex: str
    ine: str | None
    level: str
    class_label: str
    class_id: str
    consent_photo: bool | None  # None: the column is absent, keep what is stored
    consent_associations: bool | None

    @property
    def natural_key(self) -> tuple[str, str, dt.date]:
        return (values.fold(self.last_name), values.fold(self.first_name), self.birth_date)

    @property
    def display(self) -> str:
        return f"{self.usage_name or self.last_name} {self.first_name}"


@dataclass
class PupilFile:
    records: list[PupilRecord] = field(default_factory=list)
    issues: list[LineIssue] = field(default_factory=list)
    columns: Columns = field(default_factory=Columns)
    organisations_skipped: bool = False
    has_guardian_columns: bool = False  # R1_/R2_ columns: guardians are on the pupil rows
    # Who the refused rows seem to be (INE, folded names): not to be counted as leavers.
    refused: set[tuple[str, ...]] = field(default_factory=set)


def is_organisations_header(row: Row) -> bool:
    """ONDE appends a table of organisations after the people, starting with this row."""
    keys = [values.fold(cell) for cell in row.cells[:2]]
    return keys == ["intitule", "adresse organisme"]


def require(columns: Columns, required: tuple[str, ...], fields: dict[str, Any], file: str) -> None:
    missing = columns.missing(required)
    if missing:
        names = ", ".join(f"“{display_name(fields, name)}”" for name in missing)
        raise OndeFileError(
            file,
            _("Missing required column %(names)s: the file is refused.") % {"names": names},
        )


def parse_pupils(data: bytes) -> PupilFile:
    """Read the pupils export. Raises ``OndeFileError`` when the whole file is refused."""
    header, rows = read_rows(FILE, data)
    columns = map_pupil_header(header)
    require(columns, PUPIL_REQUIRED, PUPIL_FIELDS, FILE)
    result = PupilFile(columns=columns, has_guardian_columns=bool(map_responsible_columns(header)))
    for row in rows:
        if is_organisations_header(row):
            result.organisations_skipped = True
            break
        reader = CellReader(FILE, row, columns, PUPIL_FIELDS)
        record = _record(reader, columns)
        if reader.issues:
            result.issues.extend(reader.issues)
            result.refused |= _identity(row, columns)
        elif record is not None:
            result.records.append(record)
    result.issues.extend(_duplicates(result.records))
    return result


class CellReader:
    """Reads named cells of one row, collecting an issue per unreadable cell."""

    def __init__(
        self, file: str, row: Row, columns: Columns, fields: dict[str, tuple[str, ...]]
    ) -> None:
        self.file, self.row, self.columns, self.fields = file, row, columns, fields
        self.issues: list[LineIssue] = []

    def get(self, name: str, parse: Callable[[str], Any], default: Any = None) -> Any:
        if not self.columns.has(name):
            return default
        try:
            return parse(self.columns.cell(self.row.cells, name))
        except ValueError as exc:
            label = self.columns.labels.get(name) or display_name(self.fields, name)
            self.issues.append(LineIssue(self.file, self.row.line, label, str(exc)))
            return default


def _required_name(text: str) -> str:
    return values.name(text, required=True)


def _optional_name(text: str) -> str:
    return values.name(text, required=False)


def _class_label(text: str) -> str:
    return values.name(text, required=True, max_length=150)


def _class_id(text: str) -> str:
    return values.name(text, required=False, max_length=40)


def _record(reader: CellReader, columns: Columns) -> PupilRecord | None:
    record = PupilRecord(
        line=reader.row.line,
        last_name=reader.get("last_name", _required_name, ""),
        usage_name=reader.get("usage_name", _optional_name, ""),
        first_name=reader.get("first_name", _required_name, ""),
        birth_date=reader.get("birth_date", values.birth_date),
        sex=reader.get("sex", values.sex, ""),
        ine=reader.get("ine", values.ine),
        level=reader.get("level", values.level, ""),
        class_label=reader.get("class_label", _class_label, ""),
        class_id=reader.get("class_id", _class_id, ""),
        consent_photo=reader.get("consent_photo", values.yes_no),
        consent_associations=reader.get("consent_associations", values.yes_no),
    )
    return None if reader.issues else record


def _identity(row: Row, columns: Columns) -> set[tuple[str, ...]]:
    ine = values.clean(columns.cell(row.cells, "ine")).upper()
    names = (
        values.fold(columns.cell(row.cells, "last_name")),
        values.fold(columns.cell(row.cells, "first_name")),
    )
    return {("ine", ine)} if ine else {("name", *names)}


def _duplicates(records: list[PupilRecord]) -> list[LineIssue]:
    """A pupil listed twice: same INE, or same name and birth date without two INEs."""
    issues: list[LineIssue] = []
    by_ine: dict[str, PupilRecord] = {}
    by_key: dict[tuple[str, str, dt.date], PupilRecord] = {}
    kept: list[PupilRecord] = []
    for record in records:
        first = by_ine.get(record.ine) if record.ine else None
        if first is None:
            other = by_key.get(record.natural_key)
            if other is not None and not (other.ine and record.ine):
                first = other
        if first is not None:
            issues.append(
                LineIssue(
                    FILE,
                    record.line,
                    "",
                    _("duplicate pupil: %(name)s is already on line %(line)s")
                    % {"name": record.display, "line": first.line},
                )
            )
            continue
        if record.ine:
            by_ine[record.ine] = record
        by_key.setdefault(record.natural_key, record)
        kept.append(record)
    records[:] = kept
    return issues
