"""The fleet API's packages and deployments: technicians and city admins only."""

from __future__ import annotations

import uuid
from types import SimpleNamespace

import pytest

from preau.fleet.models import (
    Deployment,
    DeploymentJob,
    DeploymentJobEvent,
    Device,
    Package,
    PackageAction,
    PackageFile,
)

pytestmark = pytest.mark.django_db
API = "/api/v1/fleet"
JSON = "application/json"


def make_package(municipality, name="Firefox ESR"):
    package = Package.objects.create(municipality=municipality, name=name)
    PackageFile.objects.create(
        package=package, name="firefox.deb", sha512="ab" * 64, size=1000, parts=["ab" * 64]
    )
    PackageAction.objects.create(package=package, kind="cmd", command="dpkg -i firefox.deb")
    return package


def make_devices(world, site, n, prefix="pc"):
    return Device.objects.bulk_create(
        Device(
            municipality=world.lorient, site=site, deviceid=f"{prefix}-{i}", hostname=f"{prefix}{i}"
        )
        for i in range(n)
    )


def job(deployment, device, status, message=""):
    return DeploymentJob.objects.create(
        deployment=deployment, device=device, uuid=str(uuid.uuid4()), status=status,
        message=message,
    )  # fmt: skip


@pytest.fixture
def rollout(world):
    """Firefox to site A: pc0 succeeded, pc1 failed, pc2's agent has not asked yet."""
    package = make_package(world.lorient)
    devices = make_devices(world, world.a.school.site, 3)
    make_devices(world, world.b.school.site, 1, prefix="b")
    deployment = Deployment.objects.create(municipality=world.lorient, package=package)
    deployment.sites.set([world.a.school.site])
    ok = job(deployment, devices[0], "succeeded")
    failed = job(deployment, devices[1], "failed", "exit code 2")
    DeploymentJobEvent.objects.create(job=failed, step="processing", status="ko", message="2")
    make_package(world.vannes, "Vannes only")
    return SimpleNamespace(package=package, deployment=deployment, devices=devices, ok=ok,
                           failed=failed)  # fmt: skip


def paths(rollout):
    d = rollout.deployment.pk
    return [f"/packages/{rollout.package.pk}", f"/deployments/{d}", f"/deployments/{d}/devices",
            f"/jobs/{rollout.failed.pk}"]  # fmt: skip


@pytest.mark.parametrize(
    ("persona", "sees"),
    [("city_admin", True), ("director_a", False), ("teacher_a0", False), ("erun", False),
     ("vannes_admin", False), ("parent", False), ("pupil", False), ("outsider", False)],
)  # fmt: skip
def test_only_the_municipalitys_fleet_managers_see_deployments(world, rollout, persona, sees):
    client = world.client_for(world.persona(persona))
    packages = [row["name"] for row in client.get(f"{API}/packages").json()["items"]]
    deployments = [row["id"] for row in client.get(f"{API}/deployments").json()["items"]]
    if sees:
        assert (packages, deployments) == (["Firefox ESR"], [rollout.deployment.pk])
    else:
        assert packages in ([], ["Vannes only"])
        assert deployments == []
    for path in paths(rollout):
        assert client.get(API + path).status_code == (200 if sees else 404), path


def test_package_detail(world, rollout, tech):
    client = world.client_for(tech)
    body = client.get(f"{API}/packages/{rollout.package.pk}").json()
    assert (body["file_count"], body["size"], body["trashed"]) == (1, 1000, False)
    assert body["files"][0]["name"] == "firefox.deb"
    assert body["actions"][0]["command"] == "dpkg -i firefox.deb"
    assert body["deployments"] == [rollout.deployment.pk]
    assert client.get(f"{API}/packages", {"trashed": True}).json()["items"] == []


def test_counts_progress_and_devices(world, rollout, tech):
    client = world.client_for(tech)
    [row] = client.get(f"{API}/deployments").json()["items"]
    assert row["counts"]["succeeded"] == row["counts"]["failed"] == 1
    assert row["counts"]["total"] == 2
    assert row["target"] == {"sites": [world.a.school.site.pk], "rooms": [], "kinds": [],
                             "devices": []}  # fmt: skip
    detail = client.get(f"{API}/deployments/{rollout.deployment.pk}").json()
    assert detail["progress"]["not_asked"] == 1
    assert detail["progress"]["total"] == 3
    url = f"{API}/deployments/{rollout.deployment.pk}/devices"
    rows = client.get(url).json()["items"]
    assert [(r["hostname"], r["status"]) for r in rows] == [
        ("pc0", "succeeded"), ("pc1", "failed"), ("pc2", "not_asked")]  # fmt: skip
    [failed] = client.get(url, {"status": "failed"}).json()["items"]
    assert (failed["job_id"], failed["message"]) == (rollout.failed.pk, "exit code 2")
    assert client.get(url, {"status": "not_asked"}).json()["items"][0]["job_id"] is None
    bad = client.get(url, {"status": "finished"})
    assert bad.status_code == 422
    assert bad.json()["detail"].startswith("status:")
    events = client.get(f"{API}/jobs/{rollout.failed.pk}").json()["events"]
    assert [(e["step"], e["status"]) for e in events] == [("processing", "ko")]


