"""What the benchmarks share: a throwaway Préau instance (var dir, database, settings).

Benchmarks print figures and never pass or fail; they are run by hand or by
``make bench`` and their results are copied into docs/performance.md.
"""

from __future__ import annotations

import os
import platform
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PREAU = [sys.executable, "-m", "preau.cli"]
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/preau_bench"


class Instance:
    """A Préau with its own var/ directory and database, gone when the bench ends."""

    def __init__(self, database_url: str | None = None) -> None:
        self.var_dir = Path(tempfile.mkdtemp(prefix="preau-bench-"))
        self.database_url = database_url
        self.env = os.environ | {
            "PREAU_VAR_DIR": str(self.var_dir),
            "PREAU_SECRET_KEY": secrets.token_urlsafe(64),
            "PREAU_DEBUG": "0",
            "PREAU_HTTPS": "0",
            "PREAU_LOG_LEVEL": "WARNING",
            "DJANGO_SETTINGS_MODULE": "preau.settings",
        }
        self.env.pop("PREAU_TESTING", None)
        if database_url:
            self.env["PREAU_DATABASE_URL"] = database_url
            if database_url.startswith("postgres"):
                recreate_postgres_database(database_url)

    @property
    def engine(self) -> str:
        return "PostgreSQL" if (self.database_url or "").startswith("postgres") else "SQLite"

    def preau(self, *args: str, quiet: bool = True) -> float:
        """Run a ``preau`` command against this instance; return its wall time."""
        started = time.perf_counter()
        subprocess.run(
            [*PREAU, *args],
            env=self.env,
            check=True,
            cwd=ROOT,
            stdout=subprocess.DEVNULL if quiet else None,
        )
        return time.perf_counter() - started

    def load_demo(self) -> float:
        """Migrate, make the cache table, collect the static files, load the Lorient demo
        world; return the demo's wall time (``preau demo``, start-up included)."""
        self.preau("migrate", "--noinput")
        self.preau("createcachetable")
        self.preau("collectstatic", "--noinput")
        return self.preau("demo")

    def use_in_this_process(self) -> None:
        """Point this process's Django at the instance (before django.setup())."""
        os.environ.update(self.env)

    def close(self) -> None:
        shutil.rmtree(self.var_dir, ignore_errors=True)
        if self.database_url and self.database_url.startswith("postgres"):
            drop_postgres_database(self.database_url)


def _admin_connection(database_url: str) -> tuple[object, str]:
    import psycopg

    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    if not name.startswith("preau_bench"):
        raise SystemExit(f"Refusing to recreate {name!r}: bench databases are named preau_bench*.")
    admin_url = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    return psycopg.connect(admin_url, autocommit=True), name


def recreate_postgres_database(database_url: str) -> None:
    conn, name = _admin_connection(database_url)
    with conn:  # type: ignore[attr-defined]
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')  # type: ignore[attr-defined]
        conn.execute(f'CREATE DATABASE "{name}"')  # type: ignore[attr-defined]


def drop_postgres_database(database_url: str) -> None:
    conn, name = _admin_connection(database_url)
    with conn:  # type: ignore[attr-defined]
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')  # type: ignore[attr-defined]


def postgres_reachable(database_url: str = DEFAULT_PG) -> bool:
    parts = urlsplit(database_url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 5432), 1):
            return True
    except OSError:
        return False


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_port(port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise SystemExit(f"Nothing listens on 127.0.0.1:{port} after {timeout:.0f} s.")


@contextmanager
def gunicorn(instance: Instance, *, workers: int, backlog: int | None = None) -> Iterator[str]:
    """gunicorn serving ``instance`` on a free port (sync workers, errors only, no access
    log) until the block ends; yields its base URL once it listens."""
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", "preau.wsgi:application",
               "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
               "--no-control-socket", "--error-logfile", "-", "--log-level", "warning"]  # fmt: skip
    if backlog is not None:
        command += ["--backlog", str(backlog)]
    server = subprocess.Popen(command, env=instance.env, cwd=ROOT)
    try:
        wait_for_port(port)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=30)


def session_for(user: Any) -> str:
    """A session key for ``user``, made in the database as the login form would (Django
    must be set up: ``Instance.use_in_this_process`` then ``django.setup()``)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    assert session.session_key is not None
    return session.session_key


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (
        f"{os.cpu_count()} CPUs ({cpu}), Python {platform.python_version()}, "
        f"load average before the run {load}"
    )


def table(rows: Sequence[tuple[str, ...]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in rows
    )
