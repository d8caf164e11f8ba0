"""The Deploy task's setStatus: the agent's reports move a job's status and are kept as
its events; bad reports get the protocol's error, an AgentEvent, and nothing stored."""

from __future__ import annotations

import json

import pytest

from preau.fleet.deploy.jobs import next_status
from preau.fleet.deploy.protocol import StatusReport
from preau.fleet.models import AgentEvent, DeploymentJob, DeploymentJobEvent, JobStatus

from .helpers import (
    FAILED_RUN,
    REMOTE,
    SKIPPED_RUN,
    SUCCESS_RUN,
    call,
    deploy_to,
    jobs_of,
    refused,
    run,
    set_status,
)

pytestmark = pytest.mark.django_db


# setStatus -------------------------------------------------------------------------------


def test_a_successful_run(client, device, package):
    deploy_to(package, devices=[device])
    uuid = jobs_of(client, device)["jobs"][0]["uuid"]
    seen = []
    for step, status, msg in SUCCESS_RUN:
        response = set_status(client, device.deviceid, uuid, step, status, msg)
        assert response.status_code == 200
        assert json.loads(response.content) == {}
        seen.append(DeploymentJob.objects.get().status)
    assert seen == ["downloading"] * 6 + ["running"] * 3 + ["succeeded"]
    job = DeploymentJob.objects.get()
    assert job.started_at is not None
    assert job.finished_at is not None
    assert job.message == "job successfully completed"
    events = list(job.events.values_list("step", "status", "message"))
    assert events == SUCCESS_RUN


def test_a_failed_run_keeps_the_commands_output(client, device, package):
    deploy_to(package, devices=[device])
    uuid = jobs_of(client, device)["jobs"][0]["uuid"]
    job = run(client, device, uuid, FAILED_RUN)
    assert job.status == JobStatus.FAILED
    assert job.finished_at is not None
    messages = list(job.events.values_list("message", flat=True))
    assert "action #1: cp: cannot stat 'nothing': No such file or directory" in messages


def test_a_check_that_says_skip_skips_the_job(client, device, package):
    deploy_to(package, devices=[device])
    uuid = jobs_of(client, device)["jobs"][0]["uuid"]
    assert run(client, device, uuid, SKIPPED_RUN).status == JobStatus.SKIPPED
    assert jobs_of(client, device) == {}


def test_a_failed_download_fails_the_job(client, device, package):
    deploy_to(package, devices=[device])
    uuid = jobs_of(client, device)["jobs"][0]["uuid"]
    sha = package.files.get().sha512
    job = run(client, device, uuid, SUCCESS_RUN[:4])
    response = set_status(client, device.deviceid, uuid, "downloading", "ko",
                          "payload.txt download failed", part="file", sha512=sha)  # fmt: skip
    assert response.status_code == 200
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED


def test_the_same_report_twice_is_kept_once(client, device, package):
    deploy_to(package, devices=[device])
    uuid = jobs_of(client, device)["jobs"][0]["uuid"]
    job = run(client, device, uuid, SUCCESS_RUN + SUCCESS_RUN[-1:])
    assert job.events.count() == len(SUCCESS_RUN)
    finished = job.finished_at
    job = run(client, device, uuid, SUCCESS_RUN[-1:])
    assert job.finished_at == finished


def test_a_status_does_not_revive_a_cancelled_job(client, device, package):
    deploy_to(package, devices=[device])
    uuid = jobs_of(client, device)["jobs"][0]["uuid"]
    DeploymentJob.objects.update(status=JobStatus.CANCELLED)
    job = run(client, device, uuid, SUCCESS_RUN[:3])
    assert job.status == JobStatus.CANCELLED
    assert job.events.count() == 3  # what the agent did is still shown


@pytest.mark.parametrize(
    ("current", "report", "expected"),
    [
        ("waiting", ("checking", "", "starting"), "downloading"),
        (
            "running",
            ("checking", "ok", "check #1, fileExists passed"),
            "running",
        ),  # an action's check
        ("running", ("checking", "", "starting"), "downloading"),  # a new run
        ("downloading", ("checking", "warning", "check #1, fileExists warning"), "downloading"),
        ("downloading", ("checking", "ko", "check #1, failure on fileExists"), "failed"),
        ("running", ("processing", "", "install: output"), "running"),
        ("succeeded", ("checking", "", "starting"), "succeeded"),
        ("failed", ("", "ok", "job successfully completed"), "failed"),
        ("running", ("", "", "whatever"), "running"),
    ],
)
def test_status_mapping(current, report, expected):
    assert next_status(current, StatusReport("u", *report)) == expected


