"""The worker's part: a stored payload becomes a device, in one transaction."""

from __future__ import annotations

import datetime as dt
import zlib

from django.db import transaction
from django.utils import timezone

from preau.fleet.inventory import glpi, xml
from preau.fleet.inventory.intake import Peer, log_event, municipality_of
from preau.fleet.inventory.messages import Inventory
from preau.fleet.inventory.store import apply
from preau.fleet.inventory.transport import TransportError, inflate
from preau.fleet.models import AgentEvent, Device, RawInventory


def decode_raw(raw: RawInventory) -> Inventory:
    wbits = 16 + zlib.MAX_WBITS if raw.encoding == "gzip" else zlib.MAX_WBITS
    text = inflate(bytes(raw.payload), wbits)
    if raw.dialect == RawInventory.Dialect.JSON:
        return glpi.to_inventory(glpi.parse(text))
    return xml.to_inventory(xml.parse(text))


def ingest(raw_id: int) -> Device | None:
    """Process a waiting payload once; a payload already done (or gone) is skipped."""
    try:
        with transaction.atomic():
            raw = (
                RawInventory.objects.select_for_update()
                .filter(pk=raw_id, status=RawInventory.Status.PENDING)
                .first()
            )
            if raw is None:
                return None
            inventory = decode_raw(raw)
            device = apply(
                inventory, agent=raw.agent, remote_addr=raw.remote_addr, now=raw.received_at
            )
            raw.status, raw.device = RawInventory.Status.INGESTED, device
            raw.save(update_fields=["status", "device"])
            return device
    except (xml.MessageError, TransportError) as exc:
        _failed(raw_id, str(exc))
        return None


def _failed(raw_id: int, message: str) -> None:
    raw = RawInventory.objects.filter(pk=raw_id).first()
    if raw is None:
        return
    RawInventory.objects.filter(pk=raw_id).update(status=RawInventory.Status.FAILED)
    peer = Peer(raw.dialect, raw.agent, raw.remote_addr)
    log_event(
        AgentEvent.Kind.FAILED,
        message,
        peer,
        raw.deviceid,
        municipality_of(raw.deviceid),
    )


def purge_raw(days: int) -> int:
    cutoff = timezone.now() - dt.timedelta(days=days)
    deleted, _ = RawInventory.objects.filter(received_at__lt=cutoff).delete()
    return deleted
