"""``preau import-accounting --programme ID [--dry-run] FILE.csv``: import engagements and
invoices from the accounting software's export, all or nothing (docs/programme-import.md).

Exit status 2 when the file is refused (nothing is written) or the programme unknown.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from preau.programme.accounting_import import (
    AccountingPlan,
    AccountingRejected,
    apply_import,
    build_plan,
)
from preau.programme.models import Programme

REJECTED = 2

LABELS = {
    "rows": "lines read",
    "suppliers_created": "suppliers created",
    "orders_created": "engagements created",
    "orders_updated": "engagements updated",
    "orders_unchanged": "engagements unchanged",
    "invoices_created": "invoices created",
    "invoices_updated": "invoices updated",
    "invoices_unchanged": "invoices unchanged",
    "payments_recorded": "payments recorded",
}


class Command(BaseCommand):
    help = "Import engagements and invoices from an accounting CSV export: all or nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--programme", required=True, type=int, metavar="ID")
        parser.add_argument(
            "--dry-run", action="store_true", help="show what would change and change nothing"
        )
        parser.add_argument("file", type=Path, metavar="FILE.csv")

    def handle(self, *args: Any, **options: Any) -> None:
        programme = (
            Programme.objects.select_related("municipality").filter(pk=options["programme"]).first()
        )
        if programme is None:
            raise CommandError(
                f"No programme has the id {options['programme']}.", returncode=REJECTED
            )
        path: Path = options["file"]
        data = self._read(path)
        if options["dry_run"]:
            plan = build_plan(programme, data)
            self._report(plan, programme, "Dry run: nothing was changed.")
            if not plan.is_valid:
                raise CommandError("The file would be refused.", returncode=REJECTED)
            return
        try:
            plan = apply_import(programme=programme, data=data, actor=None, filename=path.name)
        except AccountingRejected as rejected:
            self._report(rejected.plan, programme, "")
            raise CommandError(
                "Import refused: nothing was changed.", returncode=REJECTED
            ) from None
        self._report(plan, programme, "Import applied.")

    def _read(self, path: Path) -> bytes:
        try:
            size = path.stat().st_size
            if size > settings.PREAU_MAX_IMPORT_BYTES:
                raise CommandError(
                    f"{path}: the file is too large ({size} bytes).", returncode=REJECTED
                )
            return path.read_bytes()
        except OSError as error:
            raise CommandError(
                f"Cannot read {path}: {error.strerror}", returncode=REJECTED
            ) from None

    def _report(self, plan: AccountingPlan, programme: Programme, outcome: str) -> None:
        write = self.stdout.write
        write(f"Accounting import for {programme.name} ({programme.municipality.name})")
        if not plan.file_error:
            counts = plan.counts()
            for key, label in LABELS.items():
                write(f"  {label}: {counts[key]}")
            for warning in plan.warnings:
                write(f"  flagged: line {warning.line}, {warning.column}: {warning.reason}")
        issues = plan.all_issues()
        if issues:
            self.stderr.write(f"{len(issues)} problem(s), the file is refused:")
            for issue in issues:
                where = f"line {issue.line}" if issue.line else "whole file"
                column = f", column {issue.column}" if issue.column else ""
                self.stderr.write(f"  {where}{column}: {issue.reason}")
        if outcome:
            write(outcome)