# Bad input -------------------------------------------------------------------------------


def test_another_devices_job_cannot_be_reported(client, world, device, vannes_device, package):
    deploy_to(package, devices=[device])
    uuid = jobs_of(client, device)["jobs"][0]["uuid"]
    response = set_status(client, vannes_device.deviceid, uuid, "checking", "", "starting")
    assert response.status_code == 404
    assert json.loads(response.content)["status"] == "error"
    assert not DeploymentJobEvent.objects.exists()
    assert DeploymentJob.objects.get().status == JobStatus.WAITING
    event = AgentEvent.objects.get()
    assert (event.municipality, event.deviceid) == (world.vannes, vannes_device.deviceid)


def test_a_status_for_a_job_that_does_not_exist(client, world, device):
    response = set_status(client, device.deviceid, "2b1f0e66-0000-4000-8000-000000000000",
                          "checking", "", "starting")  # fmt: skip
    refused(response, 404, "unknown job")
    assert AgentEvent.objects.get().municipality == world.lorient
    assert not DeploymentJob.objects.exists()


def test_a_status_with_an_unknown_step(client, device, package):
    deploy_to(package, devices=[device])
    uuid = jobs_of(client, device)["jobs"][0]["uuid"]
    refused(set_status(client, device.deviceid, uuid, "dancing", "ok", "x"), 400, "currentStep")
    assert DeploymentJob.objects.get().status == JobStatus.WAITING


def test_a_status_with_an_unknown_status(client, device, package):
    deploy_to(package, devices=[device])
    uuid = jobs_of(client, device)["jobs"][0]["uuid"]
    refused(set_status(client, device.deviceid, uuid, "checking", "great", "x"), 400, "status")


def test_a_status_without_uuid(client, device):
    refused(call(client, "setStatus", device.deviceid, currentStep="checking"), 400, "uuid missing")


def test_an_unknown_machine(client, device):
    refused(call(client, "getJobs", "stranger-2026-01-01-00-00-00"), 404, "unknown machineid",
            kind="refused")  # fmt: skip


def test_no_machineid(client):
    refused(client.get(REMOTE, {"action": "getJobs"}), 400, "machineid missing")


def test_an_unsupported_action(client, device):
    refused(call(client, "setUserEvent", device.deviceid), 400, "unsupported action")


def test_nul_characters_are_no_crash(client, device, package):
    response = call(client, "getJobs", device.deviceid + "\x00x")
    refused(response, 404, "unknown machineid", kind="refused")
    AgentEvent.objects.all().delete()
    deploy_to(package, devices=[device])
    uuid = jobs_of(client, device)["jobs"][0]["uuid"]
    run(client, device, uuid, [("processing", "", "install: bin\x00ary")])
    assert DeploymentJobEvent.objects.get().message == "install: binary"


def test_post_is_refused(client):
    response = client.post(REMOTE, {"action": "getJobs"})
    assert response.status_code == 405
    assert json.loads(response.content)["status"] == "error"


def test_the_author_hears_of_the_first_failure_and_again_after_a_retry(
    client, world, device, package, tech
):
    from preau.fleet.deploy.notify import KIND_FAILED
    from preau.fleet.deploy.services_deployments import retry_failed
    from preau.fleet.models import Device
    from preau.notifications.models import Notification

    other = Device.objects.create(
        municipality=world.lorient, site=device.site, deviceid="pc-b-2025-01-01-00-00-00",
        hostname="pc-b",
    )  # fmt: skip
    deployment = deploy_to(package, devices=[device, other])
    deployment.created_by = tech
    deployment.save(update_fields=["created_by"])
    first = jobs_of(client, device)["jobs"][0]["uuid"]
    second = jobs_of(client, other)["jobs"][0]["uuid"]

    run(client, device, first, FAILED_RUN)
    run(client, other, second, FAILED_RUN)  # the second failure is not news
    sent = Notification.objects.filter(recipient=tech, kind=KIND_FAILED)
    assert sent.count() == 1
    assert package.name in sent.get().title
    assert sent.get().url.endswith("?status=failed")

    retry_failed(deployment, actor=tech)
    again = jobs_of(client, device)["jobs"][0]["uuid"]
    run(client, device, again, FAILED_RUN)
    assert sent.count() == 2
