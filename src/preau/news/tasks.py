"""Background work of the news: thumbnails, and announcing posts that went live."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from preau.news import services, thumbnails


@db_task()
def make_thumbnails(photo_ids: list[int]) -> int:
    """Thumbnails of freshly uploaded photos (idempotent: done ones are skipped)."""
    return thumbnails.make(photo_ids)


@db_task()
def announce_post(post_id: int) -> int:
    """Notify the audience of a post published just now (once, whoever calls first)."""
    return services.announce(post_id)


@db_periodic_task(crontab(minute="*"))
def announce_due_posts() -> int:
    """Scheduled posts become visible by themselves; this tells their audience."""
    return services.announce_due_posts()
