"""Bad input: each gets the protocol's error reply, nothing is stored, an event is logged."""

from __future__ import annotations

import gzip
import json
import zlib

import pytest
from django.test import override_settings

from preau.fleet.models import AgentEvent, AgentTag, Device, RawInventory

from .helpers import (
    fixture,
    glpi_message,
    post,
    post_json,
    reply_json,
    reply_xml,
    with_deviceid,
    with_tag,
    xml_of,
)

pytestmark = pytest.mark.django_db

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<REQUEST><DEVICEID>&lol3;</DEVICEID><QUERY>PROLOG</QUERY></REQUEST>"""
XXE = b"""<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<REQUEST><DEVICEID>vm-2026-01-01-00-00-00</DEVICEID><QUERY>INVENTORY</QUERY>
<CONTENT><HARDWARE><NAME>&xxe;</NAME></HARDWARE></CONTENT></REQUEST>"""


def refused(response, status, reason: str, *, kind: str = "invalid") -> None:
    assert response.status_code == status
    assert reason in reply_xml(response)  # zlib, as the OCS agent needs
    assert not RawInventory.objects.exists()
    assert not Device.objects.exists()
    event = AgentEvent.objects.get()
    assert event.kind == kind
    assert reason in event.message


def test_garbage_bytes(client):
    refused(post(client, b"\x00\x01garbage\xff" * 10), 400, "not zlib, gzip")


def test_truncated_zlib(client):
    refused(post(client, fixture("ocs-inventory.zlib")[:5000]), 400, "truncated")


def test_zlib_bomb(client):
    bomb = zlib.compress(b"<" + b"A" * (40 * 1024 * 1024), 9)  # 40 MB in ~40 KB
    refused(post(client, bomb), 413, "exceeds")


def test_gzip_bomb(client):
    refused(post(client, gzip.compress(b" " * (40 * 1024 * 1024))), 413, "exceeds")


def test_external_entity(client):
    refused(post(client, zlib.compress(XXE)), 400, "forbidden XML")


def test_billion_laughs(client):
    refused(post(client, zlib.compress(BILLION_LAUGHS)), 400, "forbidden XML")


def test_unknown_deviceid_format(client):
    body = with_deviceid(xml_of("ocs-inventory.zlib"), "not-a-device-id")
    refused(post(client, zlib.compress(body.encode())), 400, "-YYYY-MM-DD-HH-MM-SS")


def test_payload_over_50_mb(client):
    body = b"\x78\x9c" + b"\x00" * (50 * 1024 * 1024)
    refused(post(client, body), 413, "exceeds 50000000")


def test_not_xml_at_all_inside_zlib(client):
    refused(post(client, zlib.compress(b"<REQUEST><QUERY>")), 400, "not well-formed")


def test_json_failing_the_schema(client):
    message = glpi_message()
    message["content"]["hardware"]["memory"] = "a lot"
    response = post_json(client, message)
    assert response.status_code == 400
    answer = reply_json(response)
    assert answer["status"] == "error"
    assert "content/hardware/memory" in answer["message"]
    assert not RawInventory.objects.exists()
    assert "fails the schema" in AgentEvent.objects.get().message


def test_partial_inventory_for_a_device_never_seen(client):
    response = post_json(client, glpi_message(partial=True))
    assert response.status_code == 400
    assert "never inventoried" in reply_json(response)["message"]
    assert not RawInventory.objects.exists()
    assert not Device.objects.exists()
    assert AgentEvent.objects.get().kind == "invalid"


@override_settings(PREAU_FLEET_REQUIRE_TAG=True)
def test_missing_tag_when_tags_are_required(client):
    body = with_tag(xml_of("ocs-inventory.zlib"), "")
    refused(post(client, zlib.compress(body.encode())), 403, "tag missing", kind="refused")


@override_settings(PREAU_FLEET_REQUIRE_TAG=True)
def test_unknown_tag_when_tags_are_required_json(client):
    response = post_json(client, glpi_message(tag="NOPE"))
    assert response.status_code == 403
    assert reply_json(response) == {"status": "error", "message": "unknown tag 'NOPE'"}
    assert not RawInventory.objects.exists()
    assert AgentEvent.objects.get().kind == "refused"


def test_wrong_site_tag_for_a_placed_device(world, client, django_capture_on_commit_callbacks):
    AgentTag.objects.create(site=world.a.school.site, tag="SITE-A")
    AgentTag.objects.create(site=world.b.school.site, tag="SITE-B")
    with django_capture_on_commit_callbacks(execute=True):
        post(client, fixture("ocs-inventory.zlib"))  # carries SITE-A
    body = with_tag(xml_of("ocs-inventory.zlib"), "SITE-B")
    response = post(client, zlib.compress(body.encode()))
    assert response.status_code == 403
    assert RawInventory.objects.count() == 1  # only the first one
    event = AgentEvent.objects.get()
    assert event.kind == "refused"
    assert event.municipality == world.lorient


def test_a_bad_payload_in_the_worker_is_failed_not_half_stored(client):
    from preau.fleet.inventory import ingest

    raw = RawInventory.objects.create(
        dialect="xml",
        deviceid="vm-2026-01-01-00-00-00",
        encoding="zlib",
        payload=zlib.compress(
            b"<REQUEST><QUERY>INVENTORY</QUERY>"
            b"<DEVICEID>vm-2026-01-01-00-00-00</DEVICEID></REQUEST>"
        ),
        size=10,
    )
    assert ingest.ingest(raw.pk) is None
    raw.refresh_from_db()
    assert raw.status == "failed"
    assert not Device.objects.exists()
    assert "without CONTENT" in AgentEvent.objects.get().message


def test_json_garbage(client):
    response = post_json(client, {"deviceid": "x"} | {"action": 3}, compress=False)
    assert response.status_code == 400
    assert reply_json(response)["status"] == "error"
    assert json.loads(response.content)["message"] == "no action in the message"
