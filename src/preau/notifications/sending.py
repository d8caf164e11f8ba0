"""Sending the e-mails that are due: claim, build, send; never twice, never to the wrong person.

Due notifications are claimed a couple of hundred recipients at a time, in a short
transaction (``emailed_at`` set, skipping rows another worker holds); then each
recipient's are sent in one message over a shared SMTP connection. A temporary failure
puts them back in the queue for the next sweep; an address the server refuses, or a
notification a week old, is given up on (it stays in the app).
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import groupby
from operator import attrgetter
from typing import Any

from django.core.mail import get_connection
from django.db import transaction
from django.utils import timezone

from preau.accounts.models import User
from preau.notifications.delivery import Delivery, deliveries_for, modes_of_people
from preau.notifications.emails import build_message
from preau.notifications.models import Notification
from preau.notifications.registry import NONE

log = logging.getLogger(__name__)

# An e-mail about something this old is noise (the server was down for days): the
# notification stays in the app, unmailed.
STALE_AFTER = dt.timedelta(days=7)
CLAIM_BATCH = 200  # people claimed per transaction: few queries, short locks


def send_due(recipient_ids: Iterable[int] | None = None, now: dt.datetime | None = None) -> int:
    """Send every e-mail due by ``now`` (to these recipients only, if given); returns how many."""
    now = now or timezone.now()
    due = Notification.objects.filter(email_due_at__lte=now, emailed_at__isnull=True)
    if recipient_ids is not None:
        due = due.filter(recipient_id__in=list(recipient_ids))
    people = sorted(set(due.order_by().values_list("recipient_id", flat=True).distinct()))
    if not people:
        return 0
    sent = 0
    with get_connection() as connection:
        for i in range(0, len(people), CLAIM_BATCH):
            batches = _claim(people[i : i + CLAIM_BATCH], now)
            for j, batch in enumerate(batches):
                try:
                    sent += _send(batch, connection)
                except _ServerTrouble:
                    # Do not knock on a door that is shut: the next sweep tries again.
                    _requeue(batches[j:], now)
                    return sent
    return sent


class _ServerTrouble(Exception):
    pass


@dataclass(frozen=True)
class _Batch:
    user: User
    notifications: list[Notification]
    delivery: Delivery
    modes: dict[str, str]


def _claim(recipient_ids: list[int], now: dt.datetime) -> list[_Batch]:
    """Take these people's due notifications off the queue; return those worth an e-mail."""
    with transaction.atomic():
        due = list(
            Notification.objects.select_for_update(skip_locked=True)
            .filter(recipient_id__in=recipient_ids, email_due_at__lte=now, emailed_at__isnull=True)
            .order_by("recipient_id", "created_at", "pk")
        )
        if not due:
            return []
        people = {n.recipient_id for n in due}
        users = {
            u.pk: u for u in User.objects.filter(pk__in=people, is_active=True).exclude(email="")
        }
        deliveries = deliveries_for(people)
        modes = modes_of_people(people)
        batches: list[_Batch] = []
        for recipient_id, group in groupby(due, key=attrgetter("recipient_id")):
            user, delivery = users.get(recipient_id), deliveries[recipient_id]
            if user is None or not delivery.emails_enabled:
                continue
            wanted = [n for n in group if _worth_a_mail(n, modes[recipient_id], now)]
            if wanted:
                batches.append(_Batch(user, wanted, delivery, modes[recipient_id]))
        Notification.objects.filter(pk__in=[n.pk for n in due]).update(email_due_at=None)
        claimed = [n.pk for batch in batches for n in batch.notifications]
        Notification.objects.filter(pk__in=claimed).update(emailed_at=now)
    return batches


def _worth_a_mail(notification: Notification, modes: dict[str, str], now: dt.datetime) -> bool:
    return (
        notification.read_at is None
        and modes.get(notification.kind, NONE) != NONE
        and notification.created_at > now - STALE_AFTER
    )


def _send(batch: _Batch, connection: Any) -> int:
    message = build_message(batch.user, batch.notifications, batch.delivery, batch.modes)
    message.connection = connection
    try:
        message.send()
    except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError) as exc:
        if isinstance(exc, smtplib.SMTPDataError) and exc.smtp_code < 500:
            log.warning("The mail server deferred a message: %s", exc)
            raise _ServerTrouble from exc
        # A permanent refusal of this address or message: trying again would not help,
        # and the notifications are still in the app.
        log.warning("The mail server refused the e-mail to user #%s: %s", batch.user.pk, exc)
        ids = [n.pk for n in batch.notifications]
        Notification.objects.filter(pk__in=ids).update(emailed_at=None)
        return 0
    except (smtplib.SMTPException, OSError) as exc:
        log.warning("Sending notification e-mails failed, retrying later: %s", exc)
        raise _ServerTrouble from exc
    return 1


def _requeue(batches: list[_Batch], now: dt.datetime) -> None:
    ids = [n.pk for batch in batches for n in batch.notifications]
    Notification.objects.filter(pk__in=ids).update(emailed_at=None, email_due_at=now)
