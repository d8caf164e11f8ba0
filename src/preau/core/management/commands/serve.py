"""``preau serve``: the embedded mode's one command — gunicorn and the Huey consumer.

Both run as child processes. SIGINT and SIGTERM are passed on to them; when either
stops, the other is stopped too and the command exits, so a supervisor (systemd, a
container runtime, a terminal) sees one service that is either whole or gone.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from gunicorn import config as gunicorn_config

from preau.env import env_int, env_str

DEFAULT_BIND = "127.0.0.1:8000"
STOP_GRACE_SECONDS = 10
# The signal that asks each child to finish what it is doing and exit: gunicorn treats
# SIGTERM as graceful (SIGINT as quick), Huey SIGINT as graceful (SIGTERM as immediate).
GRACEFUL = {"web": signal.SIGTERM, "worker": signal.SIGINT}


def split_bind(bind: str) -> tuple[str, int]:
    host, sep, port = bind.rpartition(":")
    if not sep or not port.isdigit() or not host:
        raise CommandError(f"--bind / PREAU_BIND must look like HOST:PORT, not {bind!r}.")
    return host.strip("[]"), int(port)


def public_url(bind: str) -> str:
    host, port = split_bind(bind)
    if host in ("0.0.0.0", "::"):  # noqa: S104 - only to print a clickable address
        host = "127.0.0.1"
    return f"http://{host}:{port}/"


class Command(BaseCommand):
    help = "Serve Préau with gunicorn and run the background worker (Huey) beside it."
    requires_system_checks = []  # the children run the checks; this process only supervises

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--bind",
            default=env_str("PREAU_BIND", DEFAULT_BIND),
            help="HOST:PORT to listen on (default: $PREAU_BIND or 127.0.0.1:8000).",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=env_int("PREAU_WEB_WORKERS", 2, minimum=1),
            help="gunicorn worker processes (default: $PREAU_WEB_WORKERS or 2).",
        )
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="Do not start the Huey consumer (another host runs it).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        bind: str = options["bind"]
        host, port = split_bind(bind)
        if _port_in_use(host, port):
            raise CommandError(
                f"{bind} is already in use: stop what listens there, or "
                "choose another address with --bind or PREAU_BIND."
            )
        # Our own interpreter and fixed arguments: nothing here comes from a request.
        children = {"web": subprocess.Popen(_gunicorn_command(bind, options["workers"]))}
        if not options["no_worker"]:
            children["worker"] = subprocess.Popen([sys.executable, "-m", "preau.cli", "run_huey"])
        stopping: list[int] = []

        def forward(signum: int, frame: FrameType | None) -> None:
            stopping.append(signum)
            _signal_all(children, signum)

        signal.signal(signal.SIGINT, forward)
        signal.signal(signal.SIGTERM, forward)
        if _wait_until_listening(host, port, children):
            self.stdout.write(
                self.style.SUCCESS(
                    f"Préau is running at {public_url(bind)} (background worker: "
                    f"{'elsewhere' if options['no_worker'] else 'on'}). Ctrl+C stops it."
                )
            )
        ended, code = _wait_for_first_exit(children)
        if not stopping:
            self.stderr.write(
                f"The {ended} process stopped (exit status {code}); stopping the others."
            )
            for name, child in children.items():
                if child.poll() is None:
                    child.send_signal(GRACEFUL[name])
        _wait_or_kill(children)
        if code and not stopping:
            # A child killed by a signal has a negative status; exit 1 rather than wrap it.
            raise CommandError(f"The {ended} process failed.", returncode=max(code, 1))


def _gunicorn_command(bind: str, workers: int) -> list[str]:
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "preau.wsgi:application",
        "--bind",
        bind,
        "--workers",
        str(workers),
        "--access-logfile",
        "-",
        "--error-logfile",
        "-",
        "--graceful-timeout",
        str(STOP_GRACE_SECONDS),
        "--forwarded-allow-ips",
        os.environ.get("PREAU_FORWARDED_ALLOW_IPS", "127.0.0.1"),
    ]
    # gunicorn 25+ opens a control socket at one path in the home directory, shared by
    # every gunicorn of the user; Préau does not use it, so two instances must not race.
    if any(s.name == "control_socket_disable" for s in gunicorn_config.KNOWN_SETTINGS):
        command.append("--no-control-socket")
    return command


def _port_in_use(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.settimeout(0.5)
        return probe.connect_ex((host, port)) == 0


def _wait_until_listening(
    host: str, port: int, children: dict[str, subprocess.Popen[bytes]], timeout: float = 30.0
) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(child.poll() is not None for child in children.values()):
            return False
        if _port_in_use("127.0.0.1" if host in ("0.0.0.0", "") else host, port):  # noqa: S104
            return True
        time.sleep(0.2)
    return False


def _wait_for_first_exit(children: dict[str, subprocess.Popen[bytes]]) -> tuple[str, int]:
    while True:
        for name, child in children.items():
            code = child.poll()
            if code is not None:
                return name, code
        time.sleep(0.3)


def _signal_all(children: dict[str, subprocess.Popen[bytes]], signum: int) -> None:
    for child in children.values():
        if child.poll() is None:
            child.send_signal(signum)


def _wait_or_kill(children: dict[str, subprocess.Popen[bytes]]) -> None:
    deadline = time.monotonic() + STOP_GRACE_SECONDS
    for child in children.values():
        try:
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
