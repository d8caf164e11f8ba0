"""``preau import-onde --school UAI [--dry-run] PUPILS.csv [GUARDIANS.csv]``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from preau.directory.models import School
from preau.directory.onde.errors import OndeFileError
from preau.directory.onde.plan import OndePlan
from preau.directory.onde.reading import check_size
from preau.directory.services import OndeRejected, apply_onde_import, plan_onde_import

REJECTED = 2  # exit status for refused input or an unknown school

LABELS = {
    "pupils_created": "pupils created",
    "pupils_updated": "pupils updated",
    "pupils_moved": "pupils moved to another class",
    "pupils_left": "pupils marked as left",
    "pupils_unchanged": "pupils unchanged",
    "classes_created": "classes created",
    "classes_updated": "classes updated",
    "guardians_created": "guardians created",
    "guardians_updated": "guardians updated",
    "guardians_unchanged": "guardians unchanged",
    "links_created": "legal links created",
    "links_removed": "legal links removed",
    "consent_photo": "pupils with photo consent",
    "consent_associations": "pupils with consent to associations",
}


class Command(BaseCommand):
    help = "Import a school's ONDE exports (pupils, and optionally guardians): all or nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--school", required=True, metavar="UAI", help="the school's UAI")
        parser.add_argument(
            "--dry-run", action="store_true", help="show what would change and change nothing"
        )
        parser.add_argument("pupils", type=Path, metavar="PUPILS.csv")
        parser.add_argument("guardians", type=Path, nargs="?", metavar="GUARDIANS.csv")

    def handle(self, *args: Any, **options: Any) -> None:
        school = School.objects.filter(uai=options["school"].strip().upper()).first()
        if school is None:
            raise CommandError(f"No school has the UAI {options['school']}.", returncode=REJECTED)
        pupils = self._read(options["pupils"], "pupils")
        guardians = self._read(options["guardians"], "guardians") if options["guardians"] else None
        if options["dry_run"]:
            plan = plan_onde_import(school=school, pupils_csv=pupils, guardians_csv=guardians)
            self._report(plan, school, "Dry run: nothing was changed.")
            if not plan.is_valid:
                raise CommandError("The files would be refused.", returncode=REJECTED)
            return
        try:
            plan = apply_onde_import(
                school=school, pupils_csv=pupils, guardians_csv=guardians, actor=None
            )
        except OndeRejected as exc:
            self._report(exc.plan, school, "")
            raise CommandError(
                "Import refused: nothing was changed.", returncode=REJECTED
            ) from None
        self._report(plan, school, "Import applied.")

    def _read(self, path: Path, file: str) -> bytes:
        try:
            check_size(file, path.stat().st_size)  # before reading a byte of it
            return path.read_bytes()
        except OndeFileError as exc:
            raise CommandError(f"{path}: {exc.message}", returncode=REJECTED) from None
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}", returncode=REJECTED) from None

    def _report(self, plan: OndePlan, school: School, outcome: str) -> None:
        write = self.stdout.write
        write(f"ONDE import for {school.name} ({school.uai})")
        counts = plan.counts()
        for key, label in LABELS.items():
            if key.startswith(("guardians", "links")) and not plan.guardians_imported:
                continue
            write(f"  {label}: {counts[key]}")
        for change in plan.pupils_moved:
            write(f"  moved: {change.name}: {change.from_class or '-'} → {change.class_label}")
        for change in plan.pupils_left:
            write(f"  left: {change.name} ({change.class_label or '-'})")
        for note in plan.notes:
            write(f"  note: {note}")
        issues = plan.issues()
        if issues:
            self.stderr.write(f"{len(issues)} problem(s), the files are refused:")
            for issue in issues:
                where = f"line {issue.line}" if issue.line else "whole file"
                column = f", column {issue.column}" if issue.column else ""
                self.stderr.write(f"  {issue.file} file, {where}{column}: {issue.reason}")
        if outcome:
            write(outcome)
