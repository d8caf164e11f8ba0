"""Background work of the fleet: turning stored inventories into devices, and purging
the raw payloads once they are old."""

from __future__ import annotations

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from preau.fleet.inventory import ingest


@db_task()
def ingest_inventory(raw_id: int) -> int | None:
    """Map a stored payload to its device (idempotent: a done payload is skipped)."""
    device = ingest.ingest(raw_id)
    return device.pk if device is not None else None


@db_periodic_task(crontab(minute="17", hour="3"))
def purge_raw_inventories() -> int:
    return ingest.purge_raw(settings.PREAU_FLEET_RAW_DAYS)
