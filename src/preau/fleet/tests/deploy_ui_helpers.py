"""Helpers of the deployment pages' tests (H2): devices on the world's sites, a package ready
to deploy, jobs as the agent protocol would have made them."""

from __future__ import annotations

import io
import uuid
from typing import Any

from preau.conftest import World
from preau.fleet.deploy import services, services_files, services_steps
from preau.fleet.models import Asset, Deployment, DeploymentJob, Device, Package


def device(world: World, name: str, *, site: Any = None, kind: str = "laptop", muni: Any = None,
           room: Any = None) -> Device:  # fmt: skip
    """A device inventoried on ``site`` (site A by default), with its asset of ``kind``."""
    site = site or world.a.school.site
    municipality = muni or site.municipality
    asset = Asset.objects.create(
        municipality=municipality, kind=kind, code=f"C{name.upper()[:10]}", serial=f"SN-{name}",
        site=site, room=room,
    )  # fmt: skip
    return Device.objects.create(
        municipality=municipality, site=site, asset=asset, deviceid=f"{name}-2025-01-01-00-00-00",
        hostname=name,
    )  # fmt: skip


def fleet_devices(world: World) -> dict[str, Device]:
    """Two laptops on site A, a display on site B, a laptop in Vannes."""
    return {
        "a1": device(world, "pc-a1"),
        "a2": device(world, "pc-a2"),
        "b1": device(world, "tbi-b1", site=world.b.school.site, kind="display"),
        "v1": device(world, "pc-v1", site=world.v.school.site),
    }


def package(world: World, actor: Any, name: str = "LibreOffice", *, muni: Any = None,
            with_file: bool = False) -> Package:  # fmt: skip
    """A package with one command (and a file when asked), ready to deploy."""
    made = services.create_package(muni or world.lorient, name=name, actor=actor)
    if with_file:
        data = b"installer bytes" * 10
        services_files.add_file(
            made, io.BytesIO(data), name="setup.msi", size=len(data), actor=actor
        )
    services_steps.add_action(
        made, {"kind": "cmd", "command": "msiexec /i setup.msi /qn", "ok_codes": "0"}, actor=actor
    )
    return made


def job(deployment: Deployment, on: Device, status: str, message: str = "") -> DeploymentJob:
    return DeploymentJob.objects.create(
        deployment=deployment, device=on, status=status, uuid=str(uuid.uuid4()), message=message
    )
