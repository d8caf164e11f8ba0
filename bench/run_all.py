"""Run every benchmark in turn and print their figures (``make bench``).

Benchmarks print figures and never pass or fail. Copy what they print into
docs/performance.md with the date and the machine.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHMARKS = ["onde_import.py", "guardian_home.py"]


def main() -> None:
    failed = []
    for name in BENCHMARKS:
        print(f"\n=== {name} ===", flush=True)
        done = subprocess.run([sys.executable, str(HERE / name), *sys.argv[1:]], check=False)
        if done.returncode:
            failed.append(name)
    if failed:
        # A benchmark that could not run is reported, not hidden; it is not a verdict.
        print(f"\nCould not run: {', '.join(failed)}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
