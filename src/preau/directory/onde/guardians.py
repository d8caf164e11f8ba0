"""The guardians export: one row per guardian with their children flattened on the row,
or the R1_/R2_ layout with one row per pupil and a column group per guardian.

Only names, civility, e-mail and mobile phone are kept. Postal addresses, home and work
phones, occupation (PCS) are read past on purpose: Préau needs a way to reach a family
and nothing more (GDPR minimisation; the school keeps the full record in ONDE).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from preau.directory.onde import values
from preau.directory.onde.errors import LineIssue, OndeFileError
from preau.directory.onde.headers import (
    CHILD_FIELDS,
    CHILD_REQUIRED,
    GUARDIAN_FIELDS,
    GUARDIAN_REQUIRED,
    PUPIL_FIELDS,
    R_FIELDS,
    Columns,
    display_name,
    map_guardian_header,
    map_pupil_header,
    map_responsible_columns,
)
from preau.directory.onde.pupils import CellReader, is_organisations_header, require
from preau.directory.onde.reading import Row, read_rows


@dataclass
class ChildRef:
    """A child as a guardian row names them, to be matched against the pupils file."""

    line: int
    last_name: str
    usage_name: str
    first_name: str
    class_label: str
    birth_date: dt.date | None

    @property
    def display(self) -> str:
        return f"{self.last_name or self.usage_name} {self.first_name} ({self.class_label})"


@dataclass
class GuardianRecord:
    line: int
    civility: str
    last_name: str
    usage_name: str
    first_name: str
    email: str
    phone_mobile: str
    children: list[ChildRef] = field(default_factory=list)

    @property
    def display(self) -> str:
        return f"{self.usage_name or self.last_name} {self.first_name}"


@dataclass
class GuardianFile:
    file: str = "guardians"
    records: list[GuardianRecord] = field(default_factory=list)
    issues: list[LineIssue] = field(default_factory=list)
    unknown_columns: list[str] = field(default_factory=list)
    organisations_skipped: bool = False
    layout: str = "blocks"  # or "r1r2"
    present: set[str] = field(default_factory=set)  # guardian fields that have a column


def parse_guardians(data: bytes, file: str = "guardians") -> GuardianFile:
    """Read a guardians export. Raises ``OndeFileError`` when the whole file is refused."""
    header, rows = read_rows(file, data)
    groups = map_responsible_columns(header)
    if groups:
        return _parse_r_layout(file, header, rows, groups)
    layout = map_guardian_header(header)
    require(layout.guardian, GUARDIAN_REQUIRED, GUARDIAN_FIELDS, file)
    if not layout.children:
        raise OndeFileError(
            file,
            _("Missing required column %(names)s: the file is refused.")
            % {"names": "“Nom de famille élève”, “Prénom élève”, “Classes élèves”"},
        )
    for block in layout.children:
        require(block, CHILD_REQUIRED, CHILD_FIELDS, file)
    result = GuardianFile(
        file=file, unknown_columns=layout.unknown, present=set(layout.guardian.positions)
    )
    for row in rows:
        if is_organisations_header(row):
            result.organisations_skipped = True
            break
        reader = CellReader(file, row, layout.guardian, GUARDIAN_FIELDS)
        record = _guardian(reader)
        children = [_child(file, row, block, reader.issues) for block in layout.children]
        record.children = [child for child in children if child is not None]
        if not record.children and not reader.issues:
            reader.issues.append(LineIssue(file, row.line, "", _("no child is named on this row")))
        if reader.issues:
            result.issues.extend(reader.issues)
        else:
            result.records.append(record)
    return result


def _guardian(reader: CellReader) -> GuardianRecord:
    return GuardianRecord(
        line=reader.row.line,
        civility=reader.get("civility", values.civility, ""),
        last_name=reader.get("last_name", lambda t: values.name(t, required=True), ""),
        usage_name=reader.get("usage_name", lambda t: values.name(t, required=False), ""),
        first_name=reader.get("first_name", lambda t: values.name(t, required=True), ""),
        email=reader.get("email", values.email, ""),
        phone_mobile=reader.get("phone_mobile", values.phone, ""),
    )


def _child(file: str, row: Row, block: Columns, issues: list[LineIssue]) -> ChildRef | None:
    cells = {name: values.clean(block.cell(row.cells, name)) for name in CHILD_FIELDS}
    if not any(cells.values()):
        return None  # an unused block: rows are as wide as the family with most children
    reader = CellReader(file, row, block, CHILD_FIELDS)
    child = ChildRef(
        line=row.line,
        last_name=reader.get("last_name", lambda t: values.name(t, required=True), ""),
        usage_name=reader.get("usage_name", lambda t: values.name(t, required=False), ""),
        first_name=reader.get("first_name", lambda t: values.name(t, required=True), ""),
        class_label=reader.get(
            "class_label", lambda t: values.name(t, required=True, max_length=150), ""
        ),
        birth_date=reader.get("birth_date", lambda t: values.birth_date(t, required=False)),
    )
    issues.extend(reader.issues)
    return None if reader.issues else child


def _parse_r_layout(
    file: str, header: list[str], rows: list[Row], groups: dict[int, Columns]
) -> GuardianFile:
    pupil_columns = map_pupil_header(header)
    require(pupil_columns, ("last_name", "first_name", "class_label"), PUPIL_FIELDS, file)
    for columns in groups.values():
        require(columns, ("last_name", "first_name"), _r_names(columns), file)
    present = set().union(*(set(columns.positions) for columns in groups.values()))
    result = GuardianFile(file=file, layout="r1r2", present=present)
    for row in rows:
        if is_organisations_header(row):
            result.organisations_skipped = True
            break
        child_reader = CellReader(file, row, pupil_columns, PUPIL_FIELDS)
        child = ChildRef(
            line=row.line,
            last_name=child_reader.get("last_name", lambda t: values.name(t, required=True), ""),
            usage_name=child_reader.get("usage_name", lambda t: values.name(t, required=False), ""),
            first_name=child_reader.get("first_name", lambda t: values.name(t, required=True), ""),
            class_label=child_reader.get(
                "class_label", lambda t: values.name(t, required=True, max_length=150), ""
            ),
            birth_date=child_reader.get(
                "birth_date", lambda t: values.birth_date(t, required=False)
            ),
        )
        result.issues.extend(child_reader.issues)
        for columns in groups.values():
            if not any(values.clean(columns.cell(row.cells, n)) for n in columns.positions):
                continue  # no second guardian on this row
            reader = CellReader(file, row, columns, R_FIELDS)
            record = _guardian(reader)
            if reader.issues:
                result.issues.extend(reader.issues)
            elif not child_reader.issues:
                record.children = [child]
                result.records.append(record)
    return result


def _r_names(columns: Columns) -> dict[str, tuple[str, ...]]:
    prefix = next(iter(columns.labels.values())).split("_")[0] if columns.labels else "R"
    return {name: (f"{prefix}_{display_name(R_FIELDS, name)}",) for name in R_FIELDS}
