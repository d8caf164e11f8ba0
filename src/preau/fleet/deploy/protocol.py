"""The Deploy task's messages: the ``getJobs`` answer, in the exact shapes
FusionInventory's agent reads, and the ``setStatus`` reports it sends back.

The agent (``FusionInventory::Agent::Task::Deploy``) first checks the answer with
``_validateAnswer``: a top-level ``associatedFiles`` hash whose every file has
``mirrors``, ``multiparts``, ``name``, ``p2p``, ``p2p-retention-duration`` and
``uncompress``, and ``jobs`` each with ``uuid``, ``associatedFiles``, ``actions`` (a
list) and ``checks``. An empty hash means "nothing to do". Files are keyed by the
sha512 of the whole file; the agent fetches each part from
``<mirror>/<h[0]>/<h[0:2]>/<h>`` and checks its digest (``Deploy/File.pm``). Then it
reports each step with ``setStatus`` (``Deploy/Job.pm``): ``currentStep``, ``status``
and ``msg``, one request per message (a command's output comes line by line).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from preau.fleet.models import DeploymentJob, PackageAction, PackageCheck, PackageFile

Json = dict[str, Any]


def ok_codes(text: str) -> list[int] | None:
    """The exit codes that mean success; None when blank (any exit code succeeds).

    The agent fails a command whose ``retChecks`` is an empty list, so a value with no
    number in it falls back to 0 rather than to "always fail".
    """
    if not text.strip():
        return None
    return [int(code) for code in re.findall(r"-?\d+", text)] or [0]


def action_json(action: PackageAction) -> Json:
    """One action as ``ActionProcessor`` reads it: ``{kind: params}``."""
    params: Json
    kind = action.kind
    if kind == PackageAction.Kind.CMD:
        params = {"exec": action.command}
        codes = ok_codes(action.ok_codes)
        if codes is not None:
            params["retChecks"] = [{"type": "okCode", "values": codes}]
    elif kind in (PackageAction.Kind.COPY, PackageAction.Kind.MOVE):
        params = {"from": action.command, "to": action.target}
    else:  # mkdir, delete: a list of paths
        params = {"list": [action.command]}
    if action.name:
        params["name"] = action.name  # else the agent says "action #n"
    return {kind: params}


def check_json(check: PackageCheck) -> Json:
    """One check as ``CheckProcessor`` reads it; ``return`` is what a failure means."""
    return {"type": check.kind, "path": check.path, "value": check.value, "return": check.on_fail}


def file_json(file: PackageFile, mirror: str) -> Json:
    return {
        "name": file.name,
        "mirrors": [mirror],
        "multiparts": list(file.parts),
        "p2p": 0,
        "p2p-retention-duration": 0,
        "uncompress": 1 if file.uncompress else 0,
    }


def job_json(job: DeploymentJob) -> Json:
    package = job.deployment.package
    return {
        "uuid": job.uuid,
        "requires": {},
        "checks": [check_json(c) for c in package.checks.all()],
        "associatedFiles": [f.sha512 for f in package.files.all()],
        "actions": [action_json(a) for a in package.actions.all()],
    }


def get_jobs_answer(jobs: Iterable[DeploymentJob], mirror: str) -> Json:
    """The whole answer; ``{}`` when there is no job. ``mirror`` is the parts' absolute
    base URL. Jobs must come with ``deployment__package`` and its files, checks and
    actions prefetched (see ``jobs.offer``)."""
    answer: Json = {"jobs": [], "associatedFiles": {}}
    for job in jobs:
        answer["jobs"].append(job_json(job))
        for file in job.deployment.package.files.all():
            answer["associatedFiles"].setdefault(file.sha512, file_json(file, mirror))
    return answer if answer["jobs"] else {}


class ProtocolError(ValueError):
    """A request the Deploy protocol does not allow, with the reason."""


# The steps the agent reports (``Job.pm`` ``currentStep``; blank once the job is over)
# and the statuses a step ends with (blank for a progress message; a check that fails
# with ``warning`` or ``info`` reports that word).
STEPS = frozenset({"", "checking", "downloading", "prepare", "processing"})
STATUSES = frozenset({"", "ok", "ko", "warning", "info"})
MESSAGE_MAX = 2000


@dataclass(frozen=True)
class StatusReport:
    """One ``setStatus``: the job, the step, ok/ko and the agent's message."""

    uuid: str
    step: str
    status: str
    message: str


def clean(value: str) -> str:
    """A parameter without NUL characters (a command's output may hold some; PostgreSQL
    text cannot)."""
    return value.replace("\x00", "")


def status_report(params: Mapping[str, str]) -> StatusReport:
    """Read a ``setStatus`` request's parameters, or ``ProtocolError`` naming the field."""
    uuid = clean(params.get("uuid", "")).strip()
    if not uuid or len(uuid) > 36:
        raise ProtocolError("uuid missing" if not uuid else "uuid too long")
    step = params.get("currentStep", "")
    if step not in STEPS:
        raise ProtocolError(f"unknown currentStep {clean(step)[:40]!r}")
    status = params.get("status", "")
    if status not in STATUSES:
        raise ProtocolError(f"unknown status {clean(status)[:40]!r}")
    return StatusReport(uuid, step, status, clean(params.get("msg", ""))[:MESSAGE_MAX])
