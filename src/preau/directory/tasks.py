"""Background jobs of the directory."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from preau.directory import services


@db_periodic_task(crontab(minute="*/30"))
def expire_onde_uploads() -> int:
    """Erase ONDE files left in an unapplied preview for more than a day (children's data)."""
    return services.expire_onde_uploads()
