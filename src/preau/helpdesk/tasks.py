"""The helpdesk's periodic job: close tickets resolved long enough ago."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from preau.helpdesk import services


@db_periodic_task(crontab(hour="4", minute="7"))
def close_resolved_tickets() -> int:
    return services.close_resolved()
