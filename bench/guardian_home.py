"""The guardian home page under load, next to the machine's floor.

Loads the Lorient demo world into a throwaway instance, starts gunicorn (2 sync workers,
no access log) on a free port, logs in as the demo guardian (a session created in the
database, as the login form would) and runs wrk for DURATION seconds on ``/`` (the
guardian home), then on ``/healthz`` (a minimal Django view on the same stack: the floor)
anonymously and with the guardian's session (what every logged-in request pays for the
session, the user and the middleware). Also prints the queries one request of each makes,
through Django's test client.

    python bench/guardian_home.py [--database-url URL] [--duration 10] [--connections 8]

Needs wrk (Debian: ``apt-get install wrk``). Prints figures; never passes or fails.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass

from _common import Instance, gunicorn, machine, session_for, table

GUARDIAN = "parent"  # the demo guardian: two children in two classes
SAMPLES = 51
LABELS = ("/ (guardian home)", "/healthz anonymous", "/healthz as the guardian")


@dataclass
class WrkResult:
    url: str
    requests_per_second: float
    latency_avg: str
    latency_p50: str
    latency_p99: str
    requests: int
    errors: str


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=None, help="default: SQLite in a temp dir")
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per page")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (Debian: apt-get install wrk).")

    instance = Instance(args.database_url)
    try:
        run(instance, args)
    finally:
        instance.close()


def run(instance: Instance, args: argparse.Namespace) -> None:
    print(f"Guardian home page — {instance.engine}, {machine()}")
    load_seconds = instance.load_demo()
    print(f"demo world loaded in {load_seconds:.1f} s (preau demo, wall time incl. start-up)")

    instance.use_in_this_process()
    import django

    django.setup()
    session_key, queries, home_shows = prepare_django()
    print("queries per request: " + ", ".join(f"{k} {v}" for k, v in queries.items()))
    print(f"home page content: {home_shows}")
    server_ms = server_time(session_key)
    print(
        "server time per request, in-process WSGI call without HTTP (median of "
        f"{SAMPLES}): " + ", ".join(f"{k} {v:.1f} ms" for k, v in server_ms.items())
    )

    with gunicorn(instance, workers=args.workers) as base:
        check_logged_in(base, session_key)
        cookie = f"sessionid={session_key}"
        results = [
            wrk(f"{base}/", cookie, args),
            wrk(f"{base}/healthz", "", args),
            wrk(f"{base}/healthz", cookie, args),
        ]

    home, floor, floor_logged_in = results
    print(
        f"wrk -t{args.threads} -c{args.connections} -d{args.duration}s, "
        f"gunicorn {args.workers} sync workers, wrk on the same machine"
    )
    print(
        table(
            [
                ("page", "req/s", "avg", "p50", "p99", "requests", "errors"),
                *(
                    (
                        label,
                        f"{r.requests_per_second:.1f}",
                        r.latency_avg,
                        r.latency_p50,
                        r.latency_p99,
                        str(r.requests),
                        r.errors,
                    )
                    for label, r in zip(LABELS, results, strict=True)
                ),
            ]
        )
    )
    for label, other in ((LABELS[1], floor), (LABELS[2], floor_logged_in)):
        if other.requests_per_second:
            ratio = home.requests_per_second / other.requests_per_second
            print(f"guardian home / {label}: {ratio:.2f}")


def prepare_django() -> tuple[str, dict[str, int], str]:
    """A session for the demo guardian, and the queries each page makes."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from preau.accounts.models import User

    user = User.objects.get(username=GUARDIAN)
    session_key = session_for(user)

    anonymous = Client(HTTP_HOST="127.0.0.1")
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    counts: dict[str, int] = {}
    home = ""
    for label, path, who in zip(
        LABELS, ("/", "/healthz", "/healthz"), (client, anonymous, client), strict=True
    ):
        who.get(path)  # warm: first-request caches (templates, translations)
        with CaptureQueriesContext(connection) as queries:
            response = who.get(path)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code} to the test client.")
        counts[label] = len(queries)
        if path == "/":
            children = list(user.guardian.pupils.values_list("first_name", flat=True))
            body = response.content.decode()
            shown = [name for name in children if name in body]
            home = f"shows {len(shown)} of the guardian's {len(children)} children's names" + (
                " (placeholder page?)" if not shown else ""
            )
    return session_key, counts, home


def server_time(session_key: str) -> dict[str, float]:
    """What one request costs the server alone: the WSGI application called directly,
    connections closed after each request as under gunicorn."""
    import io

    from django.core.wsgi import get_wsgi_application

    application = get_wsgi_application()

    def call(path: str, cookie: str) -> None:
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path,
            "QUERY_STRING": "",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "80",
            "HTTP_HOST": "127.0.0.1",
            "wsgi.input": io.BytesIO(),
            "wsgi.url_scheme": "http",
            "wsgi.errors": sys.stderr,
        }
        if cookie:
            environ["HTTP_COOKIE"] = cookie
        response = application(environ, lambda status, headers: None)
        b"".join(response)
        response.close()  # type: ignore[attr-defined]  # sends request_finished

    result = {}
    cookie = f"sessionid={session_key}"
    for label, path, sent in zip(
        LABELS, ("/", "/healthz", "/healthz"), (cookie, "", cookie), strict=True
    ):
        call(path, sent)
        times = []
        for _ in range(SAMPLES):
            started = time.perf_counter()
            call(path, sent)
            times.append((time.perf_counter() - started) * 1000)
        result[label] = sorted(times)[SAMPLES // 2]
    return result


def check_logged_in(base: str, session_key: str) -> None:
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: object, **kwargs: object) -> None:
            return None

    opener = urllib.request.build_opener(NoRedirect)
    cookie = {"Cookie": f"sessionid={session_key}"}
    request = urllib.request.Request(f"{base}/", headers=cookie)
    with opener.open(request, timeout=10) as response:
        if response.status != 200:
            raise SystemExit(f"/ answered {response.status}: the session is not accepted.")


def wrk(url: str, cookie: str, args: argparse.Namespace) -> WrkResult:
    time.sleep(1)  # let the previous run's connections close
    headers = ["-H", f"Cookie: {cookie}"] if cookie else []
    out = subprocess.run(
        [
            "wrk",
            f"-t{args.threads}",
            f"-c{args.connections}",
            f"-d{args.duration}s",
            "--latency",
            *headers,
            url,
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout

    def find(pattern: str) -> str:
        match = re.search(pattern, out, re.MULTILINE)
        return match.group(1) if match else "?"

    errors = [
        f"{m.group(1)}: {m.group(2)}"
        for m in re.finditer(r"^\s*(Non-2xx or 3xx responses|Socket errors): (.+)$", out, re.M)
    ]
    return WrkResult(
        url=url,
        requests_per_second=float(find(r"^Requests/sec:\s+([\d.]+)")),
        latency_avg=find(r"^\s+Latency\s+(\S+)"),
        latency_p50=find(r"^\s+50%\s+(\S+)"),
        latency_p99=find(r"^\s+99%\s+(\S+)"),
        requests=int(find(r"^\s+(\d+) requests in")),
        errors="; ".join(errors) or "none",
    )


if __name__ == "__main__":
    main()
