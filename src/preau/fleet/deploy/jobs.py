"""The deploy jobs' service: what a device is offered, and what its agent reports.

The agent-facing views call it (there is no user): a device gets a job row the first
time it asks for jobs while an active deployment targets it; each ``setStatus`` is kept
as an event and moves the job's status forward, never back from a finished status.
"""

from __future__ import annotations

import datetime as dt
import uuid as uuidlib

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from preau.fleet.deploy.notify import tell_first_failure
from preau.fleet.deploy.protocol import StatusReport
from preau.fleet.deploy.targets import active_deployments_for
from preau.fleet.models import DeploymentJob, DeploymentJobEvent, Device, DeviceAlias, JobStatus

OPEN = (JobStatus.WAITING, JobStatus.DOWNLOADING, JobStatus.RUNNING)
FINISHED = frozenset(
    {JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.SKIPPED, JobStatus.CANCELLED}
)
# What the agent says when a check that fails with "skip" stops the job (Job.pm).
_SKIPPED = "job skipped"
# The first message of a run: a job re-offered after an interrupted run starts again.
_STARTING = "starting"


class UnknownJob(LookupError):
    """No job with that uuid for that device (missing or another device's: same answer)."""


def find_device(machineid: str) -> Device | None:
    """The device an agent's machineid (its DEVICEID, current or former) names."""
    aliases = DeviceAlias.objects.filter(deviceid=machineid).values("device_id")
    devices = Device.objects.filter(Q(deviceid=machineid) | Q(pk__in=aliases))
    return devices.select_related("asset").first()


def _with_package(jobs: QuerySet[DeploymentJob]) -> QuerySet[DeploymentJob]:
    return jobs.select_related("deployment__package").prefetch_related(
        "deployment__package__files",
        "deployment__package__checks",
        "deployment__package__actions",
    )


def offer(device: Device) -> list[DeploymentJob]:
    """The jobs to send ``device`` now: one per active deployment that targets it, made
    on first ask, and only while not finished (a finished job is not run again)."""
    deployments = active_deployments_for(device)
    if not deployments:
        return []
    ids = [d.pk for d in deployments]
    made = DeploymentJob.objects.filter(device=device, deployment_id__in=ids).order_by()
    known = set(made.values_list("deployment_id", flat=True))
    missing = [
        DeploymentJob(deployment=d, device=device, uuid=str(uuidlib.uuid4()))
        for d in deployments
        if d.pk not in known
    ]
    if missing:  # two requests at once: the unique (deployment, device) keeps one
        DeploymentJob.objects.bulk_create(missing, ignore_conflicts=True)
    jobs = DeploymentJob.objects.filter(device=device, deployment_id__in=ids, status__in=OPEN)
    return list(_with_package(jobs).order_by("deployment__created_at", "deployment_id"))


def next_status(current: str, report: StatusReport) -> str:
    """The job's status once ``report`` is applied (the agent's ``Deploy.pm`` flow)."""
    if current in FINISHED:
        return current  # a cancelled job is not revived, a finished one not reopened
    if report.status == "ko":
        return JobStatus.FAILED
    if not report.step:  # "job successfully completed" comes with no step
        return JobStatus.SUCCEEDED if report.status == "ok" else current
    if report.step in ("prepare", "processing"):
        return JobStatus.RUNNING
    if report.step == "checking" and report.status == "ok" and report.message == _SKIPPED:
        return JobStatus.SKIPPED
    # checking, downloading; an action's own checks (step "checking") while running
    # leave it running, unless a new run starts.
    restart = report.message == _STARTING and not report.status
    if current == JobStatus.RUNNING and not restart:
        return current
    return JobStatus.DOWNLOADING


def record_status(device: Device, report: StatusReport) -> DeploymentJob:
    """Keep one ``setStatus`` of ``device``'s agent; ``UnknownJob`` stores nothing.

    Idempotent: the same report repeated (an agent retrying its request) is kept once.
    """
    with transaction.atomic():
        job = (
            DeploymentJob.objects.select_for_update(of=("self",))
            .filter(uuid=report.uuid, device=device)
            .select_related("deployment__package", "deployment__created_by", "device")
            .first()
        )
        if job is None:
            raise UnknownJob(f"setStatus for an unknown job {report.uuid!r}")
        last = job.events.order_by("-at", "-pk").first()
        if last is not None and (last.step, last.status, last.message) == (
            report.step,
            report.status,
            report.message,
        ):
            return job
        DeploymentJobEvent.objects.create(
            job=job, step=report.step, status=report.status, message=report.message
        )
        if job.status not in FINISHED:
            _advance(job, report, timezone.now())
            if job.status == JobStatus.FAILED:
                tell_first_failure(job)
    return job


def _advance(job: DeploymentJob, report: StatusReport, now: dt.datetime) -> None:
    job.status = next_status(job.status, report)
    job.step = report.step
    job.message = report.message[:500]
    fields = ["status", "step", "message", "updated_at"]
    if job.started_at is None:
        job.started_at = now
        fields.append("started_at")
    if job.status in FINISHED:
        job.finished_at = now
        fields.append("finished_at")
    job.save(update_fields=fields)
