"""Build an :class:`OndePlan`: parse both files, compare with the directory, write nothing.

Reads a fixed number of queries whatever the school's size: the current year, the
school's classes, its pupils (and those the file's INEs name), their open enrolments,
the municipality's guardians and the pupils' legal links.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from typing import Any, TypeVar

from django.db.models import Model, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from preau.directory.models import (
    LEVEL_ORDER,
    Enrolment,
    Guardian,
    GuardianLink,
    Pupil,
    School,
    SchoolClass,
    SchoolYear,
)
from preau.directory.onde.errors import LineIssue, OndeFileError
from preau.directory.onde.guardians import GuardianFile, GuardianRecord, parse_guardians
from preau.directory.onde.matching import match_children
from preau.directory.onde.plan import Change, OndePlan
from preau.directory.onde.pupils import PupilFile, PupilRecord, parse_pupils
from preau.directory.onde.values import fold

T = TypeVar("T")
PUPIL_FIELDS = ("last_name", "usage_name", "first_name", "birth_date", "sex", "level", "ine",
                "consent_photo", "consent_associations")  # fmt: skip
GUARDIAN_FIELDS = ("civility", "last_name", "usage_name", "first_name", "email", "phone_mobile")


def build_plan(school: School, pupils_csv: bytes, guardians_csv: bytes | None) -> OndePlan:
    plan = OndePlan(school_id=school.pk, school_name=school.name)
    pupil_file = _read(plan, parse_pupils, pupils_csv)
    guardian_file: GuardianFile | None = None
    if guardians_csv is not None:
        guardian_file = _read(plan, parse_guardians, guardians_csv)
    elif pupil_file is not None and pupil_file.has_guardian_columns:
        guardian_file = _read(plan, lambda data: parse_guardians(data, "pupils"), pupils_csv)
    if pupil_file is None:
        return plan
    plan.rejected.extend(pupil_file.issues)
    _note_columns(plan, _("pupils file"), pupil_file.columns.unknown)
    try:
        year = SchoolYear.current()
    except SchoolYear.DoesNotExist:
        plan.rejected.append(
            LineIssue(
                "pupils",
                0,
                "",
                _("No current school year is set: a city administrator must set one first."),
            )
        )
        return plan
    plan.ops.today, plan.ops.year_id = timezone.localdate(), year.pk
    records = pupil_file.records
    classes = _plan_classes(plan, school, year, records)
    pupils = _plan_pupils(plan, school, pupil_file, classes)
    plan.consent_photo = sum(1 for r in records if r.consent_photo)
    plan.consent_associations = sum(1 for r in records if r.consent_associations)
    if guardian_file is None:
        plan.notes.append(_("No guardians file: guardians and legal links are left unchanged."))
    else:
        plan.rejected.extend(guardian_file.issues)
        _note_columns(plan, _("guardians file"), guardian_file.unknown_columns)
        if guardian_file.organisations_skipped:
            plan.notes.append(
                _(
                    "The table of organisations at the end of the guardians file "
                    "was skipped: it lists no guardian."
                )
            )
        _plan_guardians(plan, school, guardian_file, records, pupils)
    return plan


def _read(plan: OndePlan, parse: Callable[[bytes], T], data: bytes) -> T | None:
    try:
        return parse(data)
    except OndeFileError as exc:
        plan.rejected.append(exc.as_issue())
        return None


def _note_columns(plan: OndePlan, file: str, unknown: list[str]) -> None:
    if unknown:
        plan.notes.append(
            _("Columns not used in the %(file)s: %(columns)s.")
            % {"file": file, "columns": ", ".join(unknown)}
        )


def show(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, list):
        return "-".join(value)
    return str(value)


def field_label(model: type[Model], name: str) -> str:
    return str(getattr(model._meta.get_field(name), "verbose_name", name))


def _level_order(level: str) -> int:
    return LEVEL_ORDER.index(level) if level in LEVEL_ORDER else 99


# Classes --------------------------------------------------------------------------------


def _plan_classes(
    plan: OndePlan, school: School, year: SchoolYear, records: list[PupilRecord]
) -> dict[str, SchoolClass]:
    """The class of every label in the file (existing, renamed or to create)."""
    existing = list(SchoolClass.objects.filter(school=school, year=year))
    by_onde_id = {c.onde_id: c for c in existing if c.onde_id}
    by_label = {fold(c.label): c for c in existing}
    groups: dict[str, list[PupilRecord]] = defaultdict(list)
    for record in records:
        groups[fold(record.class_label)].append(record)
    result: dict[str, SchoolClass] = {}
    for key, members in groups.items():
        label = members[0].class_label
        onde_id = next((r.class_id for r in members if r.class_id), "")
        levels = sorted({r.level for r in members if r.level}, key=_level_order)
        found = (by_onde_id.get(onde_id) if onde_id else None) or by_label.get(key)
        if found is None:
            found = SchoolClass(
                school=school,
                year=year,
                label=label,
                onde_id=onde_id,
                levels=levels,
                is_ulis="ulis" in key.split(),
            )
            plan.ops.new_classes.append(found)
            plan.classes_created.append(Change(name=label, changes={"levels": ["", show(levels)]}))
        else:
            _update_class(plan, found, label, onde_id, levels, by_label.get(key))
        result[key] = found
    return result


def _update_class(
    plan: OndePlan,
    cls: SchoolClass,
    label: str,
    onde_id: str,
    levels: list[str],
    same_label: SchoolClass | None,
) -> None:
    changes: dict[str, list[str]] = {}
    if cls.label != label:
        if same_label is not None and same_label.pk != cls.pk:
            plan.rejected.append(
                LineIssue(
                    "pupils",
                    0,
                    "",
                    _(
                        "Class %(id)s is now called “%(label)s”, but another class already has "
                        "that name this year."
                    )
                    % {"id": onde_id, "label": label},
                )
            )
            return
        changes["label"] = [cls.label, label]
        cls.label = label
    if onde_id and cls.onde_id != onde_id:
        changes["onde_id"] = [cls.onde_id, onde_id]
        cls.onde_id = onde_id
    if levels and sorted(cls.levels, key=_level_order) != levels:
        changes["levels"] = [show(sorted(cls.levels, key=_level_order)), show(levels)]
        cls.levels = levels
    if changes:
        plan.ops.changed_classes.append(cls)
        plan.classes_updated.append(Change(name=label, changes=changes))


# Pupils ---------------------------------------------------------------------------------


class _PupilFinder:
    def __init__(self, school: School, records: list[PupilRecord]) -> None:
        ines = {r.ine for r in records if r.ine}
        self.school = school
        self.candidates = list(Pupil.objects.filter(Q(school=school) | Q(ine__in=ines)))
        self.by_ine = {p.ine: p for p in self.candidates if p.ine}
        self.by_key: dict[tuple[str, str, dt.date], list[Pupil]] = defaultdict(list)
        for pupil in self.candidates:
            if pupil.school_id == school.pk:
                key = (fold(pupil.last_name), fold(pupil.first_name), pupil.birth_date)
                self.by_key[key].append(pupil)
        self.enrolments = {
            e.pupil_id: e
            for e in Enrolment.objects.filter(
                pupil_id__in=[p.pk for p in self.candidates], ended_on__isnull=True
            ).select_related("school_class")
        }

    def find(self, record: PupilRecord) -> Pupil | None:
        if record.ine and record.ine in self.by_ine:
            return self.by_ine[record.ine]
        same = [
            p
            for p in self.by_key.get(record.natural_key, [])
            if not (p.ine and record.ine and p.ine != record.ine)
        ]
        return same[0] if len(same) == 1 else None


def _plan_pupils(
    plan: OndePlan, school: School, pupil_file: PupilFile, classes: dict[str, SchoolClass]
) -> dict[int, Pupil]:
    """The pupil of every line of the file (existing or to create), by line number."""
    finder = _PupilFinder(school, pupil_file.records)
    present = set(pupil_file.columns.positions)
    claimed: dict[int, int] = {}  # pupil pk → line that claimed it
    by_line: dict[int, Pupil] = {}
    for record in pupil_file.records:
        cls = classes[fold(record.class_label)]
        pupil = finder.find(record)
        if pupil is None:
            pupil = _new_pupil(school, record)
            plan.ops.new_pupils.append(pupil)
            plan.ops.new_enrolments.append((pupil, cls))
            plan.pupils_created.append(Change(record.display, record.line, record.class_label))
            by_line[record.line] = pupil
            continue
        if pupil.municipality_id != school.municipality_id:
            plan.rejected.append(
                LineIssue(
                    "pupils",
                    record.line,
                    "INE",
                    _(
                        "this INE belongs to a pupil of another municipality; their city must "
                        "release the pupil first"
                    ),
                )
            )
            continue
        if pupil.pk in claimed:
            plan.rejected.append(
                LineIssue(
                    "pupils",
                    record.line,
                    "",
                    _("this line and line %(line)s are the same pupil")
                    % {"line": claimed[pupil.pk]},
                )
            )
            continue
        claimed[pupil.pk] = record.line
        by_line[record.line] = pupil
        changed = _update_pupil(plan, school, pupil, record, present)
        _place_pupil(plan, finder, pupil, record, cls, changed)
    _plan_leavers(plan, finder, claimed, pupil_file.refused)
    return by_line


def _new_pupil(school: School, record: PupilRecord) -> Pupil:
    return Pupil(
        municipality_id=school.municipality_id,
        school=school,
        ine=record.ine,
        last_name=record.last_name,
        usage_name=record.usage_name,
        first_name=record.first_name,
        birth_date=record.birth_date,
        sex=record.sex,
        level=record.level,
        consent_photo=bool(record.consent_photo),
        consent_associations=bool(record.consent_associations),
    )


def _update_pupil(
    plan: OndePlan, school: School, pupil: Pupil, record: PupilRecord, present: set[str]
) -> bool:
    changes: dict[str, list[str]] = {}
    for name in PUPIL_FIELDS:
        new = getattr(record, name)
        if name not in present or (name in ("ine",) and not new) or new is None:
            continue  # an absent column (or INE) keeps what is stored
        old = getattr(pupil, name)
        if old != new:
            changes[field_label(Pupil, name)] = [show(old), show(new)]
            setattr(pupil, name, new)
            plan.ops.changed_pupil_fields.add(name)
    if pupil.left_on is not None:
        changes[str(_("left on"))] = [show(pupil.left_on), ""]
        pupil.left_on = None
        plan.ops.changed_pupil_fields.add("left_on")
    if pupil.school_id != school.pk:
        changes[str(_("school"))] = [_("another school"), school.name]
        pupil.school_id = school.pk
        plan.ops.changed_pupil_fields.add("school")
    if changes:
        plan.ops.changed_pupils.append(pupil)
        plan.pupils_updated.append(
            Change(record.display, record.line, record.class_label, changes=changes)
        )
    return bool(changes)


def _place_pupil(
    plan: OndePlan,
    finder: _PupilFinder,
    pupil: Pupil,
    record: PupilRecord,
    cls: SchoolClass,
    changed: bool,
) -> None:
    enrolment = finder.enrolments.get(pupil.pk)
    if enrolment is not None and cls.pk is not None and enrolment.school_class_id == cls.pk:
        plan.pupils_unchanged += 0 if changed else 1
        return
    if enrolment is not None:
        plan.ops.ended_enrolment_ids.append(enrolment.pk)
    plan.ops.new_enrolments.append((pupil, cls))
    plan.pupils_moved.append(
        Change(
            record.display,
            record.line,
            record.class_label,
            from_class=enrolment.school_class.label if enrolment is not None else "",
        )
    )


def _was_refused(pupil: Pupil, refused: set[tuple[str, ...]]) -> bool:
    """A pupil whose row was refused is not a leaver (the plan is invalid anyway)."""
    if pupil.ine and ("ine", pupil.ine) in refused:
        return True
    return ("name", fold(pupil.last_name), fold(pupil.first_name)) in refused


def _plan_leavers(
    plan: OndePlan, finder: _PupilFinder, claimed: dict[int, int], refused: set[tuple[str, ...]]
) -> None:
    for pupil in finder.candidates:
        if pupil.school_id != finder.school.pk or pupil.left_on is not None:
            continue
        if pupil.pk in claimed or _was_refused(pupil, refused):
            continue
        enrolment = finder.enrolments.get(pupil.pk)
        plan.ops.left_pupil_ids.append(pupil.pk)
        if enrolment is not None:
            plan.ops.ended_enrolment_ids.append(enrolment.pk)
        plan.pupils_left.append(
            Change(str(pupil), None, enrolment.school_class.label if enrolment is not None else "")
        )


# Guardians ------------------------------------------------------------------------------


def _guardian_keys(
    last_name: str, first_name: str, email: str, phone: str
) -> list[tuple[str, ...]]:
    who = (fold(last_name), fold(first_name))
    keys: list[tuple[str, ...]] = []
    if email:
        keys.append(("email", *who, email.lower()))
    if phone:
        keys.append(("phone", *who, phone))
    return keys or [("name", *who)]


class _GuardianFinder:
    def __init__(self, school: School) -> None:
        self.existing = {
            g.pk: g for g in Guardian.objects.filter(municipality_id=school.municipality_id)
        }
        self.index: dict[tuple[str, ...], Guardian] = {}
        for guardian in sorted(self.existing.values(), key=lambda g: g.pk):
            for key in _guardian_keys(
                guardian.last_name, guardian.first_name, guardian.email, guardian.phone_mobile
            ):
                self.index.setdefault(key, guardian)

    def find(self, keys: list[tuple[str, ...]]) -> Guardian | None:
        return next((self.index[key] for key in keys if key in self.index), None)


def _plan_guardians(
    plan: OndePlan,
    school: School,
    guardian_file: GuardianFile,
    records: list[PupilRecord],
    pupils: dict[int, Pupil],
) -> None:
    plan.guardians_imported = True
    matches, unmatched = match_children(guardian_file.records, records, guardian_file.file)
    plan.unmatched.extend(unmatched)
    finder = _GuardianFinder(school)
    seen: dict[tuple[str, ...], Guardian] = {}
    target: dict[int, Guardian] = {}  # id(record) → guardian
    touched: set[int] = set()
    for record in guardian_file.records:
        keys = _guardian_keys(
            record.last_name, record.first_name, record.email, record.phone_mobile
        )
        guardian = next((seen[k] for k in keys if k in seen), None) or finder.find(keys)
        if guardian is None:
            guardian = _new_guardian(school, record)
            plan.ops.new_guardians.append(guardian)
            plan.guardians_created.append(Change(record.display, record.line))
        elif guardian.pk is not None and guardian.pk not in touched:
            touched.add(guardian.pk)
            _update_guardian(plan, guardian, record, guardian_file.present)
        for key in keys:
            seen.setdefault(key, guardian)
        target[id(record)] = guardian
    plan.guardians_unchanged = len(touched) - len(plan.guardians_updated)
    _plan_links(
        plan,
        finder,
        [(target[id(m.guardian)], pupils[m.pupil.line]) for m in matches if m.pupil.line in pupils],
        pupils,
    )


def _new_guardian(school: School, record: GuardianRecord) -> Guardian:
    return Guardian(
        municipality_id=school.municipality_id,
        civility=record.civility,
        last_name=record.last_name,
        usage_name=record.usage_name,
        first_name=record.first_name,
        email=record.email,
        phone_mobile=record.phone_mobile,
    )


def _update_guardian(
    plan: OndePlan, guardian: Guardian, record: GuardianRecord, present: set[str]
) -> None:
    changes: dict[str, list[str]] = {}
    for name in GUARDIAN_FIELDS:
        if name not in present:
            continue
        old, new = getattr(guardian, name), getattr(record, name)
        if old != new:
            changes[field_label(Guardian, name)] = [show(old), show(new)]
            setattr(guardian, name, new)
            plan.ops.changed_guardian_fields.add(name)
    if changes:
        plan.ops.changed_guardians.append(guardian)
        plan.guardians_updated.append(Change(record.display, record.line, changes=changes))


def _plan_links(
    plan: OndePlan,
    finder: _GuardianFinder,
    wanted: list[tuple[Guardian, Pupil]],
    pupils: dict[int, Pupil],
) -> None:
    known = [p.pk for p in pupils.values() if p.pk is not None]
    current = {
        (g, p): (pk, source)
        for pk, g, p, source in GuardianLink.objects.filter(pupil_id__in=known).values_list(
            "pk", "guardian_id", "pupil_id", "source"
        )
    }
    kept: set[tuple[int, int]] = set()
    done: set[tuple[int, int]] = set()
    for guardian, pupil in wanted:
        pair = (id(guardian), id(pupil))
        if pair in done:
            continue
        done.add(pair)
        if guardian.pk is not None and pupil.pk is not None and (guardian.pk, pupil.pk) in current:
            kept.add((guardian.pk, pupil.pk))
            continue
        plan.ops.new_links.append((guardian, pupil))
        plan.links_created.append(Change(f"{_person(guardian)} → {_person(pupil)}"))
    by_pk = {p.pk: p for p in pupils.values() if p.pk is not None}
    for (guardian_id, pupil_id), (pk, source) in current.items():
        if source == "onde" and (guardian_id, pupil_id) not in kept:
            plan.ops.removed_link_ids.append(pk)
            former = finder.existing.get(guardian_id)
            who = _person(former) if former is not None else str(guardian_id)
            plan.links_removed.append(Change(f"{who} → {_person(by_pk[pupil_id])}"))


def _person(obj: Guardian | Pupil) -> str:
    return f"{obj.usage_name or obj.last_name} {obj.first_name}"
