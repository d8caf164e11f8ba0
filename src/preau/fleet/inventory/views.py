"""The agents' endpoint: one view for every dialect, detected from the body's bytes.

It stays fast: transport checks, a parse of the message to answer in the protocol, the
raw payload stored, the rest queued. Every refusal gets the protocol's error reply and an
``AgentEvent`` row for the admins; nothing of a refused payload is stored.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from preau.fleet.deploy.views import get_config
from preau.fleet.inventory import glpi, replies, xml
from preau.fleet.inventory.intake import (
    Peer,
    Refused,
    accept,
    check_tag,
    known_device,
    log_event,
    municipality_of,
)
from preau.fleet.inventory.transport import Decoded, TransportError, decode, read_body
from preau.fleet.models import AgentEvent

_INVALID = AgentEvent.Kind.INVALID
_REFUSED = AgentEvent.Kind.REFUSED


def _peer(request: HttpRequest) -> Peer:
    agent = request.META.get("HTTP_USER_AGENT", "")
    if request.META.get("HTTP_GLPI_AGENT_ID") or agent.startswith("GLPI-Agent"):
        protocol = "glpi"
    elif agent.startswith("FusionInventory"):
        protocol = "fusioninventory"
    else:
        protocol = "ocs"
    return Peer(protocol, agent, request.META.get("REMOTE_ADDR", ""))


@csrf_exempt
def agent_endpoint(request: HttpRequest) -> HttpResponse:
    peer = _peer(request)
    if request.method == "GET":
        return _get(request)
    if request.method != "POST":
        return replies.xml_error("POST expected", 405)
    try:
        body = read_body(request, settings.PREAU_FLEET_MAX_BODY_BYTES)
        decoded = decode(body)
    except TransportError as exc:
        log_event(_INVALID, exc.message, peer)
        return replies.xml_error(exc.message, exc.status)
    if decoded.is_json:
        return _json(request, decoded, body, peer)
    return _xml(request, decoded, body, peer)


def _get(request: HttpRequest) -> HttpResponse:
    """FusionInventory asks for task configuration by GET: Deploy, to known devices."""
    if request.GET.get("action") == "getConfig":
        return get_config(request)
    return replies.json_error("unsupported request", 400)


def _xml(request: HttpRequest, decoded: Decoded, body: bytes, peer: Peer) -> HttpResponse:
    encoding = decoded.encoding
    try:
        message = xml.parse(decoded.text)
    except xml.MessageError as exc:
        log_event(_INVALID, str(exc), peer)
        return replies.xml_error(str(exc), 400, encoding)
    hours = settings.PREAU_FLEET_PROLOG_HOURS
    if message.query == "PROLOG":
        if request.META.get("HTTP_GLPI_AGENT_ID"):  # switches a GLPI agent to JSON
            return replies.json_reply({"status": "ok", "expiration": hours}, encoding)
        return replies.prolog_send(hours, encoding)
    if message.query != "INVENTORY":
        return replies.xml_error(f"unsupported query {message.query[:40]}", 400, encoding)
    if message.root.find("CONTENT") is None:
        log_event(_INVALID, "INVENTORY without CONTENT", peer, message.deviceid)
        return replies.xml_error("INVENTORY without CONTENT", 400, encoding)
    try:
        check_tag(message.deviceid, message.tag)
    except Refused as exc:
        municipality = municipality_of(message.deviceid)
        log_event(_REFUSED, str(exc), peer, message.deviceid, municipality)
        return replies.xml_error(str(exc), 403, encoding)
    accept(decoded, body, message.deviceid, peer)
    return replies.inventory_accepted(encoding)


def _json(request: HttpRequest, decoded: Decoded, body: bytes, peer: Peer) -> HttpResponse:
    encoding = decoded.encoding
    try:
        message = glpi.parse(decoded.text)
    except xml.MessageError as exc:
        log_event(_INVALID, str(exc), peer)
        return replies.json_error(str(exc), 400, encoding)
    hours = settings.PREAU_FLEET_PROLOG_HOURS
    if message.action == "contact":
        enabled = message.data.get("enabled-tasks")
        others = [t for t in enabled if t != "inventory"] if isinstance(enabled, list) else []
        answer = {"status": "ok", "expiration": hours, "tasks": {"inventory": {}}}
        return replies.json_reply(answer | {"disabled": others}, encoding)
    if message.action != "inventory":
        return replies.json_error(f"unsupported action {message.action[:40]}", 400, encoding)
    deviceid = message.deviceid
    try:
        glpi.validate_inventory(message)
        if message.partial and known_device(deviceid) is None:
            raise xml.MessageError("partial inventory for a device never inventoried in full")
    except xml.MessageError as exc:
        log_event(_INVALID, str(exc), peer, deviceid, municipality_of(deviceid, message.tag))
        return replies.json_error(str(exc), 400, encoding)
    try:
        check_tag(deviceid, message.tag)
    except Refused as exc:
        log_event(_REFUSED, str(exc), peer, deviceid, municipality_of(deviceid))
        return replies.json_error(str(exc), 403, encoding)
    accept(decoded, body, deviceid, peer)
    return replies.json_reply({"status": "ok", "expiration": hours}, encoding)
