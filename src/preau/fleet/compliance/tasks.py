"""Background re-evaluation: after each stored inventory, after a rule changes, and once a
day (an inventory grows old, a warranty ends, without any event).

Not a Django app's ``tasks`` module, so Huey's autodiscovery does not find it: the
fleet's inventory store imports it (to queue a device's evaluation), which registers these
tasks wherever the fleet's tasks are loaded.
"""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from preau.fleet.compliance import services
from preau.fleet.models import Device


@db_task()
def evaluate_device_task(device_id: int) -> str | None:
    """The device's new status (idempotent; a device gone meanwhile is skipped)."""
    device = Device.objects.filter(pk=device_id).first()
    if device is None:
        return None
    verdict = services.evaluate_device(device)
    return verdict.status if verdict is not None else None


@db_task()
def evaluate_municipality_task(municipality_id: int) -> dict[str, int]:
    return dict(services.evaluate_municipality(municipality_id))


@db_periodic_task(crontab(minute="23", hour="5"))
def evaluate_every_municipality() -> int:
    """Each morning, before school: every device placed in a municipality."""
    municipalities = (
        Device.objects.filter(municipality__isnull=False)
        .values_list("municipality_id", flat=True)
        .distinct()
        .order_by("municipality_id")
    )
    return sum(
        sum(services.evaluate_municipality(pk).values()) for pk in municipalities if pk is not None
    )
