"""The fleet API's deployment schemas: packages, deployments and their per-device jobs."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema

from preau.fleet.models import JobStatus


class PackageOut(Schema):
    id: int
    municipality_id: int
    name: str
    description: str
    file_count: int
    size: int = Field(description="Total size of its files, in bytes")
    deployment_count: int
    trashed: bool
    created_at: dt.datetime
    updated_at: dt.datetime


class PackageFileOut(Schema):
    name: str
    size: int
    sha512: str
    uncompress: bool


class PackageCheckOut(Schema):
    kind: str
    path: str
    value: str
    on_fail: str


class PackageActionOut(Schema):
    kind: str
    name: str
    command: str
    target: str
    ok_codes: str


class PackageDetailOut(PackageOut):
    files: list[PackageFileOut]
    checks: list[PackageCheckOut] = Field(description="Run first, in order")
    actions: list[PackageActionOut] = Field(description="Run after the checks, in order")
    deployments: list[int] = Field(description="Its deployments, newest first")


class TargetOut(Schema):
    sites: list[int]
    rooms: list[int]
    kinds: list[str]
    devices: list[int]


def _ids(related: Any) -> list[int]:
    return sorted(row.pk for row in related.all())  # prefetched: no query


class DeploymentOut(Schema):
    id: int
    municipality_id: int
    package_id: int
    package_name: str
    state: str = Field(description="active, paused or cancelled")
    created_by_id: int | None
    created_at: dt.datetime
    target: TargetOut
    counts: dict[str, int] = Field(description="Jobs per status, and their total")

    @staticmethod
    def resolve_package_name(obj: Any) -> str:
        return str(obj.package.name)

    @staticmethod
    def resolve_target(obj: Any) -> TargetOut:
        kinds = [kind for kind in obj.kinds if isinstance(kind, str)]
        return TargetOut(
            sites=_ids(obj.sites), rooms=_ids(obj.rooms), kinds=kinds, devices=_ids(obj.devices)
        )

    @staticmethod
    def resolve_counts(obj: Any) -> dict[str, int]:
        counts = {status: getattr(obj, f"jobs_{status}") for status in JobStatus.values}
        return {**counts, "total": sum(counts.values())}


class DeploymentDetailOut(DeploymentOut):
    progress: dict[str, int] = Field(
        description="The devices it targets (or that have its job) per status, not_asked "
        "for those whose agent has not asked yet, and their total"
    )


class DeploymentIn(Schema):
    package_id: int
    sites: list[int] = Field(default_factory=list, max_length=1000)
    rooms: list[int] = Field(default_factory=list, max_length=1000)
    kinds: list[str] = Field(default_factory=list, max_length=20)
    devices: list[int] = Field(default_factory=list, max_length=10000)


class DeviceJobOut(Schema):
    """A device the deployment reaches, and its job if its agent has asked."""

    device_id: int
    hostname: str
    status: str = Field(description="The job's status, or not_asked")
    job_id: int | None
    step: str
    message: str
    started_at: dt.datetime | None
    finished_at: dt.datetime | None

    @staticmethod
    def resolve_device_id(obj: Any) -> int:
        return int(obj.pk)

    @staticmethod
    def resolve_status(obj: Any) -> str:
        return str(obj.job_status or "not_asked")

    @staticmethod
    def resolve_step(obj: Any) -> str:
        return str(obj.job_step or "")

    @staticmethod
    def resolve_message(obj: Any) -> str:
        return str(obj.job_message or "")

    @staticmethod
    def resolve_started_at(obj: Any) -> dt.datetime | None:
        return obj.job_started_at

    @staticmethod
    def resolve_finished_at(obj: Any) -> dt.datetime | None:
        return obj.job_finished_at


class JobOut(Schema):
    id: int
    deployment_id: int
    device_id: int
    hostname: str
    status: str
    step: str = Field(description="The agent's last step: checking, downloading, prepare…")
    message: str
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    updated_at: dt.datetime

    @staticmethod
    def resolve_hostname(obj: Any) -> str:
        return str(obj.device.hostname)


class JobEventOut(Schema):
    at: dt.datetime
    step: str
    status: str
    message: str


class JobDetailOut(JobOut):
    events: list[JobEventOut] = Field(description="What the agent reported, oldest first")
