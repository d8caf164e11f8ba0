"""Daily retention jobs: what the law and common sense say not to keep."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from preau.accounts import services


@db_periodic_task(crontab(hour="3", minute="17"))
def purge_expired_activation_codes() -> int:
    return services.purge_expired_codes()


@db_periodic_task(crontab(hour="3", minute="23"))
def purge_old_audit_events() -> int:
    return services.purge_old_audit_events()
