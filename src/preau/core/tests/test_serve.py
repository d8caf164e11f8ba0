"""`preau serve`: gunicorn and the Huey consumer, started, watched and stopped together."""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from django.core.management import CommandError

from preau.core.management.commands.serve import public_url, split_bind


def test_bind_is_parsed_and_shown_as_a_url():
    assert split_bind("127.0.0.1:8000") == ("127.0.0.1", 8000)
    assert split_bind("[::1]:9000") == ("::1", 9000)
    assert public_url("0.0.0.0:8080") == "http://127.0.0.1:8080/"
    for bad in ("8000", "localhost", "host:port", ":80"):
        with pytest.raises(CommandError, match="HOST:PORT"):
            split_bind(bad)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _children(pid: int) -> list[int]:
    out = subprocess.run(
        ["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True, check=False
    ).stdout
    return [int(line) for line in out.split()]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie is dead for our purpose.
    state = subprocess.run(
        ["ps", "-o", "stat=", "-p", str(pid)], capture_output=True, text=True, check=False
    ).stdout.strip()
    return bool(state) and not state.startswith("Z")


def _cmdline(pid: int) -> bytes:
    with open(f"/proc/{pid}/cmdline", "rb") as f:
        return f.read()


@pytest.fixture
def served(tmp_path):
    """A real `preau serve` on a free port, in its own var/ (nothing migrated: /healthz
    needs no database)."""
    port = _free_port()
    env = os.environ | {
        "PREAU_VAR_DIR": str(tmp_path),
        "PREAU_SECRET_KEY": secrets.token_urlsafe(64),
        "PREAU_HTTPS": "0",
        "PREAU_DEBUG": "0",
        "PREAU_BIND": f"127.0.0.1:{port}",
        "PREAU_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    env.pop("PREAU_REDIS_URL", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "preau.cli", "serve"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}/healthz"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                assert response.read() == b"ok"
                break
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                pytest.fail(f"preau serve did not answer:\n{process.communicate()[0]}")
            time.sleep(0.3)
    yield process, port
    if process.poll() is None:
        process.kill()
        process.wait()


def test_serve_answers_and_stops_both_children_on_sigterm(served):
    process, port = served
    children = _children(process.pid)
    assert len(children) == 2  # gunicorn's master and the Huey consumer
    process.send_signal(signal.SIGTERM)
    out, _ = process.communicate(timeout=30)
    assert process.returncode == 0, out
    assert f"http://127.0.0.1:{port}/" in out
    assert not any(_alive(pid) for pid in children)
    with socket.socket() as sock:
        assert sock.connect_ex(("127.0.0.1", port)) != 0


def test_serve_exits_when_the_worker_dies(served):
    process, _port = served
    children = _children(process.pid)
    worker = next(pid for pid in children if b"run_huey" in _cmdline(pid))
    os.kill(worker, signal.SIGKILL)
    out, _ = process.communicate(timeout=30)
    assert process.returncode == 1
    assert "worker process stopped" in out
    assert not any(_alive(pid) for pid in children)


def test_serve_refuses_a_port_in_use(tmp_path):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        env = os.environ | {
            "PREAU_VAR_DIR": str(tmp_path),
            "PREAU_HTTPS": "0",
            "PREAU_SECRET_KEY": secrets.token_urlsafe(64),
        }
        done = subprocess.run(
            [sys.executable, "-m", "preau.cli", "serve", "--bind", f"127.0.0.1:{port}"],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert done.returncode == 1
    assert "already in use" in done.stderr
