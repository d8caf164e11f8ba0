"""Reading the news as each persona, through HTTP: who sees what, newest first, and
someone else's post, photo or class is a 404."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from preau.news.models import Audience, Photo, Post
from preau.news.tests.conftest import draft, login, published


@pytest.fixture
def posts(world):
    """One live post per audience, a draft and a scheduled post, at distinct times."""
    made = {
        "class_a0": published(world, title="Classe A0"),
        "class_a1": published(
            world, world.a.teachers[1], pk=world.a.classes[1].pk, title="Classe A1"
        ),
        "school_a": published(world, world.a.director, kind=Audience.SCHOOL, title="École A"),
        "school_b": published(
            world, world.b.director, kind=Audience.SCHOOL, pk=world.b.school.pk, title="École B"
        ),
        "lorient": published(
            world, world.city_admin, kind=Audience.MUNICIPALITY, title="Ville de Lorient"
        ),
        "vannes": published(
            world,
            world.vannes_admin,
            kind=Audience.MUNICIPALITY,
            pk=world.vannes.pk,
            title="Ville de Vannes",
        ),
        "draft": draft(world, title="Brouillon A0"),
        "scheduled": published(
            world, title="Programmé A0", when=timezone.now() + dt.timedelta(days=2)
        ),
    }
    base = timezone.now() - dt.timedelta(days=10)
    for hours, key in enumerate(
        ["vannes", "lorient", "school_b", "school_a", "class_a1", "class_a0"]
    ):
        Post.objects.filter(pk=made[key].pk).update(publish_at=base + dt.timedelta(hours=hours))
    return made


def titles(response) -> list[str]:
    assert response.status_code == 200
    return [post.title for post in response.context["posts"]]


def timeline(world, user) -> list[str]:
    return titles(login(world, user).get(reverse("news:timeline")))


def test_guardian_of_two_children_sees_both_classes_school_and_city(world, posts):
    assert timeline(world, world.parent) == [
        "Classe A0",
        "Classe A1",
        "École A",
        "Ville de Lorient",
    ]


def test_pupil_sees_their_class_school_and_city_only(world, posts):
    assert timeline(world, world.pupil_user) == ["Classe A0", "École A", "Ville de Lorient"]


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("teacher_a1", ["Classe A0", "Classe A1", "École A", "Ville de Lorient"]),
        ("director_b", ["École B", "Ville de Lorient"]),
        ("erun", ["Classe A0", "Classe A1", "École A", "Ville de Lorient"]),
        ("city_admin", ["Classe A0", "Classe A1", "École A", "École B", "Ville de Lorient"]),
        ("vannes_admin", ["Ville de Vannes"]),
        ("outsider", []),
    ],
)
def test_staff_see_their_schools_and_city(world, posts, persona, expected):
    assert timeline(world, world.persona(persona)) == expected


def test_author_sees_drafts_and_scheduled_only_in_their_own_list(world, posts):
    teacher = world.a.teachers[0]
    assert "Brouillon A0" not in timeline(world, teacher)
    response = login(world, teacher).get(reverse("news:mine"))
    html = response.content.decode()
    assert "Brouillon A0" in html
    assert "Programmé A0" in html
    assert "Classe A1" not in html


def test_mine_is_404_for_families(world):
    assert login(world, world.parent).get(reverse("news:mine")).status_code == 404


@pytest.mark.parametrize(
    ("key", "persona"),
    [
        ("class_a0", "outsider"),
        ("class_a0", "director_b"),
        ("class_a0", "vannes_admin"),
        ("class_a1", "pupil"),
        ("school_b", "parent"),
        ("vannes", "parent"),
        ("draft", "parent"),
        ("draft", "teacher_a1"),
        ("scheduled", "parent"),
        ("scheduled", "pupil"),
    ],
)
def test_someone_elses_post_is_404(world, posts, key, persona):
    client = login(world, world.persona(persona))
    assert client.get(reverse("news:detail", args=[posts[key].pk])).status_code == 404


def test_missing_post_is_404(world):
    assert login(world, world.parent).get(reverse("news:detail", args=[999999])).status_code == 404


def test_scheduled_post_appears_when_its_time_comes(world, posts, monkeypatch):
    url = reverse("news:detail", args=[posts["scheduled"].pk])
    client = login(world, world.parent)
    assert client.get(url).status_code == 404
    assert "Programmé A0" not in timeline(world, world.parent)
    later = timezone.now() + dt.timedelta(days=2, minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    client = login(world, world.parent)  # a fresh session, two days later
    assert client.get(url).status_code == 200
    assert timeline(world, world.parent)[0] == "Programmé A0"


def test_class_page_for_its_families_and_staff(world, posts):
    url = reverse("news:class", args=[world.a.classes[0].pk])
    assert titles(login(world, world.parent).get(url)) == ["Classe A0"]
    teacher_page = login(world, world.a.teachers[0]).get(url)
    assert titles(teacher_page) == ["Classe A0"]
    new_url = reverse("news:new", args=["class", world.a.classes[0].pk])
    assert new_url in teacher_page.content.decode()
    assert new_url not in login(world, world.parent).get(url).content.decode()
    for persona in ("director_b", "outsider", "vannes_admin"):
        assert login(world, world.persona(persona)).get(url).status_code == 404
    other = reverse("news:class", args=[world.a.classes[1].pk])
    assert login(world, world.pupil_user).get(other).status_code == 404


def test_school_page(world, posts):
    url = reverse("news:school", args=[world.a.school.pk])
    assert titles(login(world, world.parent).get(url)) == ["Classe A0", "Classe A1", "École A"]
    assert (
        login(world, world.parent).get(reverse("news:school", args=[world.b.school.pk])).status_code
        == 404
    )


def test_html_and_script_in_every_field_are_inert(world, django_capture_on_commit_callbacks):
    evil = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    post = published(
        world,
        title=f"Titre {evil}",
        text=f'{evil}\n\n<a href="javascript:alert(1)">clic</a> **gras** https://example.org/ok',
        photos=1,
        comments_enabled=True,
    )
    Photo.objects.filter(post=post).update(caption=f"Légende {evil}")
    client = login(world, world.parent)
    client.post(reverse("news:comment", args=[post.pk]), {"text": f"Merci {evil}"})
    for url in (
        reverse("news:detail", args=[post.pk]),
        reverse("news:timeline"),
        reverse("home:index"),
    ):
        html = client.get(url).content.decode()
        assert "<script>alert" not in html, url
        assert "<img src=x" not in html, url
        assert "onerror=alert(1)>" not in html, url
        assert '<a href="javascript' not in html, url
        assert "<a rel" not in html, url
        assert "&lt;script&gt;" in html, url
    html = client.get(reverse("news:detail", args=[post.pk])).content.decode()
    assert "<strong>gras</strong>" in html
    assert '<a href="https://example.org/ok" rel="noopener noreferrer">' in html
    assert post.html.count("<p>") == 2


def test_photos_and_files_are_served_only_to_the_audience(world):
    post = published(world, photos=1)
    photo = Photo.objects.get(post=post)
    for name in ("news:photo", "news:photo_thumbnail"):
        url = reverse(name, args=[photo.pk])
        response = login(world, world.parent).get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "image/jpeg"
        assert response["Cache-Control"].startswith("private")
        for persona in ("outsider", "director_b", "vannes_admin"):
            assert login(world, world.persona(persona)).get(url).status_code == 404
    assert login(world, world.parent).get(reverse("news:photo", args=[99999])).status_code == 404


def test_anonymous_is_sent_to_login(world, client):
    post = published(world, photos=1)
    photo = Photo.objects.get(post=post)
    for url in (
        reverse("news:timeline"),
        reverse("news:detail", args=[post.pk]),
        reverse("news:photo", args=[photo.pk]),
        reverse("news:consent"),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("account_login") in response["Location"]


def test_timeline_query_count_does_not_grow_with_posts(world, django_assert_num_queries):
    for i in range(3):
        published(world, title=f"Post {i}", photos=2, comments_enabled=True)
    client = login(world, world.parent)
    client.get(reverse("news:timeline"))
    # The news' own queries: page count, posts, their photos, their files (the rest is
    # the shell's: session, user, scope, navigation badges of other apps).
    with CaptureQueriesContext(connection) as captured:
        client.get(reverse("news:timeline"))
    news = [q["sql"] for q in captured.captured_queries if '"news_' in q["sql"]]
    assert len(news) == 4, news
    for i in range(3, 9):
        published(world, title=f"Post {i}", photos=2)
    with django_assert_num_queries(len(captured)):
        response = client.get(reverse("news:timeline"))
    assert len(response.context["posts"]) == 9
    assert response.content.decode().count("news:photo") == 0
    assert response.content.decode().count("/thumbnail/") == 18


def test_timeline_is_paginated(world):
    for i in range(12):
        published(world, title=f"Post {i}")
    client = login(world, world.parent)
    assert len(titles(client.get(reverse("news:timeline")))) == 10
    assert len(titles(client.get(reverse("news:timeline"), {"page": 2}))) == 2
