"""The demo's software deployment (``preau demo``): two packages and their deployments.

"LibreOffice 24.8" (an installer, a check that skips devices already up to date, two
actions) goes to the site with the most inventoried laptops, with jobs in every status;
"GCompris" goes to every laptop, mostly done. The installers are small fictional files.
Deterministic: the same municipality gives the same jobs.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import uuid
from typing import Any

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from preau.directory.models import Municipality, Site
from preau.fleet.deploy import services, services_deployments, services_files, services_steps
from preau.fleet.deploy.targets import target_devices
from preau.fleet.models import (
    AssetKind,
    Deployment,
    DeploymentJob,
    DeploymentJobEvent,
    Device,
    JobStatus,
    Package,
    PackageCheck,
)

_LIBREOFFICE_MSI = b"MSI fictional installer: LibreOffice_24.8.4_Win_x86-64.msi\n" * 64
_GCOMPRIS_EXE = b"fictional installer: gcompris-qt-25.0-win64-gcc.exe\n" * 64
_OUTPUT_OK = "Installation terminée avec succès (code 0)."
_OUTPUT_FAILED = (
    "MSI (s) (A4:2C) : Product: LibreOffice 24.8.4.2 -- Installation failed.\n"
    "Erreur 1603 : une erreur fatale s'est produite pendant l'installation."
)
# The statuses of LibreOffice's jobs on the chosen site, in device order (a demo site
# has two or three inventoried laptops); devices after the list have not asked yet.
_MIX = [
    JobStatus.SUCCEEDED,
    JobStatus.FAILED,
    JobStatus.RUNNING,
    JobStatus.DOWNLOADING,
    JobStatus.SKIPPED,
    JobStatus.WAITING,
    JobStatus.SUCCEEDED,
]
NOT_ASKED_LAPTOPS = 5  # GCompris: the last laptops' agents have not asked yet


def _gcompris_status(n: int) -> JobStatus:
    """Mostly done, a few failures and devices still at work."""
    if n % 20 == 7:
        return JobStatus.FAILED
    if n % 20 == 3:
        return JobStatus.RUNNING
    if n % 30 == 11:
        return JobStatus.DOWNLOADING
    if n % 25 == 13:
        return JobStatus.SKIPPED
    return JobStatus.SUCCEEDED


def seed_deployments(municipality: Municipality, actor: Any) -> int:
    """Build the demo packages and deployments; returns the jobs made (0 if already there)."""
    if Package.objects.filter(municipality=municipality).exists():
        return 0
    with transaction.atomic():
        return _seed(municipality, actor)


def _seed(municipality: Municipality, actor: Any) -> int:
    rng = random.Random(f"preau-deploy-{municipality.insee_code}")
    office = _libreoffice(municipality, actor)
    gcompris = _gcompris(municipality, actor)
    site = (
        Site.objects.filter(municipality=municipality, devices__isnull=False)
        .annotate(n=Count("devices"))
        .order_by("-n", "name")
        .first()
    )
    made = 0
    if site is not None:
        deployment = services_deployments.create_deployment(actor, office, sites=[site])
        devices = list(Device.objects.filter(site=site).order_by("hostname", "pk"))
        made += _jobs(deployment, zip(devices, _MIX, strict=False), rng)
    laptops = services_deployments.create_deployment(actor, gcompris, kinds=[AssetKind.LAPTOP])
    devices = list(target_devices(laptops).order_by("hostname", "pk"))
    asked = devices[: max(len(devices) - NOT_ASKED_LAPTOPS, 1)]
    made += _jobs(laptops, ((d, _gcompris_status(n)) for n, d in enumerate(asked)), rng)
    return made


def _file(package: Package, name: str, data: bytes, actor: Any) -> None:
    services_files.add_file(package, io.BytesIO(data), name=name, size=len(data), actor=actor)


def _libreoffice(municipality: Municipality, actor: Any) -> Package:
    package = services.create_package(
        municipality,
        name="LibreOffice 24.8",
        description="Suite bureautique pour les postes enseignants et les salles de classe.",
        actor=actor,
    )
    _file(package, "LibreOffice_24.8.4_Win_x86-64.msi", _LIBREOFFICE_MSI, actor)
    installed = r"C:\Program Files\LibreOffice\program\soffice.exe"
    skip = PackageCheck.OnFail.SKIP
    services_steps.add_check(
        package, {"kind": "fileExists", "path": installed, "on_fail": skip}, actor=actor
    )
    services_steps.add_check(
        package, {"kind": "freespaceGreater", "path": "C:\\", "value": "1500"}, actor=actor
    )
    install = {
        "kind": "cmd",
        "name": "Installer LibreOffice",
        "command": "msiexec /i LibreOffice_24.8.4_Win_x86-64.msi /qn /norestart ALLUSERS=1 "
        "UI_LANGS=fr REGISTER_ALL_MSO_TYPES=1",
        "ok_codes": "0,3010",
    }
    services_steps.add_action(package, install, actor=actor)
    shortcut = r"C:\Users\Public\Desktop\LibreOffice 24.8.lnk"
    services_steps.add_action(
        package,
        {"kind": "delete", "name": "Retirer le raccourci du bureau", "command": shortcut},
        actor=actor,
    )
    return package


def _gcompris(municipality: Municipality, actor: Any) -> Package:
    package = services.create_package(
        municipality,
        name="GCompris",
        description="Logiciel éducatif pour les 2-10 ans (cycles 1 à 3).",
        actor=actor,
    )
    _file(package, "gcompris-qt-25.0-win64-gcc.exe", _GCOMPRIS_EXE, actor)
    install = {
        "kind": "cmd",
        "name": "Installer GCompris",
        "command": "gcompris-qt-25.0-win64-gcc.exe /S",
        "ok_codes": "0",
    }
    services_steps.add_action(package, install, actor=actor)
    return package


def _jobs(deployment: Deployment, pairs: Any, rng: random.Random) -> int:
    now = timezone.now()
    jobs, events = [], []
    for device, status in pairs:
        started = now - dt.timedelta(minutes=rng.randrange(5, 600))
        job = DeploymentJob(
            deployment=deployment, device=device, status=status,
            uuid=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            started_at=None if status == JobStatus.WAITING else started,
            finished_at=started + dt.timedelta(minutes=4) if status in _DONE else None,
            step=_STEPS.get(status, ""), message=_MESSAGES.get(status, ""),
        )  # fmt: skip
        jobs.append(job)
    DeploymentJob.objects.bulk_create(jobs)
    for job in jobs:
        for step, ok, message in _EVENTS.get(job.status, []):
            events.append(DeploymentJobEvent(job=job, step=step, status=ok, message=message))
    DeploymentJobEvent.objects.bulk_create(events)
    return len(jobs)


_DONE = (JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.SKIPPED)
_STEPS = {
    JobStatus.SUCCEEDED: "processing",
    JobStatus.FAILED: "processing",
    JobStatus.RUNNING: "processing",
    JobStatus.DOWNLOADING: "downloading",
    JobStatus.SKIPPED: "checking",
}
_MESSAGES = {
    JobStatus.SUCCEEDED: _OUTPUT_OK,
    JobStatus.FAILED: "Erreur 1603",
    JobStatus.RUNNING: "msiexec /i LibreOffice_24.8.4_Win_x86-64.msi /qn",
    JobStatus.DOWNLOADING: "1 partie sur 1",
    JobStatus.SKIPPED: "déjà installé",
}
_CHECKED = ("checking", "ok", "")
_DOWNLOADED = ("downloading", "ok", "")
_EVENTS: dict[str, list[tuple[str, str, str]]] = {
    JobStatus.SUCCEEDED: [_CHECKED, _DOWNLOADED, ("processing", "ok", _OUTPUT_OK)],
    JobStatus.FAILED: [_CHECKED, _DOWNLOADED, ("processing", "ko", _OUTPUT_FAILED)],
    JobStatus.RUNNING: [_CHECKED, _DOWNLOADED],
    JobStatus.DOWNLOADING: [_CHECKED],
    JobStatus.SKIPPED: [("checking", "ok", "fileExists: déjà installé, tâche ignorée")],
}
