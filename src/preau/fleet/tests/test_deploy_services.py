"""Deployment services: packages, files, checks and actions, deployments and their jobs."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage

from preau.core.models import AuditEvent
from preau.directory.models import Room
from preau.fleet.deploy import (
    services,
    services_deployments,
    services_files,
    services_steps,
    storage,
)
from preau.fleet.deploy.seed import seed_deployments
from preau.fleet.deploy.targets import target_devices
from preau.fleet.models import (
    Deployment,
    DeploymentJob,
    DeploymentJobEvent,
    JobStatus,
    Package,
    PackageAction,
    PackageCheck,
    PackageFile,
)

from .deploy_ui_helpers import device, fleet_devices, job, package

pytestmark = pytest.mark.django_db
SHA = "ab" * 64


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def devices(world):
    return fleet_devices(world)


def add(pkg, data: bytes, name: str = "setup.msi", actor=None, **extra):
    return services_files.add_file(
        pkg, io.BytesIO(data), name=name, size=len(data), actor=actor, **extra
    )


def stored(digest: str) -> bool:
    return default_storage.exists(storage.part_name(digest))


# Packages --------------------------------------------------------------------------------


def test_create_rename_and_names_are_unique_per_municipality(world, tech):
    made = services.create_package(world.lorient, name=" LibreOffice ", actor=tech)
    assert (made.name, made.created_by) == ("LibreOffice", tech)
    with pytest.raises(ValidationError, match="already exists") as exc:
        services.create_package(world.lorient, name="libreoffice", actor=tech)
    assert "name" in exc.value.error_dict
    services.create_package(world.vannes, name="LibreOffice", actor=tech)  # another city
    with pytest.raises(ValidationError, match="a name"):
        services.update_package(made, name="  ", actor=tech)
    renamed = services.update_package(made, name="LibreOffice 24.8", description="x", actor=tech)
    assert renamed.name == "LibreOffice 24.8"
    actions = list(AuditEvent.objects.order_by("pk").values_list("action", flat=True))
    assert actions == ["fleet.package_created"] * 2 + ["fleet.package_changed"]


def test_files_are_stored_by_parts_and_checked(world, tech, settings):
    pkg = services.create_package(world.lorient, name="P", actor=tech)
    data = b"x" * 3000
    file = add(pkg, data, uncompress=True, actor=tech)
    assert (file.size, file.uncompress, file.position) == (3000, True, 0)
    assert all(stored(p) for p in file.parts)
    assert file.sha512 == storage.store(io.BytesIO(data)).sha512
    settings.PREAU_FLEET_DEPLOY_MAX_FILE_BYTES = 100
    bad = {
        "the limit is 100 bytes": (b"y" * 101, "big.msi"),
        "empty": (b"", "empty.msi"),
        "without /": (b"z", "../evil.msi"),
        "already has a file": (b"z", "SETUP.MSI"),
    }
    for message, (content, name) in bad.items():
        with pytest.raises(ValidationError, match=message) as exc:
            add(pkg, content, name, actor=tech)
        assert "file" in exc.value.error_dict
    assert pkg.files.count() == 1
    assert AuditEvent.objects.filter(action="fleet.package_file_added").count() == 1


def test_removing_a_file_keeps_parts_another_file_uses(
    world, tech, django_capture_on_commit_callbacks
):
    one = services.create_package(world.lorient, name="One", actor=tech)
    shared = add(one, b"shared bytes", "a.msi", actor=tech)
    own = add(one, b"own bytes", "b.msi", actor=tech)
    copy = services.duplicate_package(one, actor=tech)
    with django_capture_on_commit_callbacks(execute=True):
        services_files.remove_file(shared, actor=tech)
    assert stored(shared.parts[0])  # still in the copy
    with django_capture_on_commit_callbacks(execute=True):
        services_files.remove_file(copy.files.get(name="a.msi"), actor=tech)
        services_files.remove_file(own, actor=tech)
    assert not stored(shared.parts[0])
    assert stored(own.parts[0])  # the copy's b.msi


def test_duplicate_copies_everything_under_a_new_name(world, tech):
    pkg = package(world, tech, "GCompris", with_file=True)
    services_steps.add_check(pkg, {"kind": "fileExists", "path": "C:\\g.exe", "on_fail": "skip"},
                             actor=tech)  # fmt: skip
    first = services.duplicate_package(pkg, actor=tech)
    second = services.duplicate_package(pkg, actor=tech)
    assert (first.name, second.name) == ("GCompris (copy)", "GCompris (copy 2)")
    for copy in (first, second):
        assert copy.files.get().parts == pkg.files.get().parts
        assert copy.checks.get().path == "C:\\g.exe"
        assert copy.actions.get().command == "msiexec /i setup.msi /qn"
    assert PackageFile.objects.count() == 3


# Checks and actions ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"kind": "fileExists", "path": " "}, "path", "Give the path"),
        ({"kind": "fileSHA512", "path": "C:\\a", "value": "12"}, "value", "128 hexadecimal"),
        ({"kind": "freespaceGreater", "path": "C:\\", "value": "-3"}, "value", "whole number"),
        ({"kind": "teleport", "path": "C:\\"}, "kind", "checks offered"),
        ({"kind": "fileExists", "path": "C:\\", "on_fail": "explode"}, "on_fail", "Choose what"),
    ],
)
def test_bad_checks_name_the_field(world, tech, fields, field, message):
    pkg = package(world, tech)
    with pytest.raises(ValidationError, match=message) as exc:
        services_steps.add_check(pkg, fields, actor=tech)
    assert field in exc.value.error_dict
    assert not PackageCheck.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"kind": "cmd", "command": "  "}, "command", "command to run"),
        ({"kind": "copy", "command": "a.txt"}, "target", "destination"),
        ({"kind": "cmd", "command": "x", "ok_codes": "0,oops"}, "ok_codes", "whole numbers"),
        ({"kind": "cmd", "command": "x", "ok_codes": "99999999999"}, "ok_codes", "whole numbers"),
        ({"kind": "mkdir", "command": ""}, "command", "Give the path"),
    ],
)
def test_bad_actions_name_the_field(world, tech, fields, field, message):
    pkg = services.create_package(world.lorient, name="P", actor=tech)
    with pytest.raises(ValidationError, match=message) as exc:
        services_steps.add_action(pkg, fields, actor=tech)
    assert field in exc.value.error_dict
    assert not PackageAction.objects.exists()


def test_steps_are_cleaned_ordered_moved_and_removed(world, tech):
    pkg = services.create_package(world.lorient, name="P", actor=tech)
    add_action = services_steps.add_action
    one = add_action(pkg, {"kind": "cmd", "command": "a", "ok_codes": " 0; 3010 ,0"}, actor=tech)
    two = add_action(pkg, {"kind": "mkdir", "command": "C:\\d", "ok_codes": "5"}, actor=tech)
    three = add_action(pkg, {"kind": "cmd", "command": "c"}, actor=tech)
    sha = services_steps.add_check(pkg, {"kind": "fileSHA512", "path": "C:\\a",
                                         "value": SHA.upper()}, actor=tech)  # fmt: skip
    assert (one.ok_codes, two.ok_codes, three.ok_codes, sha.value) == ("0,3010", "", "0", SHA)

    def order():
        return list(pkg.actions.values_list("command", flat=True))

    services_steps.move_step(three, up=True, actor=tech)
    assert order() == ["a", "c", "C:\\d"]
    services_steps.move_step(one, up=True, actor=tech)  # already first: nothing
    services_steps.move_step(two, up=False, actor=tech)  # already last: nothing
    assert order() == ["a", "c", "C:\\d"]
    services_steps.update_step(one, {"command": "a2", "ok_codes": ""}, actor=tech)
    services_steps.remove_step(three, actor=tech)
    assert order() == ["a2", "C:\\d"]
    assert list(pkg.actions.values_list("position", flat=True)) == [0, 1]
    assert pkg.actions.get(command="a2").ok_codes == ""  # any exit code succeeds
    assert AuditEvent.objects.filter(action__startswith="fleet.package_action_").count() == 6


def test_a_package_being_deployed_is_frozen_until_cancelled(world, tech, devices):
    pkg = package(world, tech, with_file=True)
    deployment = services_deployments.create_deployment(tech, pkg, devices=[devices["a1"]])
    action = pkg.actions.get()
    frozen = [
        lambda: services_steps.add_check(pkg, {"kind": "fileExists", "path": "x"}, actor=tech),
        lambda: services_steps.update_step(action, {"command": "other"}, actor=tech),
        lambda: services_steps.remove_step(action, actor=tech),
        lambda: add(pkg, b"more", "more.txt", actor=tech),
        lambda: services_files.remove_file(pkg.files.get(), actor=tech),
        lambda: services.trash_package(pkg, actor=tech),
    ]
    for write in frozen:
        with pytest.raises(ValidationError, match="being deployed"):
            write()
    services.update_package(pkg, name="Renamed", actor=tech)  # the name is not frozen
    services.duplicate_package(pkg, actor=tech)  # nor is copying it
    services_deployments.cancel(deployment, actor=tech)
    services_steps.update_step(action, {"command": "other"}, actor=tech)


def test_trash_restore_and_erase(world, tech, devices, django_capture_on_commit_callbacks):
    pkg = package(world, tech, with_file=True)
    part = pkg.files.get().parts[0]
    with pytest.raises(ValidationError, match="trash before"):
        services.erase_package(pkg, actor=tech)
    deployment = services_deployments.create_deployment(tech, pkg, devices=[devices["a1"]])
    job(deployment, devices["a1"], JobStatus.SUCCEEDED)
    services_deployments.cancel(deployment, actor=tech)
    services.trash_package(pkg, actor=tech)
    with pytest.raises(ValidationError, match="in the trash"):
        services_steps.add_check(pkg, {"kind": "fileExists", "path": "x"}, actor=tech)
    services.restore_package(pkg, actor=tech)
    assert Package.objects.get().trashed_at is None
    services.trash_package(pkg, actor=tech)
    with django_capture_on_commit_callbacks(execute=True):
        services.erase_package(pkg, actor=tech)
    assert not Package.objects.exists()
    assert not Deployment.objects.exists()  # its cancelled deployment's history went with it
    assert not stored(part)
    erased = AuditEvent.objects.get(action="fleet.package_erased")
    assert erased.data == {"deployments": 1, "files": 1}


# Deployments -----------------------------------------------------------------------------


def test_launch_and_preview_match(world, tech, devices):
    pkg = package(world, tech)
    site_a = world.a.school.site
    target = services_deployments.check_target(pkg, sites=[site_a], kinds=["laptop"])
    preview = set(services_deployments.matching_devices(target))
    deployment = services_deployments.create_deployment(tech, pkg, sites=[site_a], kinds=["laptop"])
    assert preview == set(target_devices(deployment)) == {devices["a1"], devices["a2"]}
    assert (deployment.state, deployment.created_by, deployment.kinds) == (
        "active",
        tech,
        ["laptop"],
    )
    event = AuditEvent.objects.get(action="fleet.deployment_created")
    assert (event.data["matched"], event.data["sites"]) == (2, [site_a.pk])


@pytest.mark.parametrize(
    ("target", "message", "field"),
    [
        ({}, "at least one site", None),
        ({"sites": ["v"]}, "Not a site of this municipality", "sites"),
        ({"rooms": ["v_room"]}, "Not a room of this municipality", "rooms"),
        ({"devices": ["v1"]}, "Not a device of this municipality", "devices"),
        ({"kinds": ["spaceship"]}, "Unknown asset kind: spaceship", "kinds"),
        ({"sites": ["a"], "rooms": ["b_room"]}, "not in the chosen sites", "rooms"),
    ],
)
def test_bad_targets_are_refused_and_nothing_is_made(world, tech, devices, target, message, field):
    objects = {
        "a": world.a.school.site,
        "v": world.v.school.site,
        "v_room": Room.objects.create(site=world.v.school.site, name="Salle V"),
        "b_room": Room.objects.create(site=world.b.school.site, name="Salle B"),
        "v1": devices["v1"],
    }
    chosen: dict[str, Any] = {k: [objects.get(x, x) for x in v] for k, v in target.items()}
    with pytest.raises(ValidationError, match=message) as exc:
        services_deployments.create_deployment(tech, package(world, tech), **chosen)
    assert field is None or field in exc.value.error_dict
    assert "Salle V" not in str(exc.value)  # another municipality's names are not told
    assert not Deployment.objects.exists()


def test_a_package_without_action_or_in_the_trash_is_not_deployed(world, tech, devices):
    empty = services.create_package(world.lorient, name="Empty", actor=tech)
    with pytest.raises(ValidationError, match="no action"):
        services_deployments.create_deployment(tech, empty, devices=[devices["a1"]])
    trashed = services.trash_package(package(world, tech), actor=tech)
    with pytest.raises(ValidationError, match="in the trash"):
        services_deployments.create_deployment(tech, trashed, devices=[devices["a1"]])
    assert not Deployment.objects.exists()


def test_pause_resume_cancel(world, tech, devices):
    deployment = services_deployments.create_deployment(tech, package(world, tech),
                                                        sites=[world.a.school.site])  # fmt: skip
    jobs = {s: job(deployment, device(world, f"pc-{s}"), s) for s in JobStatus.values}
    with pytest.raises(ValidationError, match="Only a paused"):
        services_deployments.resume(deployment, actor=tech)
    assert services_deployments.pause(deployment, actor=tech).state == "paused"
    with pytest.raises(ValidationError, match="Only an active"):
        services_deployments.pause(deployment, actor=tech)
    assert services_deployments.resume(deployment, actor=tech).state == "active"
    assert services_deployments.cancel(deployment, actor=tech) == 3
    after = {s: DeploymentJob.objects.get(pk=j.pk).status for s, j in jobs.items()}
    assert after == {
        "waiting": "cancelled", "downloading": "cancelled", "running": "cancelled",
        "succeeded": "succeeded", "failed": "failed", "skipped": "skipped",
        "cancelled": "cancelled",
    }  # fmt: skip
    assert DeploymentJob.objects.get(pk=jobs["running"].pk).finished_at is not None
    with pytest.raises(ValidationError, match="already cancelled"):
        services_deployments.cancel(deployment, actor=tech)
    with pytest.raises(ValidationError, match="cannot be retried"):
        services_deployments.retry_failed(deployment, actor=tech)
    actions = AuditEvent.objects.filter(action__startswith="fleet.deployment_")
    assert actions.count() == 4  # created, paused, resumed, cancelled


def test_retry_failed_gives_failed_jobs_a_new_uuid(world, tech, devices):
    deployment = services_deployments.create_deployment(tech, package(world, tech),
                                                        sites=[world.a.school.site])  # fmt: skip
    failed = job(deployment, devices["a1"], JobStatus.FAILED, "Erreur 1603")
    DeploymentJobEvent.objects.create(job=failed, step="processing", status="ko", message="1603")
    done = job(deployment, devices["a2"], JobStatus.SUCCEEDED)
    assert services_deployments.retry_failed(deployment, actor=tech) == 1
    again = DeploymentJob.objects.get(pk=failed.pk)
    assert (again.status, again.message, again.finished_at) == ("waiting", "", None)
    assert again.uuid != failed.uuid
    assert again.events.count() == 1  # the failed attempt's output is kept
    assert DeploymentJob.objects.get(pk=done.pk).uuid == done.uuid
    assert services_deployments.retry_failed(deployment, actor=tech) == 0


def test_demo_seed(world, tech, devices):
    for n in range(6):
        device(world, f"pc-a{n + 3}")
    made = seed_deployments(world.lorient, None)  # the demo has no one to name
    assert made == DeploymentJob.objects.count() > 0
    assert set(Package.objects.values_list("name", flat=True)) == {"LibreOffice 24.8", "GCompris"}
    office = Deployment.objects.get(package__name="LibreOffice 24.8")
    assert list(office.sites.all()) == [world.a.school.site]
    statuses = set(office.jobs.values_list("status", flat=True))
    assert statuses == {"succeeded", "failed", "running", "downloading", "skipped", "waiting"}
    assert office.jobs.count() == 7  # the eighth device's agent has not asked yet
    assert DeploymentJobEvent.objects.filter(message__contains="1603").exists()
    gcompris = Deployment.objects.get(package__name="GCompris")
    assert gcompris.jobs.count() == 3  # of 8 laptops, the last 5 have not asked yet
    assert seed_deployments(world.lorient, tech) == 0  # once only