def test_technician_deploys_pauses_retries_and_cancels(world, rollout, tech):
    client = world.client_for(tech)
    body = {
        "package_id": rollout.package.pk,
        "kinds": ["laptop"],
        "sites": [world.b.school.site.pk],
    }
    made = client.post(f"{API}/deployments", body, content_type=JSON)
    assert made.status_code == 201, made.content
    assert made.json()["target"]["kinds"] == ["laptop"]
    url = f"{API}/deployments/{rollout.deployment.pk}"
    assert client.post(f"{url}/pause").json()["state"] == "paused"
    again = client.post(f"{url}/pause")
    assert again.status_code == 422
    assert "Only an active deployment" in again.json()["detail"]
    assert client.post(f"{url}/resume").json()["state"] == "active"
    retried = client.post(f"{url}/retry").json()
    assert retried["counts"]["failed"] == 0
    assert retried["counts"]["waiting"] == 1
    cancelled = client.post(f"{url}/cancel").json()
    assert cancelled["state"] == "cancelled"
    assert cancelled["counts"]["cancelled"] == 1  # the waiting one; succeeded stays


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ({"kinds": ["spaceship"]}, "kinds: Unknown asset kind"),
        ({"sites": ["vannes"]}, "sites: Not a site of this municipality"),
        ({}, "Choose at least one"),
        ({"package_id": "vannes", "kinds": ["laptop"]}, "package_id: nothing you may choose"),
    ],
)
def test_a_refused_deployment_says_why(world, rollout, tech, body, says):
    ids = {"vannes": world.v.school.site.pk}
    vannes_package = Package.objects.get(name="Vannes only").pk
    body = {"package_id": rollout.package.pk} | {
        key: ([ids.get(v, v) for v in value] if isinstance(value, list) else vannes_package)
        for key, value in body.items()
    }
    response = world.client_for(tech).post(f"{API}/deployments", body, content_type=JSON)
    assert response.status_code == 422
    assert says in response.json()["detail"]
    assert Deployment.objects.count() == 1


@pytest.mark.parametrize(
    ("persona", "create"),
    [("director_a", 403), ("teacher_a0", 403), ("vannes_admin", 422), ("parent", 404),
     ("pupil", 404), ("outsider", 404)],
)  # fmt: skip
def test_others_cannot_deploy(world, rollout, persona, create):
    client = world.client_for(world.persona(persona))
    body = {"package_id": rollout.package.pk, "kinds": ["laptop"]}
    assert client.post(f"{API}/deployments", body, content_type=JSON).status_code == create
    for action in ("pause", "resume", "cancel", "retry"):
        url = f"{API}/deployments/{rollout.deployment.pk}/{action}"
        assert client.post(url).status_code == 404
    assert Deployment.objects.get().state == "active"


def test_lists_cost_the_same_queries_whatever_their_length(
    world, tech, django_assert_max_num_queries
):
    client = world.client_for(tech)
    site = world.a.school.site
    for n in (2, 20):
        devices = make_devices(world, site, n, prefix=f"n{n}")
        for i in range(n):
            package = make_package(world.lorient, f"p{n}-{i}")
            deployment = Deployment.objects.create(municipality=world.lorient, package=package)
            deployment.sites.set([site])
            deployment.devices.set(devices[:2])
            job(deployment, devices[i], "running")
        with django_assert_max_num_queries(8):
            assert len(client.get(f"{API}/packages", {"page_size": 200}).json()["items"]) >= n
        with django_assert_max_num_queries(11):  # 6 to authenticate, count, rows, 3 targets
            assert len(client.get(f"{API}/deployments", {"page_size": 200}).json()["items"]) >= n
        with django_assert_max_num_queries(11):
            rows = client.get(f"{API}/deployments/{deployment.pk}/devices", {"page_size": 200})
            assert len(rows.json()["items"]) >= n
