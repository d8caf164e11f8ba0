"""The morning peak of the school–family workspace: guardians open Préau before school.

Loads the Lorient demo world (3,000 pupils, about 4,800 guardians, a school year of news,
notes and messages) into a throwaway instance — PostgreSQL by default, as in production —
starts gunicorn on a free port and replays guardians' visits with wrk: each visit is one
guardian opening their home page, the news, their notes, one note, and their inbox, with
their own session (sessions are created in the database as the login form would: logging
in is measured apart, because a guardian stays logged in between two mornings).

For 1, 10, 50 and 200 concurrent connections it prints requests/s, p50/p95/p99 latency
and the CPU the server spent per visit (gunicorn's processes and PostgreSQL's, read from
/proc), beside a minimal Django view on the same stack (/healthz with a session: the
floor). It ends with what that means for Lorient's 07:30–08:30 peak (every guardian once)
on a 2-core server.

    python bench/ent_morning_peak.py [--database-url URL] [--duration 15] [--guardians 1000]

Needs wrk (Debian: ``apt-get install wrk``). Prints figures; never passes or fails.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from _common import DEFAULT_PG, Instance, gunicorn, machine, postgres_reachable, session_for, table

CONCURRENCY = (1, 10, 50, 200)
VISIT_PAGES = 5  # home, news, notes, one note, inbox
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")

LUA = r"""
-- Each connection replays whole visits: one guardian, their five pages, in order.
local users = {}
for line in io.lines("%(users)s") do
  local fields = {}
  for f in line:gmatch("%%S+") do fields[#fields + 1] = f end
  users[#users + 1] = fields
end
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("offset", counter * 7919)
end
function init(args)
  step = 0
  visit = offset
end
function request()
  local user = users[(visit %% #users) + 1]
  local path = user[step + 2]
  step = step + 1
  if step == #user - 1 then
    step = 0
    visit = visit + 1
  end
  return wrk.format("GET", path, {["Cookie"] = "sessionid=" .. user[1]})
end
"""
DONE_LUA = r"""
function done(summary, latency, requests)
  io.write(string.format("PERCENTILES %d %d %d\n",
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
  io.write(string.format("NON2XX %d\n", summary.errors.status))
end
"""


@dataclass
class Run:
    label: str
    connections: int
    requests: int
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    errors: int
    app_cpu_s: float
    db_cpu_s: float

    @property
    def cpu_per_request_ms(self) -> float:
        return (self.app_cpu_s + self.db_cpu_s) * 1000 / max(self.requests, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=None, help=f"default: {DEFAULT_PG}")
    parser.add_argument("--duration", type=int, default=15, help="seconds of load per run")
    parser.add_argument("--guardians", type=int, default=1000, help="distinct guardians replayed")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (Debian: apt-get install wrk).")
    url = args.database_url
    if url is None:
        if not postgres_reachable():
            raise SystemExit(f"PostgreSQL is not reachable at {DEFAULT_PG}; pass --database-url.")
        url = DEFAULT_PG
    instance = Instance(url)
    try:
        run(instance, args)
    finally:
        instance.close()


def run(instance: Instance, args: argparse.Namespace) -> None:
    print(f"ENT morning peak — {instance.engine}, {machine()}")
    seconds = instance.load_demo()
    print(f"demo world loaded in {seconds:.1f} s (preau demo, wall time incl. start-up)")
    instance.use_in_this_process()
    import django

    django.setup()
    workdir = Path(tempfile.mkdtemp(prefix="preau-peak-"))
    try:
        users_file, sample = prepare_sessions(workdir, args.guardians)
        print(f"{args.guardians} guardians' sessions created; one visit = {VISIT_PAGES} pages:")
        print("  " + " ".join(sample))
        login_ms = login_cost()
        print(f"one login (password check + session): {login_ms:.0f} ms of CPU")
        script = workdir / "visits.lua"
        script.write_text(LUA % {"users": users_file} + DONE_LUA)
        runs = serve_and_load(instance, args, script, users_file)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    report(runs, login_ms, args)


def prepare_sessions(workdir: Path, count: int) -> tuple[Path, list[str]]:
    """Sessions for ``count`` guardians with an account, and each one's visit."""
    from preau.accounts.models import User
    from preau.liaison.models import NoteGuardian

    users = list(User.objects.filter(guardian__isnull=False, is_active=True).order_by("pk")[:count])
    if not users:
        raise SystemExit("The demo world has no guardian with an account.")
    notes = dict(
        NoteGuardian.objects.filter(guardian__user__in=users)
        .order_by("guardian__user_id", "-recipient__note_id")
        .values_list("guardian__user_id", "recipient__note_id")
    )
    lines = []
    for user in users:
        note = notes.get(user.pk)
        pages = ["/", "/news/", "/notes/", f"/notes/{note}/" if note else "/notes/", "/messages/"]
        lines.append(" ".join([session_for(user), *pages]))
    path = workdir / "users.txt"
    path.write_text("\n".join(lines) + "\n")
    return path, lines[0].split()[1:]


def login_cost() -> float:
    """CPU milliseconds of one real login through the login form (median of 3)."""
    from django.test import Client

    from preau.accounts.models import User
    from preau.demo.load import DEMO_PASSWORD

    username = (
        User.objects.filter(guardian__isnull=False, is_active=True)
        .order_by("pk")
        .values_list("username", flat=True)
        .first()
    )
    times = []
    for _ in range(3):
        client = Client(HTTP_HOST="127.0.0.1")
        client.get("/accounts/login/")
        started = time.process_time()
        response = client.post(
            "/accounts/login/", {"login": username, "password": DEMO_PASSWORD}, follow=False
        )
        times.append((time.process_time() - started) * 1000)
        if response.status_code != 302:
            raise SystemExit(f"login answered {response.status_code}, not a redirect")
    return sorted(times)[1]


def _cpu_of(pattern: str) -> float:
    """CPU seconds (user + system) of every process whose command line matches."""
    total = 0
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
            if re.search(pattern, cmdline):
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                total += int(fields[11]) + int(fields[12])
        except (OSError, ValueError, IndexError):
            continue
    return total / CLOCK_TICKS


def serve_and_load(
    instance: Instance, args: argparse.Namespace, script: Path, users_file: Path
) -> list[Run]:
    runs = []
    with gunicorn(instance, workers=args.workers, backlog=512) as base:
        warm = ["-t1", "-c2", "-d3s", "-s", str(script), base]
        subprocess.run(["wrk", *warm], check=True, capture_output=True)
        for connections in CONCURRENCY:
            runs.append(wrk_run(base, script, connections, args, f"visits, {connections}"))
        session = users_file.read_text().split()[0]
        floor = workdir_floor(script.parent, session)
        runs.append(wrk_run(f"{base}/healthz", floor, 10, args, "floor: /healthz, 10"))
    return runs


def workdir_floor(workdir: Path, session: str) -> Path:
    """The floor's script: the same session on every request, the same figures printed."""
    script = workdir / "floor.lua"
    script.write_text(f'wrk.headers["Cookie"] = "sessionid={session}"\n' + DONE_LUA)
    return script


def wrk_run(base: str, script: Path, connections: int, args: argparse.Namespace, label: str) -> Run:
    time.sleep(2)  # let the previous run's connections close
    app_before = _cpu_of(r"gunicorn preau\.wsgi")
    db_before = _cpu_of(r"^postgres")
    threads = min(2, connections)
    out = subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{args.duration}s",
            "--timeout",
            "30s",
            "-s",
            str(script),
            base,
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    app_cpu = _cpu_of(r"gunicorn preau\.wsgi") - app_before
    db_cpu = _cpu_of(r"^postgres") - db_before

    def found(pattern: str) -> tuple[str, ...]:
        match = re.search(pattern, out)
        if match is None:
            raise SystemExit(f"wrk printed no {pattern!r}:\n{out}")
        return match.groups()

    requests = int(found(r"(\d+) requests in")[0])
    rps = float(found(r"Requests/sec:\s+([\d.]+)")[0])
    p50, p95, p99 = (int(x) / 1000 for x in found(r"PERCENTILES (\d+) (\d+) (\d+)"))
    errors = int(found(r"NON2XX (\d+)")[0])
    return Run(label, connections, requests, rps, p50, p95, p99, errors, app_cpu, db_cpu)


def report(runs: list[Run], login_ms: float, args: argparse.Namespace) -> None:
    print(
        f"\nwrk, {args.duration} s per run, gunicorn {args.workers} sync workers, "
        "wrk and PostgreSQL on the same machine"
    )
    rows = [("run", "req/s", "p50 ms", "p95 ms", "p99 ms", "requests", "non-2xx", "CPU ms/req")]
    for r in runs:
        rows.append(
            (
                r.label,
                f"{r.rps:.1f}",
                f"{r.p50_ms:.0f}",
                f"{r.p95_ms:.0f}",
                f"{r.p99_ms:.0f}",
                str(r.requests),
                str(r.errors),
                f"{r.cpu_per_request_ms:.1f}",
            )
        )
    print(table(rows))
    loaded = [r for r in runs if r.connections >= 10 and not r.label.startswith("floor")]
    per_visit_ms = (
        sum(r.cpu_per_request_ms for r in loaded) / len(loaded) * VISIT_PAGES if loaded else 0.0
    )
    floor = runs[-1]
    print(
        f"\nCPU per guardian visit ({VISIT_PAGES} pages, app + database): {per_visit_ms:.0f} ms; "
        f"the floor view costs {floor.cpu_per_request_ms:.1f} ms per request"
    )
    guardians = 5000
    peak_cpu_s = guardians * per_visit_ms / 1000
    print(
        f"Lorient's peak, every one of {guardians} guardians once between 07:30 and 08:30: "
        f"{peak_cpu_s:.0f} CPU-seconds in an hour = {peak_cpu_s / 7200:.1%} of a 2-core server"
    )
    if per_visit_ms:
        visits_per_hour = 7200 / (per_visit_ms / 1000) * 0.5  # keep half the CPU free
        print(
            f"at 50 % CPU, one 2-core server serves {visits_per_hour:,.0f} visits an hour: "
            f"{visits_per_hour / guardians:.1f} cities the size of Lorient"
        )
    logins_cpu = guardians * login_ms / 1000
    print(
        f"if every guardian also logged in that hour: +{logins_cpu:.0f} CPU-seconds "
        f"({logins_cpu / 7200:.1%} of the server) — password hashing dominates a login"
    )


if __name__ == "__main__":
    main()
