"""Run every benchmark in turn and print their figures (``make bench``).

Benchmarks print figures and never pass or fail. Copy what they print into
docs/performance.md with the date and the machine.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from _common import DEFAULT_PG, postgres_reachable

HERE = Path(__file__).resolve().parent


def main() -> None:
    runs = [
        ["onde_import.py"],
        ["guardian_home.py"],
        ["claim_export.py"],  # SQLite, and PostgreSQL when it answers
        ["programme_dashboard.py"],
    ]
    if postgres_reachable():
        runs.append(["guardian_home.py", "--database-url", DEFAULT_PG])
        runs.append(["ent_morning_peak.py"])
    failed = []
    for name, *args in runs:
        print(f"\n=== {name} {' '.join(args)} ===", flush=True)
        done = subprocess.run([sys.executable, str(HERE / name), *args], check=False)
        if done.returncode:
            failed.append(" ".join([name, *args]))
    if failed:
        # A benchmark that could not run is reported, not hidden; it is not a verdict.
        print(f"\nCould not run: {', '.join(failed)}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
