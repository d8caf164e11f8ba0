"""Retention: conversations nobody wrote in for ``PREAU_MESSAGING_RETENTION_DAYS`` are
erased, with their attachments, so that families' and children's messages are not kept
for ever (data minimisation).

A conversation with an abuse report still open is kept until the report is handled. A
stored file is erased only when no remaining attachment uses it (copies of a message
sent separately share one file). The purge is audited with its counts, per municipality.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from preau.core import audit
from preau.messaging.models import AbuseReport, Attachment, Conversation

BATCH = 500


def expired(days: int, now: datetime | None = None) -> list[int]:
    """The conversations to erase: last written in before the limit, no open report."""
    limit = (now or timezone.now()) - timedelta(days=days)
    reported = AbuseReport.objects.filter(resolved_at__isnull=True).values("message__conversation")
    return list(
        Conversation.objects.annotate(last=Coalesce("last_message_at", "created_at"))
        .filter(last__lt=limit)
        .exclude(pk__in=reported)
        .values_list("pk", flat=True)
    )


def purge(days: int, now: datetime | None = None) -> int:
    """Erase the expired conversations; return how many were erased."""
    ids = expired(days, now)
    erased = 0
    for start in range(0, len(ids), BATCH):
        erased += _erase(ids[start : start + BATCH], days)
    return erased


def _erase(ids: list[int], days: int) -> int:
    files: set[str] = set()
    with transaction.atomic():
        rows = Attachment.objects.filter(message__conversation__in=ids)
        for name, thumb in rows.values_list("file", "thumbnail"):
            files.update(n for n in (name, thumb) if n)
        per_municipality: dict[int, int] = {}
        for municipality_id in Conversation.objects.filter(pk__in=ids).values_list(
            "municipality_id", flat=True
        ):
            per_municipality[municipality_id] = per_municipality.get(municipality_id, 0) + 1
        Conversation.objects.filter(pk__in=ids).delete()
        for municipality_id, count in per_municipality.items():
            audit.record(
                "messaging.purged",
                municipality_id=municipality_id,
                actor_label="retention",
                conversations=count,
                days=days,
            )
        transaction.on_commit(lambda: _erase_files(files))
    return len(ids)


def _erase_files(names: set[str]) -> None:
    remaining = Attachment.objects.filter(Q(file__in=names) | Q(thumbnail__in=names))
    still_used = {n for pair in remaining.values_list("file", "thumbnail") for n in pair}
    for name in names - still_used:
        default_storage.delete(name)
