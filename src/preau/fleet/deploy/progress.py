"""Where a deployment stands: each targeted device with its job, counts per status and
the segments of the progress bar. No writes.

A device the target matches but whose agent has not asked yet has no job row: it counts
as waiting ("not asked yet"). A device with a job that the target no longer matches
still shows, with its job.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext_lazy as _

from preau.fleet.deploy.targets import target_devices
from preau.fleet.models import Deployment, DeploymentJob, Device, JobStatus

NOT_ASKED = "not_asked"
JOB_STATUS = "job_status"  # the annotation devices_of() adds
# Bar colours, each with 3:1 contrast against the white page (WCAG 1.4.11).
COLOURS = {
    NOT_ASKED: "#6b7280",
    JobStatus.WAITING: "#4b5563",
    JobStatus.DOWNLOADING: "#0e7490",
    JobStatus.RUNNING: "#1d4ed8",
    JobStatus.SUCCEEDED: "#15803d",
    JobStatus.SKIPPED: "#4d7c0f",
    JobStatus.FAILED: "#b91c1c",
    JobStatus.CANCELLED: "#92400e",
}
ORDER = (
    JobStatus.SUCCEEDED,
    JobStatus.SKIPPED,
    JobStatus.FAILED,
    JobStatus.CANCELLED,
    JobStatus.RUNNING,
    JobStatus.DOWNLOADING,
    JobStatus.WAITING,
    NOT_ASKED,
)
FINISHED = (JobStatus.SUCCEEDED, JobStatus.SKIPPED, JobStatus.FAILED, JobStatus.CANCELLED)
IN_FLIGHT = (JobStatus.WAITING, JobStatus.DOWNLOADING, JobStatus.RUNNING)
STATUS_CHOICES = [(NOT_ASKED, _("waiting — agent has not asked yet")), *JobStatus.choices]


def label(status: str) -> Any:
    return dict(STATUS_CHOICES).get(status, status)


@dataclass
class Segment:
    status: str
    label: Any
    count: int
    x: str
    width: str
    colour: str


@dataclass
class Progress:
    counts: dict[str, int]
    total: int
    segments: list[Segment] = field(default_factory=list)

    @property
    def finished(self) -> int:
        return sum(self.counts.get(s, 0) for s in FINISHED)

    @property
    def percent_finished(self) -> int:
        return round(100 * self.finished / self.total) if self.total else 0

    @property
    def in_flight(self) -> int:
        """Jobs an agent was given and has not finished: the page refreshes meanwhile."""
        return sum(self.counts.get(s, 0) for s in IN_FLIGHT)


def devices_of(deployment: Deployment, visible: QuerySet[Device]) -> QuerySet[Device]:
    """The deployment's devices among ``visible``, each annotated with ``job_status``
    (None when its agent has not asked yet)."""
    targeted = target_devices(deployment).values("pk")
    with_job = DeploymentJob.objects.filter(deployment=deployment).values("device_id")
    job = DeploymentJob.objects.filter(deployment=deployment, device=OuterRef("pk"))
    return visible.filter(Q(pk__in=targeted) | Q(pk__in=with_job)).annotate(
        **{JOB_STATUS: Subquery(job.values("status")[:1])}
    )


def filter_status(devices: QuerySet[Device], status: str) -> QuerySet[Device]:
    if status == NOT_ASKED:
        return devices.filter(Q((f"{JOB_STATUS}__isnull", True)))
    return devices.filter(Q((JOB_STATUS, status)))


def progress_of(devices: QuerySet[Device]) -> Progress:
    """Counts per status of ``devices`` (from ``devices_of``), in one query."""
    rows = devices.order_by().values(JOB_STATUS).annotate(n=Count("pk"))
    counts = {(row[JOB_STATUS] or NOT_ASKED): row["n"] for row in rows}
    total = sum(counts.values())
    progress = Progress(counts=counts, total=total)
    x = 0.0
    for status in ORDER:
        count = counts.get(status, 0)
        if not count:
            continue
        width = 100 * count / total
        progress.segments.append(
            Segment(status, label(status), count, f"{x:.3f}", f"{width:.3f}", COLOURS[status])
        )
        x += width
    return progress


def jobs_by_device(deployment: Deployment, devices: list[Device]) -> dict[int, DeploymentJob]:
    jobs = DeploymentJob.objects.filter(deployment=deployment, device__in=devices)
    return {job.device_id: job for job in jobs}
