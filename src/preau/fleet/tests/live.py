"""A real gunicorn serving Préau on 127.0.0.1, on the test database.

PostgreSQL: gunicorn connects to the test database itself (the test must use
``transactional_db`` so that its rows are committed). SQLite: the test database lives in
memory, so it is copied to a file for gunicorn with SQLite's backup API, and copied back
when gunicorn stops, so the test reads what the server wrote through the ORM.
"""

from __future__ import annotations

import os
import secrets
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.db import connection


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _database_url(tmp: Path) -> str:
    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        user = quote(settings["USER"] or "")
        password = f":{quote(settings['PASSWORD'])}" if settings["PASSWORD"] else ""
        host = settings["HOST"] or "127.0.0.1"
        port = settings["PORT"] or 5432
        return f"postgres://{user}{password}@{host}:{port}/{settings['NAME']}"
    connection.ensure_connection()
    target = sqlite3.connect(tmp / "live.sqlite3")
    connection.connection.backup(target)
    target.close()
    return f"sqlite:///{tmp / 'live.sqlite3'}"


def _copy_back(tmp: Path) -> None:
    if connection.vendor != "sqlite":
        return
    source = sqlite3.connect(tmp / "live.sqlite3")
    source.backup(connection.connection)
    source.close()


@contextmanager
def live_gunicorn(tmp: Path, workers: int = 1, **env: str) -> Iterator[str]:
    """Yield the base URL of a gunicorn serving the test database; stop it afterwards."""
    port = free_port()
    environ: dict[str, Any] = os.environ | {
        "PREAU_DATABASE_URL": _database_url(tmp),
        "PREAU_VAR_DIR": str(tmp),
        "PREAU_SECRET_KEY": secrets.token_urlsafe(64),
        "PREAU_HTTPS": "0",
        "PREAU_DEBUG": "0",
        "PREAU_TESTING": "0",
        "PREAU_HUEY_IMMEDIATE": "1",  # parse in the worker process, before the test looks
        "PREAU_LOG_LEVEL": "WARNING",
        **env,
    }
    log = open(tmp / "gunicorn.log", "w")  # noqa: SIM115  (closed below)
    command = [
        sys.executable, "-m", "gunicorn", "preau.wsgi:application",
        "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--no-control-socket",
    ]  # fmt: skip
    process = subprocess.Popen(command, env=environ, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_for(url, process, tmp)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()
        _copy_back(tmp)


def _wait_for(url: str, process: subprocess.Popen[bytes], tmp: Path) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline or process.poll() is not None:
            process.kill()
            raise RuntimeError("gunicorn did not start:\n" + (tmp / "gunicorn.log").read_text())
        time.sleep(0.2)
