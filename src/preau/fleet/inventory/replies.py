"""Replies each agent understands, in the compression its request used.

The OCS agent cannot read an uncompressed reply ("Deflating problem"), so anything that
is not clearly JSON or plain XML is answered zlib-compressed.
"""

from __future__ import annotations

import json
from typing import Any
from xml.sax.saxutils import escape

from django.http import HttpResponse

from preau.fleet.inventory.transport import compress

_XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'
_TYPES = {
    "zlib": "application/x-compress",
    "gzip": "application/x-compress-gzip",
    "deflate": "application/x-compress",
    "plain": "application/xml",
}


def xml_reply(fields: dict[str, str], encoding: str = "zlib", status: int = 200) -> HttpResponse:
    body = "".join(f"<{k}>{escape(v)}</{k}>" for k, v in fields.items())
    text = f"{_XML_HEAD}<REPLY>{body}</REPLY>\n".encode()
    content_type = _TYPES.get(encoding, _TYPES["zlib"])
    return HttpResponse(compress(text, encoding), status=status, content_type=content_type)


def prolog_send(hours: int, encoding: str) -> HttpResponse:
    return xml_reply({"PROLOG_FREQ": str(hours), "RESPONSE": "SEND"}, encoding)


def inventory_accepted(encoding: str) -> HttpResponse:
    return xml_reply({"RESPONSE": "NO_ACCOUNT_UPDATE"}, encoding)


def xml_error(message: str, status: int, encoding: str = "zlib") -> HttpResponse:
    """What the reference OCS server does on a refusal: an HTTP error; the body says why."""
    return xml_reply({"RESPONSE": "ERROR", "MESSAGE": message[:300]}, encoding, status)


def json_reply(data: dict[str, Any], encoding: str = "plain", status: int = 200) -> HttpResponse:
    text = json.dumps(data).encode()
    content_type = "application/json" if encoding == "plain" else _TYPES[encoding]
    return HttpResponse(compress(text, encoding), status=status, content_type=content_type)


def json_error(message: str, status: int, encoding: str = "plain") -> HttpResponse:
    return json_reply({"status": "error", "message": message[:300]}, encoding, status)
