"""The Deploy task's agent-facing endpoints: ``getConfig`` (through the agents' GET),
the remote (``getJobs``, ``setStatus``) and the parts mirror.

No login, as for inventory: an agent is known by its machineid (its DEVICEID), which an
inventory tied to a device; the site-tag rule was applied then (deploy requests carry no
tag). Every refusal gets a JSON error the agent logs, and an ``AgentEvent`` for the
admins; nothing of a refused request is stored.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt

from preau.fleet.deploy import jobs, protocol
from preau.fleet.deploy.storage import is_sha512, read_part
from preau.fleet.inventory.intake import Peer, log_event
from preau.fleet.inventory.replies import json_error, json_reply
from preau.fleet.models import AgentEvent, Device

_INVALID = AgentEvent.Kind.INVALID
_REFUSED = AgentEvent.Kind.REFUSED


def _peer(request: HttpRequest) -> Peer:
    return Peer(
        "deploy", request.META.get("HTTP_USER_AGENT", ""), request.META.get("REMOTE_ADDR", "")
    )


def _machineid(request: HttpRequest) -> str:
    # PostgreSQL refuses NUL in text: a machineid with one is simply unknown.
    return protocol.clean(request.GET.get("machineid", "")).strip()[:255]


def get_config(request: HttpRequest) -> HttpResponse:
    """``action=getConfig``: the Deploy remote for a known device that asks for Deploy."""
    machineid = _machineid(request)
    if "task[Deploy]" in request.GET and machineid and jobs.find_device(machineid):
        remote = request.build_absolute_uri(reverse("fleet_deploy_remote"))
        return json_reply({"schedule": [{"task": "Deploy", "remote": remote}]})
    return json_reply({"schedule": []})


@csrf_exempt
def remote(request: HttpRequest) -> HttpResponse:
    peer = _peer(request)
    if request.method != "GET":
        return json_error("GET expected", 405)
    action = protocol.clean(request.GET.get("action", ""))
    machineid = _machineid(request)
    if action not in ("getJobs", "setStatus"):
        return _refuse(_INVALID, f"unsupported action {action[:40]!r}", 400, peer, machineid)
    if not machineid:
        return _refuse(_INVALID, "machineid missing", 400, peer)
    device = jobs.find_device(machineid)
    if device is None:
        return _refuse(_REFUSED, "unknown machineid", 404, peer, machineid)
    if action == "getJobs":
        mirror = request.build_absolute_uri(reverse("fleet_deploy_mirror"))
        return json_reply(protocol.get_jobs_answer(jobs.offer(device), mirror))
    try:
        jobs.record_status(device, protocol.status_report(request.GET))
    except protocol.ProtocolError as exc:
        return _refuse(_INVALID, str(exc), 400, peer, machineid, device)
    except jobs.UnknownJob as exc:
        return _refuse(_INVALID, str(exc), 404, peer, machineid, device)
    return json_reply({})


def _refuse(
    kind: str,
    reason: str,
    status: int,
    peer: Peer,
    machineid: str = "",
    device: Device | None = None,
) -> HttpResponse:
    municipality = device.municipality_id if device is not None else None
    log_event(kind, f"deploy: {reason}", peer, machineid, municipality)
    return json_error(reason, status)


@csrf_exempt
def part(request: HttpRequest, h0: str = "", h01: str = "", sha512: str = "") -> HttpResponse:
    """A file part, at ``<mirror>/<h[0]>/<h[0:2]>/<h>`` as the agent asks for it."""
    if request.method not in ("GET", "HEAD"):
        return HttpResponse("GET expected", status=405, content_type="text/plain")
    valid = is_sha512(sha512) and h0 == sha512[0] and h01 == sha512[:2]
    data = read_part(sha512) if valid else None
    if data is None:
        return HttpResponse("Nothing found", status=404, content_type="text/plain")
    response = HttpResponse(data, content_type="application/octet-stream")
    response["Cache-Control"] = "private, max-age=86400, immutable"  # named by its digest
    return response
