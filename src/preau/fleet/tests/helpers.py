"""Shared helpers of the fleet's tests: payloads and posting them as an agent would."""

from __future__ import annotations

import json
import re
import zlib
from pathlib import Path
from typing import Any

from django.test import Client

FIXTURES = Path(__file__).parent / "fixtures"
OCS_AGENT = "OCS-NG_unified_unix_agent_v2.10.0"
FUSION_AGENT = "FusionInventory-Agent_v2.6-3"
GLPI_AGENT = "GLPI-Agent_v1.7"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def xml_of(name: str) -> str:
    return zlib.decompress(fixture(name)).decode()


def with_deviceid(text: str, deviceid: str) -> str:
    return re.sub(r"<DEVICEID>[^<]*</DEVICEID>", f"<DEVICEID>{deviceid}</DEVICEID>", text)


def with_tag(text: str, tag: str) -> str:
    return re.sub(
        r"(<KEYNAME>TAG</KEYNAME>\s*<KEYVALUE>)[^<]*(</KEYVALUE>)", rf"\g<1>{tag}\g<2>", text
    )


def post(
    client: Client,
    body: bytes,
    *,
    path: str = "/ocsinventory",
    agent: str = OCS_AGENT,
    **headers: Any,
) -> Any:
    return client.post(
        path,
        data=body,
        content_type="application/x-compress",
        HTTP_USER_AGENT=agent,
        **headers,
    )


def reply_xml(response: Any) -> str:
    return zlib.decompress(response.content).decode()


def glpi_message(**overrides: Any) -> dict[str, Any]:
    message: dict[str, Any] = json.loads(fixture("glpi-computer_1.json"))
    message.update(overrides)
    return message


def post_json(client: Client, message: dict[str, Any], *, compress: bool = True) -> Any:
    body = json.dumps(message).encode()
    return post(
        client,
        zlib.compress(body) if compress else body,
        path="/front/inventory.php",
        agent=GLPI_AGENT,
        HTTP_GLPI_AGENT_ID="3a609a2e-947f-4e6a-9af9-32c024ac3e98",
    )


def reply_json(response: Any) -> Any:
    content = response.content
    return json.loads(zlib.decompress(content) if content[:1] == b"\x78" else content)
