"""What an ONDE import would change: the plan shown in the preview and then applied.

:class:`OndePlan` has two faces: public lists and counts, JSON-ready for the preview page,
the command line report and the stored summary; and private *operations* (unsaved or
modified model instances) that :func:`preau.directory.services.apply_onde_import`
writes with bulk queries. Building a plan only reads the database.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field, fields, is_dataclass
from typing import Any

from preau.directory.models import Enrolment, Guardian, GuardianLink, Pupil, SchoolClass
from preau.directory.onde.errors import LineIssue


@dataclass
class Change:
    """One created, updated, moved or left record, as the preview lists it."""

    name: str
    line: int | None = None
    class_label: str = ""
    from_class: str = ""
    changes: dict[str, list[str]] = field(default_factory=dict)  # field → [old, new]


@dataclass
class Operations:
    """The writes that apply the plan, prepared while it was built."""

    today: dt.date | None = None
    year_id: int | None = None
    new_classes: list[SchoolClass] = field(default_factory=list)
    changed_classes: list[SchoolClass] = field(default_factory=list)
    new_pupils: list[Pupil] = field(default_factory=list)
    changed_pupils: list[Pupil] = field(default_factory=list)
    changed_pupil_fields: set[str] = field(default_factory=set)
    left_pupil_ids: list[int] = field(default_factory=list)
    ended_enrolment_ids: list[int] = field(default_factory=list)
    new_enrolments: list[tuple[Pupil, SchoolClass]] = field(default_factory=list)
    new_guardians: list[Guardian] = field(default_factory=list)
    changed_guardians: list[Guardian] = field(default_factory=list)
    changed_guardian_fields: set[str] = field(default_factory=set)
    new_links: list[tuple[Guardian, Pupil]] = field(default_factory=list)
    removed_link_ids: list[int] = field(default_factory=list)

    def enrolment_rows(self) -> list[Enrolment]:
        assert self.today is not None
        return [
            Enrolment(pupil_id=pupil.pk, school_class_id=cls.pk, started_on=self.today)
            for pupil, cls in self.new_enrolments
        ]

    def link_rows(self) -> list[GuardianLink]:
        return [
            GuardianLink(guardian_id=guardian.pk, pupil_id=pupil.pk, source="onde")
            for guardian, pupil in self.new_links
        ]


@dataclass
class OndePlan:
    school_id: int
    school_name: str = ""
    pupils_created: list[Change] = field(default_factory=list)
    pupils_updated: list[Change] = field(default_factory=list)
    pupils_moved: list[Change] = field(default_factory=list)
    pupils_left: list[Change] = field(default_factory=list)
    pupils_unchanged: int = 0
    classes_created: list[Change] = field(default_factory=list)
    classes_updated: list[Change] = field(default_factory=list)
    guardians_imported: bool = False
    guardians_created: list[Change] = field(default_factory=list)
    guardians_updated: list[Change] = field(default_factory=list)
    guardians_unchanged: int = 0
    links_created: list[Change] = field(default_factory=list)
    links_removed: list[Change] = field(default_factory=list)
    consent_photo: int = 0  # pupils of the file who gave each consent
    consent_associations: int = 0
    rejected: list[LineIssue] = field(default_factory=list)
    unmatched: list[LineIssue] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    ops: Operations = field(default_factory=Operations, repr=False, compare=False)

    @property
    def is_valid(self) -> bool:
        return not self.rejected and not self.unmatched

    @property
    def has_changes(self) -> bool:
        counts = self.counts()
        return any(counts[key] for key in CHANGE_KEYS)

    def counts(self) -> dict[str, int]:
        return {
            "pupils_created": len(self.pupils_created),
            "pupils_updated": len(self.pupils_updated),
            "pupils_moved": len(self.pupils_moved),
            "pupils_left": len(self.pupils_left),
            "pupils_unchanged": self.pupils_unchanged,
            "classes_created": len(self.classes_created),
            "classes_updated": len(self.classes_updated),
            "guardians_created": len(self.guardians_created),
            "guardians_updated": len(self.guardians_updated),
            "guardians_unchanged": self.guardians_unchanged,
            "links_created": len(self.links_created),
            "links_removed": len(self.links_removed),
            "consent_photo": self.consent_photo,
            "consent_associations": self.consent_associations,
            "rejected": len(self.rejected),
            "unmatched": len(self.unmatched),
        }

    def issues(self) -> list[LineIssue]:
        """Every reason the import is refused, in file and line order."""
        return sorted(
            self.rejected + self.unmatched, key=lambda i: (i.file != "pupils", i.file, i.line)
        )

    def as_dict(self) -> dict[str, Any]:
        """Everything but the operations, for templates and the stored summary."""
        data: dict[str, Any] = {}
        for item in fields(self):
            if item.name != "ops":
                value = getattr(self, item.name)
                data[item.name] = (
                    [asdict(v) if is_dataclass(v) else v for v in value]  # type: ignore[arg-type]
                    if isinstance(value, list)
                    else value
                )
        data["counts"] = self.counts()
        data["is_valid"] = self.is_valid
        data["has_changes"] = self.has_changes
        return data


CHANGE_KEYS = (
    "pupils_created", "pupils_updated", "pupils_moved", "pupils_left", "classes_created",
    "classes_updated", "guardians_created", "guardians_updated", "links_created",
    "links_removed",
)  # fmt: skip


class OndeRejected(Exception):
    """The import was refused: nothing was written. ``plan`` says why."""

    def __init__(self, plan: OndePlan) -> None:
        super().__init__(f"ONDE import refused: {len(plan.issues())} problem(s)")
        self.plan = plan
