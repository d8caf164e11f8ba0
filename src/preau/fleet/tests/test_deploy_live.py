"""Debian's real fusioninventory-agent runs deploy jobs served by a live gunicorn.

An inventory run first makes the machine a device of site A; then two packages are
deployed to it, one whose command copies the package's file (downloaded in parts from
the mirror) where the test looks, one whose command fails. The agent's state stays in
/var/lib/fusioninventory-agent (no option moves it), as in test_agents_live.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from preau.fleet.models import AgentTag, DeploymentJob, Device, JobStatus

from .deploy.helpers import deploy_to, make_package
from .live import live_gunicorn

pytestmark = pytest.mark.agents

PAYLOAD = b"deployed by Preau\n"


def _agent(url: str, tasks: str) -> subprocess.CompletedProcess[str]:
    agent = shutil.which("fusioninventory-agent")
    if agent is None:
        pytest.skip("fusioninventory-agent is not installed (.ci/run installs it)")
    return subprocess.run(
        [
            agent, "--server", f"{url}/plugins/fusioninventory/", f"--tasks={tasks}",
            "--logger=stderr", "--no-category=process,environment,software", "--no-httpd",
            "--tag=SITE-A", "--debug",
        ],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def _deploy_task_installed() -> None:
    task = Path("/usr/share/fusioninventory/lib/FusionInventory/Agent/Task/Deploy.pm")
    if not task.exists():
        pytest.skip("fusioninventory-agent-task-deploy is not installed")


def test_fusioninventory_agent_runs_a_deploy_job(transactional_db, world, tmp_path, settings):
    _deploy_task_installed()
    settings.MEDIA_ROOT = tmp_path / "media"  # where gunicorn (PREAU_VAR_DIR) reads parts
    AgentTag.objects.create(site=world.a.school.site, tag="SITE-A")
    with live_gunicorn(tmp_path) as url:
        run = _agent(url, "inventory")
    assert run.returncode == 0, run.stderr
    device = Device.objects.get()
    assert device.municipality == world.lorient

    out = tmp_path / "out" / "copied.txt"
    out.parent.mkdir()
    good = make_package(
        world.lorient,
        "Copy",
        files={"payload.txt": PAYLOAD},
        part_size=8,  # three parts, fetched one by one
        actions=[{"kind": "cmd", "name": "copy it", "command": f"cp payload.txt {out}"}],
    )
    bad = make_package(
        world.lorient,
        "Broken",
        actions=[{"kind": "cmd", "name": "broken", "command": "ls /nonexistent-preau-path"}],
    )
    deploy_to(good, devices=[device])
    deploy_to(bad, sites=[world.a.school.site])
    with live_gunicorn(tmp_path) as url:
        first = _agent(url, "deploy")
        out_after_first = out.read_bytes() if out.exists() else b""
        out.unlink(missing_ok=True)
        again = _agent(url, "deploy")  # finished jobs are not offered again
    assert first.returncode == 0, first.stderr
    assert out_after_first == PAYLOAD, first.stderr

    done = DeploymentJob.objects.get(deployment__package=good)
    assert done.status == JobStatus.SUCCEEDED, first.stderr
    assert done.started_at is not None
    assert done.finished_at is not None
    steps = list(done.events.values_list("step", "status", "message"))
    assert steps[0] == ("checking", "", "starting")
    assert ("downloading", "ok", "payload.txt downloaded") in steps
    assert steps[-1] == ("", "ok", "job successfully completed")

    failed = DeploymentJob.objects.get(deployment__package=bad)
    assert failed.status == JobStatus.FAILED, first.stderr
    messages = list(failed.events.values_list("message", flat=True))
    output = "\n".join(messages)
    assert "broken: Started cmd: ls /nonexistent-preau-path" in output
    assert "/nonexistent-preau-path" in output.split("Started cmd", 1)[1]
    assert "exit status: `2'" in output
    assert messages[-1] == "broken, processing failure"

    assert again.returncode == 0, again.stderr
    assert not out.exists()
    assert "No Deploy job found" in again.stderr
    assert done.events.count() == len(steps)
