"""Worker jobs: e-mail notifications as soon as they are due.

An immediate e-mail is enqueued when the notifying transaction commits; everything held
back (a daily digest, quiet hours) is picked up by the sweep every five minutes.
Both are idempotent: a notification is claimed before its e-mail leaves.
"""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from preau.notifications import sending, services


@db_task(retries=3, retry_delay=60)
def send_emails_to(recipient_ids: list[int]) -> int:
    return sending.send_due(recipient_ids)


@db_periodic_task(crontab(minute="*/5"))
def send_due_emails() -> int:
    return sending.send_due()


@db_periodic_task(crontab(hour="3", minute="41"))
def purge_old_notifications() -> int:
    return services.purge_old_notifications()
