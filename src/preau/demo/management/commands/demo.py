"""``preau demo``: load the Lorient demo world and print one login per role."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import ProtectedError

from preau.accounts.models import User
from preau.demo.load import DEMO_PASSWORD, AlreadyLoaded, has_directory, load_demo
from preau.demo.world import DEMO_ROLES, DEMO_USERNAMES, DemoLogin, DemoWorld

REFUSAL = (
    "The database already holds a municipality, so the demo world was not loaded (it "
    "would mix with the existing data). Run `preau demo --reset` to erase every "
    "directory and accounts record and load the demo world instead."
)


class Command(BaseCommand):
    help = "Load the Lorient demo world (28 schools, ~3,000 pupils) into an empty database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Erase the municipality's data first: directory, accounts, programme, sessions "
            "(the audit log stays).",
        )
        parser.add_argument(
            "--keep-existing",
            action="store_true",
            help="If the database already holds a municipality, keep it and exit "
            "successfully (what `make demo` does on a second run).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["keep_existing"] and not options["reset"] and has_directory():
            self.stdout.write(
                "The database already holds a directory: kept as it is "
                "(`preau demo --reset` loads the demo world afresh)."
            )
            self._print_existing_logins()
            return
        started = time.perf_counter()
        try:
            world = load_demo(reset=options["reset"])
        except AlreadyLoaded:
            raise CommandError(REFUSAL) from None
        except ProtectedError as exc:  # a newer app's rows still point at the directory
            kinds = sorted({str(obj._meta.verbose_name) for obj in exc.protected_objects})
            raise CommandError(
                f"--reset cannot erase the directory: {', '.join(kinds)} rows still "
                "refer to it. Nothing was changed."
            ) from None
        self._print_summary(world, time.perf_counter() - started)
        self._print_logins(world.logins)

    def _print_summary(self, world: DemoWorld, seconds: float) -> None:
        self.stdout.write(
            self.style.SUCCESS(
                f"Lorient demo world loaded in {seconds:.1f} s: {len(world.groups)} groupes "
                f"scolaires, {len(world.schools)} schools on {len(world.sites)} sites, "
                f"{len(world.classes)} classes, {len(world.pupils)} pupils, "
                f"{len(world.guardians)} guardians, {len(world.users)} accounts."
            )
        )

    def _print_logins(self, logins: list[DemoLogin]) -> None:
        order = {name: i for i, name in enumerate(DEMO_USERNAMES)}
        rows = [
            (x.role, x.username, x.who, x.scope)
            for x in sorted(logins, key=lambda x: order[x.username])
        ]
        self._table(rows)

    def _print_existing_logins(self) -> None:
        users = {u.username: u for u in User.objects.filter(username__in=DEMO_USERNAMES)}
        rows = [
            (role, name, users[name].get_full_name(), "")
            for name, role in DEMO_ROLES.items()
            if name in users
        ]
        if rows:
            self._table(rows)

    def _table(self, rows: list[tuple[str, str, str, str]]) -> None:
        header = ("role", "username", "name", "what they see")
        widths = [max(len(row[i]) for row in [header, *rows]) for i in range(4)]
        line = "  ".join("-" * w for w in widths)
        self.stdout.write("")
        self.stdout.write(f"Demo logins — every account's password is: {DEMO_PASSWORD}")
        self.stdout.write(line)
        for row in [header, *rows]:
            cells = (cell.ljust(width) for cell, width in zip(row, widths, strict=True))
            self.stdout.write("  ".join(cells).rstrip())
        self.stdout.write(line)
        self.stdout.write(
            "City roles (admin, technicien, programme) are asked to set up a second factor "
            "(TOTP, with any authenticator app) at their first login."
        )
