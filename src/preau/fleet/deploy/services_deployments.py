"""Deployments: launch a package to a target, pause, resume, cancel, retry the failures.

The target (sites, rooms, asset kinds, devices) is checked here and resolved by
``targets.target_devices`` when agents ask, so the preview shows what the target matches
now. Jobs are made by the agent protocol when an agent asks; these functions only move
the jobs that exist.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from preau.core import audit
from preau.directory.models import Room, Site
from preau.fleet.deploy.targets import devices_matching, target_devices
from preau.fleet.models import (
    AssetKind,
    Deployment,
    DeploymentJob,
    Device,
    JobStatus,
    Package,
)

UNFINISHED = (JobStatus.WAITING, JobStatus.DOWNLOADING, JobStatus.RUNNING)


@dataclass
class Target:
    """What an admin chose, checked."""

    municipality_id: int
    sites: QuerySet[Site]
    rooms: QuerySet[Room]
    kinds: list[str]
    devices: QuerySet[Device]


def _ids(objects: Iterable[Any]) -> list[int]:
    return sorted({o if isinstance(o, int) else o.pk for o in objects})


def _not_ours(model: type[Any], ids: list[int], owner: str, municipality_id: int) -> str:
    """The ids among ``ids`` that are not the municipality's (by number: their names are
    another municipality's business)."""
    ours = set(
        model._default_manager.filter(pk__in=ids, **{owner: municipality_id}).values_list(
            "pk", flat=True
        )
    )
    return ", ".join(f"#{i}" for i in ids if i not in ours)


def check_target(
    package: Package,
    *,
    sites: Iterable[Site | int] = (),
    rooms: Iterable[Room | int] = (),
    kinds: Iterable[str] = (),
    devices: Iterable[Device | int] = (),
) -> Target:
    """The target, or a ValidationError saying what is wrong with the package or target."""
    if package.trashed_at is not None:
        raise ValidationError(_("This package is in the trash: restore it before deploying it."))
    if not package.actions.exists():
        raise ValidationError(
            _("This package has no action: add at least one before deploying it.")
        )
    site_ids, room_ids, device_ids = _ids(sites), _ids(rooms), _ids(devices)
    kind_list = sorted(set(kinds))
    if not (site_ids or room_ids or kind_list or device_ids):
        raise ValidationError(_("Choose at least one site, room, asset kind or device."))
    municipality_id = package.municipality_id
    errors: dict[str, str] = {}
    if bad := _not_ours(Site, site_ids, "municipality_id", municipality_id):
        errors["sites"] = _("Not a site of this municipality: %(ids)s.") % {"ids": bad}
    if bad := _not_ours(Room, room_ids, "site__municipality_id", municipality_id):
        errors["rooms"] = _("Not a room of this municipality: %(ids)s.") % {"ids": bad}
    if bad := _not_ours(Device, device_ids, "municipality_id", municipality_id):
        errors["devices"] = _("Not a device of this municipality: %(ids)s.") % {"ids": bad}
    if unknown := [k for k in kind_list if k not in AssetKind.values]:
        errors["kinds"] = _("Unknown asset kind: %(kinds)s.") % {"kinds": ", ".join(unknown)}
    if errors:
        raise ValidationError(errors)
    room_rows = Room.objects.filter(pk__in=room_ids).select_related("site")
    if site_ids:
        outside = [str(r) for r in room_rows if r.site_id not in site_ids]
        if outside:
            raise ValidationError(
                {"rooms": _("The room %(room)s is not in the chosen sites: a device must be "
                            "in a chosen site and a chosen room.") % {"room": outside[0]}}
            )  # fmt: skip
    return Target(
        municipality_id=municipality_id,
        sites=Site.objects.filter(pk__in=site_ids),
        rooms=Room.objects.filter(pk__in=room_ids),
        kinds=kind_list,
        devices=Device.objects.filter(pk__in=device_ids),
    )


def matching_devices(target: Target) -> QuerySet[Device]:
    """The devices ``target`` matches now, by the rule agents are answered with."""
    return devices_matching(
        target.municipality_id,
        site_ids=[s.pk for s in target.sites],
        room_ids=[r.pk for r in target.rooms],
        kinds=target.kinds,
        device_ids=target.devices.values("pk"),
    )


