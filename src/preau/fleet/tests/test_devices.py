"""Device pages, the agents' page, and the raw payload purge."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from preau.fleet.inventory.ingest import purge_raw
from preau.fleet.models import AgentEvent, AgentTag, Device, RawInventory

from .helpers import fixture, post

pytestmark = pytest.mark.django_db


@pytest.fixture
def device(world, client, django_capture_on_commit_callbacks):
    AgentTag.objects.create(site=world.a.school.site, tag="SITE-A")
    with django_capture_on_commit_callbacks(execute=True):
        post(client, fixture("ocs-inventory.zlib"))
    return Device.objects.get()


@pytest.mark.parametrize(
    ("persona", "status"),
    [("city_admin", 200), ("director_a", 200), ("teacher_a1", 200), ("director_b", 404),
     ("vannes_admin", 404), ("parent", 404), ("pupil", 404), ("outsider", 404)],
)  # fmt: skip
def test_device_detail_someone_elses_is_404(world, device, persona, status):
    client = world.client_for(world.persona(persona))
    response = client.get(reverse("fleet:device_detail", args=[device.pk]))
    assert response.status_code == status
    if status == 200:
        assert "adduser" in response.text
        assert "AMD EPYC" in response.text


def test_device_list(world, device, tech):
    page = world.client_for(tech).get(reverse("fleet:device_list"), {"q": "vm"})
    assert page.status_code == 200
    assert "913" in page.text
    # Another school's director does not see the device (its link is absent from the list).
    link = reverse("fleet:device_detail", args=[device.pk])
    assert link in page.text
    other = world.client_for(world.b.director).get(reverse("fleet:device_list"))
    assert link not in other.text


def test_agents_page_shows_own_events_and_manages_tags(world, tech, client):
    AgentEvent.objects.create(kind="refused", message="lorient refusal", municipality=world.lorient)
    AgentEvent.objects.create(kind="refused", message="vannes refusal", municipality=world.vannes)
    page = world.client_for(tech).get(reverse("fleet:agents"))
    assert "lorient refusal" in page.text
    assert "vannes refusal" not in page.text
    response = world.client_for(tech).post(
        reverse("fleet:agents"), {"site": world.a.school.site.pk, "tag": "ECOLE-A"}
    )
    assert response.status_code == 302
    tag = AgentTag.objects.get(tag="ECOLE-A")
    other = world.client_for(world.vannes_admin)
    assert other.post(reverse("fleet:agents"), {"site": world.a.school.site.pk, "tag": "X"}
                      ).status_code == 200  # fmt: skip
    assert not AgentTag.objects.filter(tag="X").exists()  # not a site they may choose
    remove = reverse("fleet:agent_tag_remove", args=[tag.pk])
    assert other.post(remove).status_code == 404
    assert world.client_for(tech).post(remove).status_code == 302
    assert not AgentTag.objects.filter(tag="ECOLE-A").exists()


@pytest.mark.parametrize("persona", ["director_a", "teacher_a0", "parent", "outsider"])
def test_agents_page_is_for_fleet_managers(world, persona):
    client = world.client_for(world.persona(persona))
    assert client.get(reverse("fleet:agents")).status_code == 404


def test_old_raw_payloads_are_purged(device):
    RawInventory.objects.update(received_at=timezone.now() - dt.timedelta(days=31))
    assert purge_raw(30) == 1
    assert Device.objects.filter(pk=device.pk).exists()


def test_navigation_entry(world, tech):
    assert 'href="/fleet/"' in world.client_for(tech).get("/").text
    assert 'href="/fleet/"' in world.client_for(world.a.teachers[0]).get("/").text
    assert 'href="/fleet/"' not in world.client_for(world.parent).get("/").text


def test_device_page_lists_its_deployments_to_staff_only(world, device, tech):
    from preau.fleet.deploy.services_deployments import create_deployment
    from preau.fleet.models import DeploymentJob

    from .deploy_ui_helpers import job, package

    made = package(world, tech, "GCompris")
    deployment = create_deployment(tech, made, devices=[device])
    job(deployment, device, "failed", message="exit status: 2")
    url = reverse("fleet:device_detail", args=[device.pk])
    page = world.client_for(tech).get(url).text
    assert "GCompris" in page
    assert "exit status: 2" in page
    assert reverse("fleet:deployment_job", args=[DeploymentJob.objects.get().pk]) in page
    director = world.client_for(world.persona("director_a")).get(url)
    assert director.status_code == 200
    assert "GCompris" not in director.text
