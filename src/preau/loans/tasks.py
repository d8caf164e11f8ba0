"""Loans' periodic job: tell borrowers and directors of late returns."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from preau.loans import services


@db_periodic_task(crontab(minute="*/15"))
def notify_overdue_loans() -> int:
    return services.notify_overdue()
