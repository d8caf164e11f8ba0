"""The worker's jobs: thumbnails, and announcing posts once they are live."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from preau.news import services, tasks, thumbnails
from preau.news.models import Audience, Photo
from preau.news.tests.conftest import draft, published
from preau.notifications.models import Notification


def recipients(kind: str = "news.published") -> set[str]:
    return set(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


def test_publishing_now_notifies_the_audience_once(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        post = published(world, title="Kermesse")
    assert recipients() == {"parent", "pupil"}  # the class's accounts; not the author
    note = Notification.objects.filter(kind="news.published").first()
    assert note is not None
    assert note.url == f"/news/{post.pk}/"
    assert note.title == "CP A · Kermesse"
    assert note.municipality_id == world.lorient.pk
    assert services.announce(post.pk) == 0
    assert tasks.announce_post.call_local(post.pk) == 0
    assert Notification.objects.filter(kind="news.published").count() == 2


def test_a_scheduled_post_is_announced_when_it_goes_live(world, monkeypatch):
    post = draft(world)
    services.publish_post(
        actor=post.author, post=post, publish_at=timezone.now() + dt.timedelta(hours=1)
    )
    assert services.announce_due_posts() == 0
    assert not Notification.objects.exists()
    later = timezone.now() + dt.timedelta(hours=1, minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert tasks.announce_due_posts.call_local() == 2
    assert tasks.announce_due_posts.call_local() == 0
    assert recipients() == {"parent", "pupil"}


def test_a_city_post_reaches_the_citys_families_only(world):
    post = draft(world, world.city_admin, kind=Audience.MUNICIPALITY)
    services.publish_post(actor=world.city_admin, post=post)
    assert services.announce(post.pk) == 2
    assert recipients() == {"parent", "pupil"}


def test_unpublished_draft_is_never_announced(world):
    post = draft(world)
    assert services.announce(post.pk) == 0
    assert services.announce_due_posts() == 0


def test_thumbnails_are_idempotent(world, media_root):
    post = draft(world, photos=2)
    ids = list(Photo.objects.filter(post=post).values_list("pk", flat=True))
    assert thumbnails.make(ids) == 2  # on_commit did not run in this test transaction
    assert thumbnails.make(ids) == 0
    files = [p for p in media_root.rglob("*") if p.is_file()]
    assert len(files) == 4
    for photo in Photo.objects.filter(post=post):
        assert photo.thumbnail.name.endswith(".jpg")
        assert "/thumbs/" in photo.thumbnail.name
