"""Deployment pages through HTTP, as each persona: who reaches what, the package builder,
launching with a preview, the status page, bad input, and flat query counts."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from preau.fleet.deploy import services, services_deployments, services_steps
from preau.fleet.models import Deployment, DeploymentJob, DeploymentJobEvent, JobStatus, Package

from .deploy_ui_helpers import device, fleet_devices, job, package

pytestmark = pytest.mark.django_db
OUTSIDERS = ["director_a", "teacher_a0", "erun", "parent", "pupil", "outsider"]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def built(world, tech):
    """A Lorient package with a file, a check and an action, deployed to site A."""
    devices = fleet_devices(world)
    pkg = package(world, tech, with_file=True)
    services.duplicate_package(pkg, actor=tech)  # an undeployed copy, to edit
    copy = Package.objects.get(name="LibreOffice (copy)")
    services_steps.add_check(copy, {"kind": "fileExists", "path": "C:\\lo.exe"}, actor=tech)
    deployment = services_deployments.create_deployment(tech, pkg, sites=[world.a.school.site])
    failed = job(deployment, devices["a1"], JobStatus.FAILED, "Erreur 1603")
    DeploymentJobEvent.objects.create(job=failed, step="processing", status="ko",
                                      message="MSI: Erreur 1603 fatale")  # fmt: skip
    return {"package": pkg, "copy": copy, "deployment": deployment, "job": failed, **devices}


def _pages(b):
    """Every page (GET) of one Lorient object."""
    return {
        "package_detail": [b["package"].pk],
        "package_edit": [b["copy"].pk],
        "package_check_edit": [b["copy"].checks.get().pk],
        "package_action_edit": [b["copy"].actions.get().pk],
        "deployment_create": [b["package"].pk],
        "deployment_detail": [b["deployment"].pk],
        "deployment_job": [b["job"].pk],
    }


def _posts(b):
    """Every write (POST) on one Lorient object, with a valid body."""
    copy = b["copy"]
    return {
        "package_edit": ([copy.pk], {"name": "X"}),
        "package_duplicate": ([copy.pk], {}),
        "package_trash": ([copy.pk], {}),
        "package_restore": ([copy.pk], {}),
        "package_erase": ([copy.pk], {}),
        "package_file_add": ([copy.pk], {"file": SimpleUploadedFile("x.txt", b"x")}),
        "package_file_remove": ([copy.files.get().pk], {}),
        "package_check_add": ([copy.pk], {"kind": "fileExists", "path": "x", "on_fail": "skip"}),
        "package_check_edit": ([copy.checks.get().pk], {"kind": "fileExists", "path": "y",
                                                        "on_fail": "skip"}),
        "package_check_move": ([copy.checks.get().pk], {"direction": "up"}),
        "package_check_remove": ([copy.checks.get().pk], {}),
        "package_action_add": ([copy.pk], {"kind": "cmd", "command": "x", "ok_codes": "0"}),
        "package_action_remove": ([copy.actions.get().pk], {}),
        "package_action_move": ([copy.actions.get().pk], {"direction": "down"}),
        "deployment_create": ([copy.pk], {"launch": "1", "sites": [b["a1"].site_id]}),
        "deployment_pause": ([b["deployment"].pk], {}),
        "deployment_resume": ([b["deployment"].pk], {}),
        "deployment_cancel": ([b["deployment"].pk], {}),
        "deployment_retry": ([b["deployment"].pk], {}),
    }  # fmt: skip


@pytest.mark.parametrize("persona", ["tech", "city_admin"])
def test_fleet_managers_reach_every_page(world, built, tech, persona):
    client = world.client_for(tech if persona == "tech" else world.city_admin)
    for name in ("package_list", "package_create", "deployment_list"):
        assert client.get(reverse(f"fleet:{name}")).status_code == 200, name
    for name, args in _pages(built).items():
        assert client.get(reverse(f"fleet:{name}", args=args)).status_code == 200, name


@pytest.mark.parametrize("persona", [*OUTSIDERS, "vannes_admin"])
def test_everyone_else_gets_404_and_changes_nothing(world, built, persona):
    client = world.client_for(world.persona(persona))
    if persona != "vannes_admin":  # Vannes' admin has Vannes' (empty) lists
        for name in ("package_list", "package_create", "deployment_list"):
            assert client.get(reverse(f"fleet:{name}")).status_code == 404, name
    for name, args in _pages(built).items():
        assert client.get(reverse(f"fleet:{name}", args=args)).status_code == 404, name
    for name, (args, data) in _posts(built).items():
        assert client.post(reverse(f"fleet:{name}", args=args), data).status_code == 404, name
    assert Package.objects.count() == 2
    assert Deployment.objects.get().state == "active"
    assert DeploymentJob.objects.get().status == "failed"


def test_vannes_lists_show_nothing_of_lorient(world, built):
    client = world.client_for(world.vannes_admin)
    assert "LibreOffice" not in client.get(reverse("fleet:package_list")).text
    assert "LibreOffice" not in client.get(reverse("fleet:deployment_list")).text


def test_anonymous_is_sent_to_login(client, built):
    response = client.get(reverse("fleet:package_detail", args=[built["package"].pk]))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_a_technician_builds_and_launches_a_package(world, tech):
    devices = fleet_devices(world)
    client = world.client_for(tech)
    response = client.post(reverse("fleet:package_create"), {"name": "GCompris"})
    pkg = Package.objects.get(name="GCompris")
    assert response["Location"] == reverse("fleet:package_detail", args=[pkg.pk])
    upload = SimpleUploadedFile("gcompris.exe", b"MZ installer")
    client.post(reverse("fleet:package_file_add", args=[pkg.pk]), {"file": upload})
    client.post(
        reverse("fleet:package_check_add", args=[pkg.pk]),
        {"kind": "fileExists", "path": "C:\\gcompris.exe", "on_fail": "skip"},
    )
    for command in ("gcompris.exe /S", "del C:\\Users\\Public\\Desktop\\GCompris.lnk"):
        client.post(reverse("fleet:package_action_add", args=[pkg.pk]),
                    {"kind": "cmd", "command": command, "ok_codes": "0"})  # fmt: skip
    added = client.post(reverse("fleet:package_action_add", args=[pkg.pk]),
                        {"kind": "mkdir", "command": "C:\\GCompris"}, follow=True)  # fmt: skip
    assert "Action added." in added.text
    pkg.actions.get(kind="mkdir").delete()
    second = pkg.actions.get(position=1)
    client.post(reverse("fleet:package_action_move", args=[second.pk]), {"direction": "up"})
    assert pkg.actions.values_list("pk", flat=True)[0] == second.pk
    page = client.get(reverse("fleet:package_detail", args=[pkg.pk])).text
    assert "gcompris.exe" in page
    assert "C:\\gcompris.exe" in page

    launch = reverse("fleet:deployment_create", args=[pkg.pk])
    site = world.a.school.site.pk
    preview = client.post(launch, {"preview": "1", "sites": [site], "kinds": ["laptop"]})
    assert "This target reaches 2 devices now" in preview.text
    assert not Deployment.objects.exists()
    response = client.post(launch, {"launch": "1", "sites": [site], "kinds": ["laptop"]})
    deployment = Deployment.objects.get()
    assert response["Location"] == reverse("fleet:deployment_detail", args=[deployment.pk])
    status = client.get(response["Location"]).text
    assert status.count("waiting — agent has not asked yet") >= 2
    assert reverse("fleet:device_detail", args=[devices["a1"].pk]) in status
    assert "tbi-b1" not in status
    frozen = client.get(reverse("fleet:package_detail", args=[pkg.pk])).text
    assert "is being deployed" in frozen


def test_bad_input_says_which_field_and_why(world, tech, settings):
    client = world.client_for(tech)
    pkg = package(world, tech)
    bad_codes = client.post(reverse("fleet:package_action_add", args=[pkg.pk]),
                            {"kind": "cmd", "command": "x", "ok_codes": "zero"})  # fmt: skip
    assert bad_codes.status_code == 400
    assert "Exit codes are whole numbers" in bad_codes.text
    bad_check = client.post(reverse("fleet:package_check_add", args=[pkg.pk]),
                            {"kind": "fileSHA512", "path": "C:\\a", "value": "abc",
                             "on_fail": "error"})  # fmt: skip
    assert "128 hexadecimal digits" in bad_check.text
    settings.PREAU_FLEET_DEPLOY_MAX_FILE_BYTES = 4
    upload = SimpleUploadedFile("big.msi", b"12345")
    big = client.post(reverse("fleet:package_file_add", args=[pkg.pk]), {"file": upload},
                      follow=True)  # fmt: skip
    assert "the limit is 4 bytes" in big.text
    taken = client.post(reverse("fleet:package_create"), {"name": "libreoffice"})
    assert "already exists" in taken.text
    launch = reverse("fleet:deployment_create", args=[pkg.pk])
    empty = client.post(launch, {"launch": "1"})
    assert "Choose at least one site, room, asset kind or device." in empty.text
    foreign = client.post(launch, {"launch": "1", "sites": [world.v.school.site.pk]})
    assert "Select a valid choice" in foreign.text
    assert (pkg.checks.count(), pkg.files.count(), pkg.actions.count()) == (0, 0, 1)
    assert not Deployment.objects.exists()
    assert Package.objects.count() == 1


def test_status_page_progress_output_and_refresh(world, built, tech):
    client = world.client_for(tech)
    deployment = built["deployment"]
    url = reverse("fleet:deployment_detail", args=[deployment.pk])
    page = client.get(url).text
    assert "0 of 2 devices finished" not in page  # one failed: finished
    assert "1 of 2 devices finished (50 %)" in page
    assert 'http-equiv="refresh"' not in page  # nothing running
    assert "Retry the failed device" in page
    assert "Erreur 1603" in page
    running = job(deployment, built["a2"], JobStatus.RUNNING)
    page = client.get(url).text
    assert 'http-equiv="refresh"' in page
    assert 'http-equiv="refresh"' not in client.get(url, {"refresh": "off"}).text
    failed_only = client.get(url, {"status": "failed"}).text
    assert "pc-a1" in failed_only
    assert "pc-a2" not in failed_only
    output = client.get(reverse("fleet:deployment_job", args=[built["job"].pk])).text
    assert "MSI: Erreur 1603 fatale" in output
    assert reverse("fleet:device_detail", args=[built["a1"].pk]) in output
    client.post(reverse("fleet:deployment_retry", args=[deployment.pk]))
    assert DeploymentJob.objects.get(pk=built["job"].pk).status == "waiting"
    client.post(reverse("fleet:deployment_pause", args=[deployment.pk]))
    assert 'http-equiv="refresh"' not in client.get(url).text  # paused
    client.post(reverse("fleet:deployment_cancel", args=[deployment.pk]))
    assert DeploymentJob.objects.get(pk=running.pk).status == "cancelled"
    refused = client.post(reverse("fleet:deployment_resume", args=[deployment.pk]), follow=True)
    assert "Only a paused deployment can be resumed." in refused.text


def test_trash_restore_erase_through_the_pages(world, built, tech):
    client = world.client_for(tech)
    copy = built["copy"]
    in_use = client.post(reverse("fleet:package_trash", args=[built["package"].pk]), follow=True)
    assert "cancel its deployments before trashing it" in in_use.text
    client.post(reverse("fleet:package_trash", args=[copy.pk]))
    listed = client.get(reverse("fleet:package_list")).text
    assert "LibreOffice (copy)" not in listed
    assert "LibreOffice (copy)" in client.get(reverse("fleet:package_list"), {"trash": "on"}).text
    client.post(reverse("fleet:package_restore", args=[copy.pk]))
    assert "LibreOffice (copy)" in client.get(reverse("fleet:package_list")).text
    client.post(reverse("fleet:package_trash", args=[copy.pk]))
    client.post(reverse("fleet:package_erase", args=[copy.pk]))
    assert not Package.objects.filter(pk=copy.pk).exists()


def test_search_packages(world, built, tech):
    client = world.client_for(tech)
    services.create_package(world.lorient, name="Éveil musical", actor=tech)
    found = client.get(reverse("fleet:package_list"), {"q": "eveil"}).text
    assert "Éveil musical" in found
    assert "LibreOffice" not in found


def test_list_pages_keep_a_flat_query_count(world, tech, django_assert_max_num_queries):
    client = world.client_for(tech)
    many = [package(world, tech, f"P{i}", with_file=i % 2 == 0) for i in range(12)]
    for pkg in many[:6]:
        services_deployments.create_deployment(tech, pkg, sites=[world.a.school.site])
    with django_assert_max_num_queries(12):
        assert client.get(reverse("fleet:package_list")).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("fleet:deployment_list")).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("fleet:package_detail", args=[many[0].pk])).status_code == 200


def test_status_page_keeps_a_flat_query_count(world, tech, django_assert_max_num_queries):
    deployment = services_deployments.create_deployment(tech, package(world, tech),
                                                        sites=[world.a.school.site])  # fmt: skip
    statuses = JobStatus.values
    for n in range(30):
        made = device(world, f"pc-{n:02d}")
        if n % 3:
            job(deployment, made, statuses[n % len(statuses)], f"message {n}")
    client = world.client_for(tech)
    url = reverse("fleet:deployment_detail", args=[deployment.pk])
    with django_assert_max_num_queries(20):
        page = client.get(url)
    assert page.text.count("<tr>") >= 30
