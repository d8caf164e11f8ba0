"""Background jobs of messaging: thumbnails of attached images, made by the worker, and
the nightly retention purge."""

from __future__ import annotations

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task
from PIL import UnidentifiedImageError

from preau.messaging import files, retention
from preau.messaging.models import Attachment


@db_task()
def make_thumbnails(attachment_ids: list[int]) -> int:
    """A small JPEG beside each image that has none yet (idempotent: a rerun skips them).

    Copies sent separately to several people share one stored file, and its thumbnail.
    """
    made = 0
    pending = Attachment.objects.filter(pk__in=attachment_ids, thumbnail="")
    for name in sorted(set(pending.values_list("file", flat=True))):
        try:
            with default_storage.open(name, "rb") as stored:
                small = files.thumbnail(stored.read())
        except (OSError, UnidentifiedImageError, ValueError):
            continue  # the page links the full image instead
        thumb = default_storage.save(name.rsplit(".", 1)[0] + "-small.jpg", ContentFile(small))
        made += Attachment.objects.filter(file=name, thumbnail="").update(thumbnail=thumb)
    return made


@db_periodic_task(crontab(hour="2", minute="53"))
def purge_old_conversations() -> int:
    return retention.purge(settings.PREAU_MESSAGING_RETENTION_DAYS)
