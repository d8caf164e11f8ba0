"""ONDE import of a 600-pupil school (pupils + guardians): seconds and queries.

For each database, a throwaway instance is migrated and loaded with the Lorient demo
world (so the tables hold a city's ~3,000 pupils, as in production), then a new
600-pupil élémentaire is imported from generated exports
(``preau.directory.onde.samples.make_school_exports``): the preview (plan), the first
import (everything created), then the same files again (nothing changes).

    python bench/onde_import.py [--sqlite] [--postgres [URL]]

With no option: SQLite, and PostgreSQL too if a server answers on 127.0.0.1:5432
(database ``preau_bench``, dropped and created for the run, dropped after).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

from _common import DEFAULT_PG, ROOT, Instance, machine, postgres_reachable, table

PUPILS = 600
CLASSES = 24


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sqlite", action="store_true")
    parser.add_argument("--postgres", nargs="?", const=DEFAULT_PG, default=None, metavar="URL")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure()
        return
    targets: list[str | None] = []
    if args.sqlite or not args.postgres:
        targets.append(None)
    if args.postgres:
        targets.append(args.postgres)
    elif not args.sqlite and postgres_reachable():
        targets.append(DEFAULT_PG)
    print(f"ONDE import, {PUPILS} pupils in {CLASSES} classes — {machine()}")
    for url in targets:
        instance = Instance(url)
        try:
            instance.preau("migrate", "--noinput")
            instance.preau("demo")
            subprocess.run(
                [sys.executable, __file__, "--measure"], env=instance.env, cwd=ROOT, check=True
            )
        finally:
            instance.close()
    if args.postgres is None and not args.sqlite and not postgres_reachable():
        print("PostgreSQL: not measured (no server on 127.0.0.1:5432).")


def measure() -> None:
    import django

    django.setup()
    from django.db import connection

    from preau.directory.models import Municipality, School, SchoolGroup, Site
    from preau.directory.onde.plan import CHANGE_KEYS
    from preau.directory.onde.samples import make_school_exports
    from preau.directory.services import apply_onde_import, plan_onde_import

    lorient = Municipality.objects.get(insee_code="56121")
    group = SchoolGroup.objects.create(municipality=lorient, name="Groupe scolaire du banc")
    site = Site.objects.create(
        municipality=lorient, group=group, name="Site du banc", postcode="56100", city="Lorient"
    )
    school = School.objects.create(
        municipality=lorient,
        group=group,
        site=site,
        uai="0560999Z",
        name="École élémentaire du banc",
        kind=School.Kind.ELEMENTAIRE,
    )
    pupils_csv, guardians_csv = make_school_exports(uai_seed=999, pupils=PUPILS, classes=CLASSES)

    def plan() -> Any:
        return plan_onde_import(school=school, pupils_csv=pupils_csv, guardians_csv=guardians_csv)

    def apply() -> Any:
        return apply_onde_import(
            school=school, pupils_csv=pupils_csv, guardians_csv=guardians_csv, actor=None
        )

    rows = [("step", "seconds", "queries", "changes")]
    for step, call in (
        ("preview, empty school", plan),
        ("first import", apply),
        ("preview, same files again", plan),
        ("import same files again", apply),
    ):
        seconds, queries, result = timed(connection, call)
        counts = result.counts()
        changes = ", ".join(f"{k} {counts[k]}" for k in CHANGE_KEYS if counts.get(k)) or "none"
        rows.append((step, f"{seconds:.2f}", str(queries), changes))
    engine = connection.vendor
    print(
        f"\n{engine}: {len(pupils_csv) // 1024} KiB pupils file, "
        f"{len(guardians_csv) // 1024} KiB guardians file"
    )
    print(table(rows))


def timed(connection: Any, call: Callable[[], Any]) -> tuple[float, int, Any]:
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        result = call()
        seconds = time.perf_counter() - started
    return seconds, len(queries), result


if __name__ == "__main__":
    os.chdir(ROOT)
    main()
