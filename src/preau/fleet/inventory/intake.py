"""What the endpoint decides before replying: is this agent let in, and where its
payload goes. Writes are small and immediate; the heavy work is queued (``ingest``)."""

from __future__ import annotations

import logging
import zlib
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from preau.fleet.inventory.store import site_for_tag
from preau.fleet.inventory.transport import Decoded
from preau.fleet.models import AgentEvent, AgentTag, Device, DeviceAlias, RawInventory

log = logging.getLogger("preau.fleet.agents")


class Refused(Exception):
    """The agent is not let in (tag missing, unknown or of another site)."""


@dataclass(frozen=True)
class Peer:
    protocol: str  # ocs, fusioninventory, glpi
    agent: str  # User-Agent
    remote_addr: str


def known_device(deviceid: str) -> Device | None:
    alias = DeviceAlias.objects.filter(deviceid=deviceid).select_related("device").first()
    return alias.device if alias else None


def check_tag(deviceid: str, tag: str) -> int | None:
    """The municipality the inventory belongs to, or ``Refused``.

    A device already placed on a site that has tags must present one of them; with
    PREAU_FLEET_REQUIRE_TAG every inventory must carry a registered tag.
    """
    site = site_for_tag(tag)
    device = known_device(deviceid)
    if device is not None and device.site_id is not None:
        site_tags = set(
            AgentTag.objects.filter(site_id=device.site_id).values_list("tag", flat=True)
        )
        if site_tags and tag not in site_tags:
            raise Refused(
                f"tag {tag!r} is not the tag of this device's site" if tag else "tag missing"
            )
    if site is None and settings.PREAU_FLEET_REQUIRE_TAG:
        raise Refused(f"unknown tag {tag!r}" if tag else "tag missing")
    if site is not None:
        return site.municipality_id
    return device.municipality_id if device is not None else None


def municipality_of(deviceid: str, tag: str = "") -> int | None:
    site = site_for_tag(tag)
    if site is not None:
        return site.municipality_id
    device = known_device(deviceid)
    return device.municipality_id if device is not None else None


def log_event(
    kind: str, message: str, peer: Peer, deviceid: str = "", municipality_id: int | None = None
) -> AgentEvent:
    log.warning("agent %s from %s (%s): %s", kind, peer.remote_addr, deviceid or "?", message)
    return AgentEvent.objects.create(
        kind=kind,
        message=message[:500],
        protocol=peer.protocol,
        deviceid=deviceid[:255],
        agent=peer.agent[:200],
        remote_addr=peer.remote_addr[:45],
        municipality_id=municipality_id,
    )


@transaction.atomic
def accept(decoded: Decoded, body: bytes, deviceid: str, peer: Peer) -> RawInventory:
    """Keep the payload (compressed) and queue its processing after commit."""
    from preau.fleet import tasks  # the task module imports this one

    if decoded.encoding in ("zlib", "gzip"):
        payload, encoding = body, decoded.encoding
    else:
        payload, encoding = zlib.compress(decoded.text, 6), "zlib"
    raw = RawInventory.objects.create(
        dialect=RawInventory.Dialect.JSON if decoded.is_json else RawInventory.Dialect.XML,
        deviceid=deviceid,
        agent=peer.agent[:200],
        remote_addr=peer.remote_addr[:45],
        encoding=encoding,
        payload=payload,
        size=len(decoded.text),
    )
    transaction.on_commit(lambda: tasks.ingest_inventory(raw.pk))
    return raw
