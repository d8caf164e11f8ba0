"""Helpers of the Deploy protocol's tests (test_deploy_protocol, test_deploy_live):
packages built with the models and the parts storage directly, the agent's own answer
check, and the requests its Deploy task sends."""

from __future__ import annotations

import io
import json
from collections.abc import Iterable
from typing import Any

from django.test import Client

from preau.conftest import World
from preau.directory.models import Municipality, Room, Site
from preau.fleet.deploy import storage
from preau.fleet.models import (
    AgentEvent,
    Asset,
    Deployment,
    DeploymentJob,
    DeploymentJobEvent,
    Device,
    Package,
    PackageAction,
    PackageCheck,
    PackageFile,
)

from ..helpers import FUSION_AGENT

REMOTE = "/plugins/fusioninventory/b/deploy/"
PAYLOAD = b"Preau deploy payload\n"


def lorient_laptop(world: World, asset: Asset) -> Device:
    """The laptop of site A as its agent made it known (DEVICEID pc-a-…)."""
    return Device.objects.create(
        municipality=world.lorient,
        site=world.a.school.site,
        asset=asset,
        deviceid="pc-a-2026-01-05-08-00-00",
        hostname="pc-a",
    )


def vannes_switch(world: World, asset: Asset) -> Device:
    return Device.objects.create(
        municipality=world.vannes,
        site=world.v.school.site,
        asset=asset,
        deviceid="pc-v-2026-01-05-08-00-00",
        hostname="pc-v",
    )


def sample_package(municipality: Municipality) -> Package:
    """A file in three parts, one action of each kind, a check that skips."""
    return make_package(
        municipality,
        files={"payload.txt": PAYLOAD},
        part_size=8,
        actions=[
            {"kind": "cmd", "name": "install", "command": "cp payload.txt /tmp/x",
             "ok_codes": "0, 3010"},
            {"kind": "copy", "command": "payload.txt", "target": "/tmp/y"},
            {"kind": "mkdir", "command": "/tmp/dir"},
            {"kind": "delete", "command": "/tmp/old"},
        ],
        checks=[{"kind": "fileMissing", "path": "/tmp/x", "on_fail": "skip"}],
    )  # fmt: skip


def make_package(
    municipality: Municipality,
    name: str = "Firefox",
    *,
    files: dict[str, bytes] | None = None,
    part_size: int = storage.PART_SIZE,
    actions: Iterable[dict[str, Any]] = (),
    checks: Iterable[dict[str, Any]] = (),
) -> Package:
    package = Package.objects.create(municipality=municipality, name=name)
    for position, (file_name, content) in enumerate((files or {}).items()):
        stored = storage.store(io.BytesIO(content), part_size)
        PackageFile.objects.create(
            package=package,
            position=position,
            name=file_name,
            sha512=stored.sha512,
            size=stored.size,
            parts=stored.parts,
        )
    for position, fields in enumerate(actions):
        PackageAction.objects.create(package=package, position=position, **fields)
    for position, fields in enumerate(checks):
        PackageCheck.objects.create(package=package, position=position, **fields)
    return package


def deploy_to(
    package: Package,
    *,
    devices: Iterable[Device] = (),
    sites: Iterable[Site] = (),
    rooms: Iterable[Room] = (),
    kinds: Iterable[str] = (),
    state: str = Deployment.State.ACTIVE,
) -> Deployment:
    deployment = Deployment.objects.create(
        municipality_id=package.municipality_id, package=package, state=state, kinds=list(kinds)
    )
    deployment.devices.set(devices)
    deployment.sites.set(sites)
    deployment.rooms.set(rooms)
    return deployment


def agent_rejects(answer: Any) -> str:
    """Why the agent would refuse a getJobs answer: ``_validateAnswer`` in
    FusionInventory/Agent/Task/Deploy.pm, rule by rule; "" when it accepts it."""
    if not isinstance(answer, dict):
        return "Bad answer from server. Not a hash reference."
    files = answer.get("associatedFiles")
    if files is None:
        return "missing associatedFiles key"
    if not isinstance(files, dict):
        return "associatedFiles should be an hash"
    keys = ("mirrors", "multiparts", "name", "p2p-retention-duration", "p2p", "uncompress")
    for file in files.values():
        for key in keys:
            if file.get(key) is None:
                return f"Missing key `{key}' in associatedFiles"
    for job in answer.get("jobs") or []:
        for key in ("uuid", "associatedFiles", "actions", "checks"):
            if job.get(key) is None:
                return f"Missing key `{key}' in jobs"
            if not isinstance(job["actions"], list):
                return "jobs/actions must be an array"
    return ""


def call(client: Client, action: str, machineid: str, **params: str) -> Any:
    return client.get(
        REMOTE, {"action": action, "machineid": machineid, **params}, HTTP_USER_AGENT=FUSION_AGENT
    )


def jobs_of(client: Client, device: Device) -> Any:
    response = call(client, "getJobs", device.deviceid, version="2.8")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content)


def run(
    client: Client, device: Device, uuid: str, steps: Iterable[tuple[str, str, str]]
) -> DeploymentJob:
    for step, status, msg in steps:
        assert set_status(client, device.deviceid, uuid, step, status, msg).status_code == 200
    return DeploymentJob.objects.get(uuid=uuid)


def refused(response: Any, status: int, reason: str, kind: str = "invalid") -> None:
    """The protocol's JSON error, an AgentEvent saying why, and no job event stored."""
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    body = json.loads(response.content)
    assert body["status"] == "error"
    assert reason in body["message"]
    assert not DeploymentJobEvent.objects.exists()
    event = AgentEvent.objects.get()
    assert (event.kind, event.protocol) == (kind, "deploy")
    assert reason in event.message


def set_status(
    client: Client, machineid: str, uuid: str, step: str, status: str, msg: str, **extra: str
) -> Any:
    """One setStatus as Job.pm sends it: empty values are left out."""
    params = {"uuid": uuid, "part": "job", "currentStep": step, "status": status, "msg": msg}
    params |= extra
    return call(client, "setStatus", machineid, **{k: v for k, v in params.items() if v})


# What the agent reports for a job with one file and one command (Deploy.pm), in order.
SUCCESS_RUN = [
    ("checking", "", "starting"),
    ("checking", "ok", "all checks are ok"),
    ("downloading", "", "downloading files"),
    ("downloading", "", "fetching payload.txt"),
    ("downloading", "ok", "payload.txt downloaded"),
    ("downloading", "ok", "success"),
    ("prepare", "ok", "success"),
    ("processing", "", "action #1: Started cmd: cp payload.txt /tmp/x"),
    ("processing", "ok", "action #1, processing success"),
    ("", "ok", "job successfully completed"),
]
FAILED_RUN = [
    *SUCCESS_RUN[:7],
    ("processing", "", "action #1: cp: cannot stat 'nothing': No such file or directory"),
    ("processing", "", "action #1: exit status: `1'"),
    ("processing", "ko", "action #1, processing failure"),
]
SKIPPED_RUN = [
    ("checking", "", "starting"),
    ("checking", "ok", "check #1, fileExists not successful then skip job"),
    ("checking", "ok", "job skipped"),
]
