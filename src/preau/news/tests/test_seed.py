"""The demo's year of news: plausible, deterministic, consent-respecting, quiet."""

from __future__ import annotations

import time

from django.urls import reverse

from preau.directory.models import Pupil
from preau.news.consent import pupils_without_consent
from preau.news.models import Comment, Photo, Post
from preau.news.seed import load_demo_news
from preau.news.tests.conftest import login
from preau.notifications.models import Notification


def snapshot() -> list[tuple]:
    return list(
        Post.objects.order_by("pk").values_list(
            "audience",
            "school_class__label",
            "school__name",
            "title",
            "publish_at",
            "author__username",
        )
    )


def test_a_year_of_news_for_every_class_school_and_the_city(world, media_root):
    Pupil.objects.filter(school=world.a.school).update(consent_photo=True)
    Pupil.objects.filter(pk=world.a.pupils[1].pk).update(consent_photo=False)
    started = time.perf_counter()
    count = load_demo_news(world.lorient)
    elapsed = time.perf_counter() - started
    assert count == 4 * 6 + 2 * 4 + 3 == Post.objects.count()
    assert elapsed < 5
    assert not Post.objects.filter(municipality=world.vannes).exists()
    for cls in world.a.classes + world.b.classes:
        posts = Post.objects.filter(school_class=cls)
        assert posts.count() == 6
        assert set(posts.values_list("author", flat=True)) == {cls.memberships.get().user_id}
    assert Post.objects.filter(audience="school", author=world.a.director).count() == 4
    assert Post.objects.filter(audience="municipality", author=world.city_admin).count() == 3
    # Photos are drawings; tagged pupils all have consent; a few files shared by all.
    photos = Photo.objects.all()
    assert photos.exists()
    tagged = set(Photo.pupils.through.objects.values_list("pupil_id", flat=True))
    assert tagged
    assert not pupils_without_consent(tagged)
    assert world.a.pupils[1].pk not in tagged
    assert len([p for p in media_root.rglob("*") if p.is_file()]) == 12
    assert not Notification.objects.exists()
    assert not Post.objects.filter(announced_at__isnull=True).exists()
    # Comments come from the class's own guardians with an account, on live posts only.
    for comment in Comment.objects.select_related("post"):
        assert comment.author == world.parent
        assert comment.post.is_live
    # Guardians read it.
    response = login(world, world.parent).get(reverse("news:timeline"))
    assert response.status_code == 200


def test_same_seed_same_news(world, media_root):
    load_demo_news(world.lorient)
    first = snapshot()
    Post.objects.all().delete()
    load_demo_news(world.lorient)
    assert snapshot() == first
