"""Debian's real ocsinventory-agent and fusioninventory-agent against a live gunicorn.

Each agent runs once, as root, with its state in a temporary directory where the agent
allows it. The machine running the test must then appear: its host name, processor,
memory and software list.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import zlib
from pathlib import Path

import pytest

from preau.fleet.models import AgentTag, Device, RawInventory

from .live import live_gunicorn

pytestmark = pytest.mark.agents


def _agent(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed (apt-get install {name}; .ci/run installs it)")
    return path


def _meminfo_mb() -> int:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) // 1024
    raise AssertionError("no MemTotal in /proc/meminfo")


def _cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return ""


def _installed_packages() -> set[str]:
    out = subprocess.run(
        ["dpkg-query", "-W", "-f", "${Package}\n"], capture_output=True, text=True, check=True
    ).stdout
    return set(out.split())


def _capture(name: str) -> None:
    """Save what the agent sent, to refresh the protocol tests' fixtures."""
    target = os.environ.get("PREAU_FLEET_CAPTURE_DIR")
    if target:
        raw = RawInventory.objects.latest("received_at")
        Path(target, f"{name}-inventory.zlib").write_bytes(
            zlib.compress(zlib.decompress(raw.payload))
        )


def _assert_this_machine(device: Device, agent_name: str) -> None:
    assert device.hostname == socket.gethostname().split(".")[0]
    assert device.cpu
    assert device.cpu.split()[0] in _cpu_model()
    assert abs((device.memory_mb or 0) - _meminfo_mb()) <= _meminfo_mb() * 0.1
    names = set(device.software.values_list("name", flat=True))
    assert agent_name in names
    assert len(names) >= 0.8 * len(_installed_packages())
    assert device.last_inventory_at is not None


def test_ocsinventory_agent_inventories_this_machine(transactional_db, world, tmp_path):
    agent = _agent("ocsinventory-agent")
    AgentTag.objects.create(site=world.a.school.site, tag="SITE-A")
    with live_gunicorn(tmp_path) as url:
        run = subprocess.run(
            [
                agent, "--server", f"{url}/ocsinventory", "--nolocal",
                f"--basevardir={tmp_path / 'ocs'}", "--tag=SITE-A",
                f"--logfile={tmp_path / 'ocs.log'}", "--debug",
            ],
            capture_output=True, text=True, timeout=300,
        )  # fmt: skip
    log = (tmp_path / "ocs.log").read_text() if (tmp_path / "ocs.log").exists() else ""
    assert run.returncode == 0, run.stdout + run.stderr + log
    device = Device.objects.get()
    _assert_this_machine(device, "ocsinventory-agent")
    assert device.agent.startswith("OCS-NG_unified_unix_agent")
    assert device.site == world.a.school.site
    assert RawInventory.objects.get().status == RawInventory.Status.INGESTED
    _capture("ocs")


def test_fusioninventory_agent_inventories_this_machine(transactional_db, world, tmp_path):
    agent = _agent("fusioninventory-agent")
    with live_gunicorn(tmp_path) as url:
        # The agent keeps its DEVICEID in /var/lib/fusioninventory-agent (no option moves it).
        run = subprocess.run(
            [
                agent, "--server", f"{url}/plugins/fusioninventory/", "--tasks=inventory",
                "--logger=stderr", "--no-category=process,environment", "--no-httpd",
                "--tag=SITE-A", "--debug",
            ],
            capture_output=True, text=True, timeout=300,
        )  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    assert "sending prolog request" in run.stderr
    device = Device.objects.get()
    _assert_this_machine(device, "fusioninventory-agent")
    assert device.agent.startswith("FusionInventory-Agent")
    assert device.os_name.startswith(Path("/etc/os-release").read_text().split('"')[1][:6])
    _capture("fusion")