@transaction.atomic
def create_deployment(
    actor: Any,
    package: Package,
    *,
    sites: Iterable[Site | int] = (),
    rooms: Iterable[Room | int] = (),
    kinds: Iterable[str] = (),
    devices: Iterable[Device | int] = (),
    request: HttpRequest | None = None,
) -> Deployment:
    locked = Package.objects.select_for_update().get(pk=package.pk)  # not trashed meanwhile
    target = check_target(locked, sites=sites, rooms=rooms, kinds=kinds, devices=devices)
    deployment = Deployment.objects.create(
        municipality_id=locked.municipality_id,
        package=locked,
        kinds=target.kinds,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    deployment.sites.set(target.sites)
    deployment.rooms.set(target.rooms)
    deployment.devices.set(target.devices)
    audit.record(
        "fleet.deployment_created",
        actor=actor,
        request=request,
        target=deployment,
        package=locked.pk,
        sites=[s.pk for s in target.sites],
        rooms=[r.pk for r in target.rooms],
        kinds=target.kinds,
        devices=[d.pk for d in target.devices],
        matched=target_devices(deployment).count(),
    )
    return deployment


def _lock(deployment: Deployment) -> Deployment:
    return Deployment.objects.select_for_update().select_related("package").get(pk=deployment.pk)


def _set_state(
    deployment: Deployment,
    *,
    allowed_from: tuple[str, ...],
    state: str,
    refusal: str,
    action: str,
    actor: Any,
    request: HttpRequest | None,
) -> Deployment:
    locked = _lock(deployment)
    if locked.state not in allowed_from:
        raise ValidationError(refusal)
    locked.state = state
    locked.save(update_fields=["state", "updated_at"])
    audit.record(action, actor=actor, request=request, target=locked)
    return locked


@transaction.atomic
def pause(deployment: Deployment, *, actor: Any, request: HttpRequest | None = None) -> Deployment:
    """No device gets a job while paused; devices already running it finish."""
    return _set_state(
        deployment,
        allowed_from=(Deployment.State.ACTIVE,),
        state=Deployment.State.PAUSED,
        refusal=_("Only an active deployment can be paused."),
        action="fleet.deployment_paused",
        actor=actor,
        request=request,
    )


@transaction.atomic
def resume(deployment: Deployment, *, actor: Any, request: HttpRequest | None = None) -> Deployment:
    if deployment.package.trashed_at is not None:
        raise ValidationError(_("The package is in the trash: restore it first."))
    return _set_state(
        deployment,
        allowed_from=(Deployment.State.PAUSED,),
        state=Deployment.State.ACTIVE,
        refusal=_("Only a paused deployment can be resumed."),
        action="fleet.deployment_resumed",
        actor=actor,
        request=request,
    )


@transaction.atomic
def cancel(deployment: Deployment, *, actor: Any, request: HttpRequest | None = None) -> int:
    """Cancel for good: unfinished jobs are marked cancelled. Returns how many."""
    locked = _lock(deployment)
    if locked.state == Deployment.State.CANCELLED:
        raise ValidationError(_("This deployment is already cancelled."))
    locked.state = Deployment.State.CANCELLED
    locked.save(update_fields=["state", "updated_at"])
    now = timezone.now()
    count = DeploymentJob.objects.filter(deployment=locked, status__in=UNFINISHED).update(
        status=JobStatus.CANCELLED, finished_at=now, updated_at=now
    )
    audit.record(
        "fleet.deployment_cancelled", actor=actor, request=request, target=locked, jobs=count
    )
    return count


@transaction.atomic
def retry_failed(deployment: Deployment, *, actor: Any, request: HttpRequest | None = None) -> int:
    """Failed jobs wait again under a new uuid, so their agents run them once more."""
    locked = _lock(deployment)
    if locked.state == Deployment.State.CANCELLED:
        raise ValidationError(_("A cancelled deployment cannot be retried."))
    jobs = list(
        DeploymentJob.objects.select_for_update().filter(deployment=locked, status=JobStatus.FAILED)
    )
    now = timezone.now()
    for job in jobs:
        job.uuid = str(uuid.uuid4())
        job.status = JobStatus.WAITING
        job.step = job.message = ""
        job.started_at = job.finished_at = None
        job.updated_at = now
    DeploymentJob.objects.bulk_update(
        jobs, ["uuid", "status", "step", "message", "started_at", "finished_at", "updated_at"]
    )
    if jobs:
        audit.record(
            "fleet.deployment_retried",
            actor=actor,
            request=request,
            target=locked,
            jobs=len(jobs),
        )
    return len(jobs)
