"""The Deploy task protocol as FusionInventory's agent speaks it: getConfig, getJobs
(checked against the agent's own ``_validateAnswer``), targets, and the parts mirror."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from preau.directory.models import Room
from preau.fleet.deploy import storage
from preau.fleet.deploy.protocol import ok_codes
from preau.fleet.deploy.targets import active_deployments_for, target_devices
from preau.fleet.models import Asset, Deployment, DeploymentJob, Device, DeviceAlias, JobStatus

from ..helpers import FUSION_AGENT
from .helpers import (
    PAYLOAD,
    REMOTE,
    SUCCESS_RUN,
    agent_rejects,
    deploy_to,
    jobs_of,
    make_package,
    run,
)

pytestmark = pytest.mark.django_db


# getConfig -------------------------------------------------------------------------------


def test_get_config_gives_the_deploy_remote_to_a_known_device(client, device):
    params = {"action": "getConfig", "machineid": device.deviceid, "task[Deploy]": "2.8"}
    response = client.get("/plugins/fusioninventory/", params, HTTP_USER_AGENT=FUSION_AGENT)
    assert response.status_code == 200
    assert json.loads(response.content) == {
        "schedule": [{"task": "Deploy", "remote": f"http://testserver{REMOTE}"}]
    }


@pytest.mark.parametrize(
    "params",
    [
        {"machineid": "never-seen-2026-01-01-00-00-00", "task[Deploy]": "2.8"},
        {"machineid": "pc-a-2026-01-05-08-00-00", "task[Collect]": "2.6"},
        {"task[Deploy]": "2.8"},
    ],
)
def test_get_config_schedules_nothing_otherwise(client, device, params):
    response = client.get("/ocsinventory", {"action": "getConfig", **params})
    assert json.loads(response.content) == {"schedule": []}


# getJobs ---------------------------------------------------------------------------------


def test_get_jobs_answer_is_what_the_agent_accepts(client, device, package):
    deploy_to(package, devices=[device])
    answer = jobs_of(client, device)
    assert agent_rejects(answer) == ""
    job = DeploymentJob.objects.get()
    assert (job.device, job.status) == (device, JobStatus.WAITING)
    file = package.files.get()
    assert len(file.parts) == 3  # 21 bytes in 8-byte parts
    assert answer["associatedFiles"] == {
        file.sha512: {
            "name": "payload.txt",
            "mirrors": [f"http://testserver{REMOTE}parts/"],
            "multiparts": file.parts,
            "p2p": 0,
            "p2p-retention-duration": 0,
            "uncompress": 0,
        }
    }
    assert answer["jobs"] == [
        {
            "uuid": job.uuid,
            "requires": {},
            "checks": [{"type": "fileMissing", "path": "/tmp/x", "value": "", "return": "skip"}],
            "associatedFiles": [file.sha512],
            "actions": [
                {"cmd": {"exec": "cp payload.txt /tmp/x", "name": "install",
                         "retChecks": [{"type": "okCode", "values": [0, 3010]}]}},
                {"copy": {"from": "payload.txt", "to": "/tmp/y"}},
                {"mkdir": {"list": ["/tmp/dir"]}},
                {"delete": {"list": ["/tmp/old"]}},
            ],
        }
    ]  # fmt: skip


def test_the_agent_rules_catch_a_bad_answer():
    assert agent_rejects([]) == "Bad answer from server. Not a hash reference."
    assert agent_rejects({"jobs": []}) == "missing associatedFiles key"
    file = {"mirrors": [], "multiparts": [], "name": "f", "p2p-retention-duration": 0}
    assert agent_rejects({"associatedFiles": {"x": file}}) == "Missing key `p2p' in associatedFiles"
    bad_job = {"uuid": "u", "associatedFiles": [], "actions": {}, "checks": []}
    assert (
        agent_rejects({"associatedFiles": {}, "jobs": [bad_job]}) == "jobs/actions must be an array"
    )


def test_nothing_to_do_is_an_empty_hash(client, device):
    assert jobs_of(client, device) == {}
    assert not DeploymentJob.objects.exists()


def test_asking_again_offers_the_same_job_until_it_is_finished(client, device, package):
    deploy_to(package, devices=[device])
    first = jobs_of(client, device)["jobs"][0]["uuid"]
    assert jobs_of(client, device)["jobs"][0]["uuid"] == first
    run(client, device, first, SUCCESS_RUN[:7])  # interrupted while running: offered again
    assert jobs_of(client, device)["jobs"][0]["uuid"] == first
    run(client, device, first, SUCCESS_RUN[7:])
    assert jobs_of(client, device) == {}
    assert DeploymentJob.objects.count() == 1


@pytest.mark.parametrize("state", [Deployment.State.PAUSED, Deployment.State.CANCELLED])
def test_paused_or_cancelled_deployments_are_not_offered(client, device, package, state):
    deploy_to(package, devices=[device], state=state)
    assert jobs_of(client, device) == {}


def test_a_trashed_package_is_not_offered(client, device, package):
    deploy_to(package, devices=[device])
    package.trashed_at = timezone.now()
    package.save()
    assert jobs_of(client, device) == {}


def test_a_device_is_found_by_a_former_deviceid(client, device, package):
    DeviceAlias.objects.create(device=device, deviceid="pc-a-2025-09-01-08-00-00")
    deploy_to(package, devices=[device])
    answer = jobs_of(client, Device(deviceid="pc-a-2025-09-01-08-00-00"))
    assert len(answer["jobs"]) == 1


def test_files_shared_by_two_packages_are_listed_once(client, world, device, package):
    other = make_package(world.lorient, "Other", files={"copy.txt": PAYLOAD})
    deploy_to(package, devices=[device])
    deploy_to(other, devices=[device])
    answer = jobs_of(client, device)
    assert agent_rejects(answer) == ""
    assert len(answer["jobs"]) == 2
    assert list(answer["associatedFiles"]) == [package.files.get().sha512]


def test_get_jobs_queries_stay_flat(client, world, device, django_assert_max_num_queries):
    for i in range(6):
        package = make_package(world.lorient, f"P{i}", files={f"f{i}": b"x" * (i + 1)},
                               actions=[{"kind": "cmd", "command": "true"}])  # fmt: skip
        deploy_to(package, devices=[device] if i % 2 else [], sites=[world.a.school.site])
    with django_assert_max_num_queries(8):
        assert len(jobs_of(client, device)["jobs"]) == 6
    with django_assert_max_num_queries(7):  # the jobs exist now
        assert len(jobs_of(client, device)["jobs"]) == 6


def test_ok_codes():
    assert ok_codes("0") == [0]
    assert ok_codes("0, 3010;1641") == [0, 3010, 1641]
    assert ok_codes("") is None  # no retChecks: any exit code succeeds
    assert ok_codes("none") == [0]  # never an empty list: the agent would fail every run


def test_a_blank_ok_codes_sends_no_ret_checks(client, world, device):
    package = make_package(
        world.lorient, actions=[{"kind": "cmd", "command": "true", "ok_codes": ""}]
    )
    deploy_to(package, devices=[device])
    assert jobs_of(client, device)["jobs"][0]["actions"] == [{"cmd": {"exec": "true"}}]


def test_uncompress_is_one(client, world, device):
    package = make_package(world.lorient, files={"a.tar.gz": b"\x1f\x8b"})
    package.files.update(uncompress=True)
    deploy_to(package, devices=[device])
    assert next(iter(jobs_of(client, device)["associatedFiles"].values()))["uncompress"] == 1


# Targets and isolation -------------------------------------------------------------------


def test_a_device_never_gets_another_municipalitys_job(
    client, world, device, vannes_device, package
):
    deploy_to(package, devices=[vannes_device])  # a Lorient deployment naming a Vannes device
    deploy_to(package, kinds=["switch"])
    deploy_to(package, sites=[world.v.school.site])
    assert jobs_of(client, vannes_device) == {}
    assert not DeploymentJob.objects.filter(device=vannes_device).exists()


def test_targets_by_site_room_and_kind(world, device, package):
    room = Room.objects.create(site=world.a.school.site, name="Salle info")
    other_room = Room.objects.create(site=world.a.school.site, name="BCD")
    Asset.objects.filter(pk=device.asset_id).update(room=room)
    device.refresh_from_db()
    site_a, site_b = world.a.school.site, world.b.school.site
    cases: dict[str, tuple[dict[str, Any], bool]] = {
        "site": ({"sites": [site_a]}, True),
        "other site": ({"sites": [site_b]}, False),
        "site and kind": ({"sites": [site_a], "kinds": ["laptop"]}, True),
        "site, wrong kind": ({"sites": [site_a], "kinds": ["display"]}, False),
        "room": ({"rooms": [room]}, True),
        "other room": ({"rooms": [other_room]}, False),
        "kind": ({"kinds": ["laptop", "desktop"]}, True),
        "listed though elsewhere": ({"devices": [device], "sites": [site_b]}, True),
        "nothing set": ({}, False),
    }
    made = {name: deploy_to(package, **fields) for name, (fields, _) in cases.items()}
    offered = {d.pk for d in active_deployments_for(device)}
    for name, (_, expected) in cases.items():
        deployment = made[name]
        assert (deployment.pk in offered) is expected, name
        assert target_devices(deployment).filter(pk=device.pk).exists() is expected, name


def test_a_device_placed_only_by_its_asset_is_targeted_by_site(world, device, package):
    Device.objects.filter(pk=device.pk).update(site=None)
    device.refresh_from_db()
    deployment = deploy_to(package, sites=[world.a.school.site])
    assert active_deployments_for(device) == [deployment]


# Parts mirror ----------------------------------------------------------------------------


def test_a_part_is_served_at_the_agents_path(client, device, package):
    parts = package.files.get().parts
    data = b"".join(client.get(f"{REMOTE}parts/{h[0]}/{h[:2]}/{h}").content for h in parts)
    assert data == PAYLOAD
    response = client.get(f"{REMOTE}parts/{parts[0][0]}/{parts[0][:2]}/{parts[0]}")
    assert response["Content-Type"] == "application/octet-stream"
    assert hashlib.sha512(response.content).hexdigest() == parts[0]


def test_unknown_misplaced_or_damaged_parts_are_404(client, package):
    known = package.files.get().parts[0]
    unknown = hashlib.sha512(b"never stored").hexdigest()
    for path in [
        f"{unknown[0]}/{unknown[:2]}/{unknown}",
        f"0/00/{known}" if known[0] != "0" else f"1/11/{known}",
        f"{known[0]}/{known[:2]}/{known.upper()}",
        f"{known[0]}/{known[:2]}/{known[:20]}",
        "",
    ]:
        assert client.get(f"{REMOTE}parts/{path}").status_code == 404, path
    with default_storage.open(storage.part_name(known), "wb") as handle:
        handle.write(b"tampered")
    assert client.get(f"{REMOTE}parts/{known[0]}/{known[:2]}/{known}").status_code == 404
