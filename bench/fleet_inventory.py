"""Inventories ingested per second, end to end, from payloads the real OCS agent sent.

Replays ``src/preau/fleet/tests/fixtures/ocs-inventory.zlib`` (913 packages, 360 KB of
XML, 43 KB compressed), each copy given its own DEVICEID, host name and MACs so that each
is a new device, over HTTP to gunicorn (2 sync workers) on PostgreSQL, with 1 and 4
concurrent senders. Huey runs inline (``PREAU_HUEY_IMMEDIATE=1``), so when the reply
arrives the device, its interfaces and its 913 programs are stored and queryable: the
figure is end to end. Then the same senders replay the same devices again (the daily
case: software unchanged). Server CPU per inventory comes from /proc (gunicorn's
processes). The floor: the same payloads decompressed and parsed by a bare defusedxml loop.

    python bench/fleet_inventory.py [--database-url URL] [--inventories 200]

The database: ``--database-url``, else ``postgres://postgres@127.0.0.1:5432/preau_bench``
(dropped and created). Prints figures; never passes or fails.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
import urllib.request
import zlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from _common import DEFAULT_PG, ROOT, Instance, free_port, machine, table, wait_for_port

FIXTURE = ROOT / "src/preau/fleet/tests/fixtures/ocs-inventory.zlib"
AGENT = "OCS-NG_unified_unix_agent_v2.10.0"


def payloads(count: int) -> list[bytes]:
    text = zlib.decompress(FIXTURE.read_bytes()).decode()
    out = []
    for n in range(count):
        one = re.sub(
            r"<DEVICEID>[^<]*</DEVICEID>",
            f"<DEVICEID>bench{n}-2026-01-01-00-00-00</DEVICEID>",
            text,
        )
        one = one.replace("<NAME>vm</NAME>", f"<NAME>bench{n}</NAME>", 1)
        one = re.sub(
            r"<MACADDR>([0-9a-f:]{12})[0-9a-f:]{5}</MACADDR>",
            lambda m, n=n: f"<MACADDR>{m.group(1)}{n // 256:02x}:{n % 256:02x}</MACADDR>",
            one,
        )
        out.append(zlib.compress(one.encode()))
    return out  # fmt: skip


def send(url: str, body: bytes) -> None:
    request = urllib.request.Request(url, data=body, headers={"User-Agent": AGENT,
                                     "Content-Type": "application/x-compress"})  # fmt: skip
    with urllib.request.urlopen(request, timeout=120) as response:
        assert b"NO_ACCOUNT_UPDATE" in zlib.decompress(response.read())


def cpu_seconds(pid: int) -> float:
    """User + system CPU of ``pid`` and its children (gunicorn's workers)."""
    tick = os.sysconf("SC_CLK_TCK")
    pids = [pid] + [int(p) for p in subprocess.run(["pgrep", "-P", str(pid)],
                    capture_output=True, text=True).stdout.split()]  # fmt: skip
    total = 0.0
    for p in pids:
        fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / tick
    return total


def run(url: str, bodies: list[bytes], senders: int, pid: int) -> tuple[float, float]:
    cpu = cpu_seconds(pid)
    started = time.perf_counter()
    with ThreadPoolExecutor(senders) as pool:
        list(pool.map(lambda b: send(url, b), bodies))
    elapsed = time.perf_counter() - started
    return len(bodies) / elapsed, (cpu_seconds(pid) - cpu) / len(bodies)


def floor(bodies: list[bytes]) -> float:
    from defusedxml.ElementTree import fromstring

    started = time.perf_counter()
    for body in bodies:
        root = fromstring(zlib.decompress(body), forbid_dtd=True)
        assert len(root.findall("CONTENT/SOFTWARES")) > 900
    return len(bodies) / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_PG)
    parser.add_argument("--inventories", type=int, default=200)
    args = parser.parse_args()
    instance = Instance(args.database_url)
    instance.env["PREAU_HUEY_IMMEDIATE"] = "1"
    try:
        instance.preau("migrate")
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "preau.wsgi:application", "--bind",
             f"127.0.0.1:{port}", "--workers", "2", "--no-control-socket"],
            env=instance.env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        wait_for_port(port)
        url = f"http://127.0.0.1:{port}/ocsinventory"
        half = args.inventories // 2
        bodies = payloads(args.inventories)
        send(url, bodies[0])  # warm up both the server and the database
        rows = [("case", "senders", "inventories/s", "server CPU ms/inventory")]
        for label, senders, batch in (
            ("new devices", 1, bodies[1:half]),
            ("new devices", 4, bodies[half:]),
            ("known devices, same software", 1, bodies[1:half]),
            ("known devices, same software", 4, bodies[half:]),
        ):
            rate, cpu = run(url, batch, senders, server.pid)
            rows.append((label, str(senders), f"{rate:.1f}", f"{cpu * 1000:.0f}"))
        rows.append(("floor: zlib + defusedxml parse only", "1", f"{floor(bodies):.1f}", "—"))
        server.terminate()
        server.wait(timeout=30)
        print(f"Fleet inventory ingestion on {instance.engine}, {machine()}")
        print(f"{args.inventories} OCS inventories of 913 packages (real agent payload)\n")
        print(table(rows))
    finally:
        instance.close()


if __name__ == "__main__":
    main()
