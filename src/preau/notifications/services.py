"""The notifications API for other apps, and the writes of the notifications pages.

Other apps call :func:`notify` where something happens (``notify(recipients=…,
kind="liaison.note", title=…, url=…)``), inside their own transaction; e-mails leave
after it commits, through the worker.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any, Literal

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from preau.accounts.models import User
from preau.core import access, audit
from preau.core.navigation import BADGE_MAX
from preau.notifications import delivery
from preau.notifications.models import DeliverySettings, Notification, NotificationPreference
from preau.notifications.registry import EMAIL_MODES, get_kind

TITLE_MAX = 200
URL_MAX = 500
_BATCH = 500


class NotificationError(Exception):
    """Bad input to a notifications write; ``message`` is meant for the person concerned."""


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def notify(
    *,
    recipients: Iterable[User],
    kind: str,
    title: str,
    url: str,
    body: str = "",
    actor: User | None = None,
    municipality_id: int | None = None,
) -> int:
    """Tell each distinct active recipient (but the actor) that something happened.

    ``title`` and ``body`` are shown to every recipient, in the app and in e-mails:
    they must not carry personal data of other families. ``url`` is a path on this
    site ("/liaison/12/"). Returns how many notifications were created.
    """
    get_kind(kind)  # ValueError for an unknown kind
    if not title.strip():
        raise ValueError("A notification needs a title.")
    if not url.startswith("/") or url.startswith("//") or len(url) > URL_MAX:
        raise ValueError(f"A notification's url must be a path on this site, not {url!r}.")
    actor_id = actor.pk if actor is not None else None
    people = {u.pk: u for u in recipients if u.is_active and u.pk != actor_id}
    if not people:
        return 0
    now = timezone.now()
    deliveries = delivery.deliveries_for(people)
    modes = delivery.modes_for(people, kind)
    actor_label = _shorten(actor.display_name, 150) if actor is not None else ""
    rows = [
        Notification(
            recipient_id=user_id,
            kind=kind,
            title=_shorten(title, TITLE_MAX),
            body=body.strip(),
            url=url,
            actor_label=actor_label,
            municipality_id=municipality_id,
            created_at=now,
            email_due_at=delivery.email_due_at(modes[user_id], deliveries[user_id], now),
        )
        for user_id in sorted(people)
    ]
    Notification.objects.bulk_create(rows, batch_size=_BATCH)
    due_now = [n.recipient_id for n in rows if n.email_due_at is not None and n.email_due_at <= now]
    if due_now:
        transaction.on_commit(lambda: _enqueue_emails(due_now))
    return len(rows)


def _enqueue_emails(recipient_ids: list[int]) -> None:
    from preau.notifications.tasks import send_emails_to

    send_emails_to(recipient_ids)


def unread_count(user: Any) -> int:
    """How many unread notifications ``user`` has, counted up to just past the badge's cap."""
    unread = access.restrict(user, Notification).filter(read_at__isnull=True)
    return unread[: BADGE_MAX + 1].count()


def mark_read(user: Any, notification_ids: Iterable[int] | Literal["all"]) -> int:
    """Mark the user's own notifications read (others' ids are ignored); returns how many."""
    qs = access.restrict(user, Notification, access.CHANGE).filter(read_at__isnull=True)
    if notification_ids != "all":
        qs = qs.filter(pk__in=list(notification_ids))
    # Read in the app: no e-mail needs to tell them any more.
    return qs.update(read_at=timezone.now(), email_due_at=None)


def update_preferences(
    user: User,
    *,
    modes: Mapping[str, str],
    emails_enabled: bool,
    digest_hour: int,
    quiet_hours: bool,
    quiet_start: dt.time,
    quiet_end: dt.time,
    quiet_weekends: bool,
    language: str,
    request: HttpRequest | None = None,
) -> None:
    """Save a person's e-mail choices and re-plan the e-mails still waiting for them."""
    for kind, mode in modes.items():
        get_kind(kind)
        if mode not in EMAIL_MODES:
            raise NotificationError(f"{mode!r} is not an e-mail choice for {kind}.")
    if not 0 <= digest_hour <= 23:
        raise NotificationError(f"The digest hour must be between 0 and 23, not {digest_hour}.")
    with transaction.atomic():
        for kind, mode in modes.items():
            NotificationPreference.objects.update_or_create(
                user=user, kind=kind, defaults={"email": mode}
            )
        DeliverySettings.objects.update_or_create(
            user=user,
            defaults={
                "emails_enabled": emails_enabled,
                "digest_hour": digest_hour,
                "quiet_hours": quiet_hours,
                "quiet_start": quiet_start,
                "quiet_end": quiet_end,
                "quiet_weekends": quiet_weekends,
                "language": language,
            },
        )
        replan_pending(user.pk)
        audit.record("notifications.preferences_changed", actor=user, request=request)


ALL_KINDS = "*"


def unsubscribe(user: User, scope: str, request: HttpRequest | None = None) -> None:
    """Stop e-mails of one kind (``scope`` = its code) or all of them (``"*"``)."""
    with transaction.atomic():
        if scope == ALL_KINDS:
            row, _created = DeliverySettings.objects.get_or_create(
                user=user, defaults=_defaults_row(user.pk)
            )
            row.emails_enabled = False
            row.save(update_fields=["emails_enabled", "updated_at"])
        else:
            get_kind(scope)
            NotificationPreference.objects.update_or_create(
                user=user, kind=scope, defaults={"email": "none"}
            )
        replan_pending(user.pk)
        audit.record(
            "notifications.unsubscribed",
            actor=user,
            actor_label=user.get_username(),
            request=request,
            scope=scope,
        )


def _defaults_row(user_id: int) -> dict[str, Any]:
    """The stored form of a person's default settings (so saving keeps them)."""
    d = delivery.delivery_for(user_id)
    return {
        "emails_enabled": d.emails_enabled,
        "digest_hour": d.digest_hour,
        "quiet_hours": d.quiet.enabled,
        "quiet_start": d.quiet.start,
        "quiet_end": d.quiet.end,
        "quiet_weekends": d.quiet.weekends,
        "language": d.language,
    }


def replan_pending(user_id: int) -> int:
    """Recompute when each waiting e-mail of this person leaves, after a settings change."""
    now = timezone.now()
    d = delivery.delivery_for(user_id)
    modes = delivery.modes_of(user_id)
    pending = Notification.objects.filter(
        recipient_id=user_id, email_due_at__isnull=False, emailed_at__isnull=True
    ).only("pk", "kind", "email_due_at")
    changed = []
    for n in pending:
        due = delivery.email_due_at(modes.get(n.kind, "none"), d, now)
        if due != n.email_due_at:
            n.email_due_at = due
            changed.append(n)
    Notification.objects.bulk_update(changed, ["email_due_at"], batch_size=_BATCH)
    return len(changed)


RETENTION = dt.timedelta(days=365)


def purge_old_notifications(now: dt.datetime | None = None) -> int:
    """Delete notifications over a year old: the timeline is news, not an archive."""
    cutoff = (now or timezone.now()) - RETENTION
    deleted, _by_model = Notification.objects.filter(created_at__lt=cutoff).delete()
    return deleted
