"""The news API as each persona: the same kernel as the pages, JSON 404 for someone
else's post, photos without consent left out, files served with a token."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from preau.accounts import token_services
from preau.news.models import Audience, Comment, Photo
from preau.news.tests.conftest import draft, login, published

pytestmark = pytest.mark.urls("preau.news.tests.api_urls")
API = "/test-api/news"


def bearer(user) -> Client:
    _token, clear = token_services.create_token(user, "tests")
    return Client(headers={"Authorization": f"Bearer {clear}"})


def get(client: Client, path: str, status: int = 200, **params):
    response = client.get(API + path, params)
    assert response.status_code == status, (path, response.status_code, response.content[:300])
    return response


def test_anonymous_is_401(world):
    post = published(world)
    for path in ("/timeline", f"/posts/{post.pk}"):
        assert Client().get(API + path).status_code == 401


def test_guardian_timeline_with_photos_and_files(world):
    post = published(world, title="Kermesse", text="**Samedi** 10 h", photos=1)
    published(world, world.a.director, kind=Audience.SCHOOL, title="École A")
    published(world, world.b.director, kind=Audience.SCHOOL, pk=world.b.school.pk, title="B")
    draft(world, title="Brouillon")
    page = get(bearer(world.parent), "/timeline").json()
    assert page["count"] == 2
    assert [p["title"] for p in page["items"]] == ["École A", "Kermesse"]
    item = page["items"][1]
    assert item["html"] == "<p><strong>Samedi</strong> 10 h</p>"
    assert item["summary"] == "Samedi 10 h"
    assert item["audience"] == {
        "kind": "class",
        "class_id": world.a.classes[0].pk,
        "school_id": world.a.school.pk,
        "municipality_id": world.lorient.pk,
        "label": "CP A · École A",
    }
    assert item["author"] == "Théo EnseignantA0"
    photo = Photo.objects.get(post=post)
    assert item["photos"][0]["url"] == f"{API}/photos/{photo.pk}"
    client = bearer(world.parent)
    for url in (item["photos"][0]["url"], item["photos"][0]["thumbnail_url"]):
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "image/jpeg"
    assert bearer(world.outsider).get(item["photos"][0]["url"]).status_code == 404


def test_pupil_timeline(world):
    published(world, title="A0")
    published(world, world.a.teachers[1], pk=world.a.classes[1].pk, title="A1")
    page = get(login(world, world.pupil_user), "/timeline").json()
    assert [p["title"] for p in page["items"]] == ["A0"]


def test_post_detail_with_visible_comments_only(world):
    post = published(world, comments_enabled=True)
    Comment.objects.create(post=post, author=world.a.teachers[0], author_name="T", text="ok")
    Comment.objects.create(
        post=post,
        author=world.a.teachers[0],
        author_name="T",
        text="caché",
        status=Comment.Status.HIDDEN,
    )
    body = get(bearer(world.parent), f"/posts/{post.pk}").json()
    assert [c["text"] for c in body["comments"]] == ["ok"]
    assert body["comment_count"] == 1


@pytest.mark.parametrize("persona", ["outsider", "director_b", "vannes_admin"])
def test_someone_elses_post_is_a_json_404(world, persona):
    post = published(world)
    response = get(bearer(world.persona(persona)), f"/posts/{post.pk}", status=404)
    assert response["Content-Type"].startswith("application/json")
    assert get(bearer(world.persona(persona)), "/timeline").json()["count"] == 0


def test_draft_and_missing_post_are_404(world):
    post = draft(world)
    get(bearer(world.parent), f"/posts/{post.pk}", status=404)
    get(bearer(world.parent), "/posts/999999", status=404)


def test_photo_of_a_pupil_without_consent_is_left_out(world):
    post = published(world, photos=2)
    hidden, shown = Photo.objects.filter(post=post).order_by("position")
    hidden.pupils.set([world.a.pupils[1]])  # consent "Non" in ONDE, tagged after publication
    Photo.objects.filter(pk=hidden.pk).update(no_pupils=False)
    body = get(bearer(world.parent), f"/posts/{post.pk}").json()
    assert [p["id"] for p in body["photos"]] == [shown.pk]
    assert bearer(world.parent).get(f"{API}/photos/{hidden.pk}").status_code == 404


def test_timeline_is_paginated_and_query_count_is_flat(world, django_assert_num_queries):
    for i in range(5):
        published(world, title=f"P{i}", photos=1)
    client = bearer(world.parent)
    client.get(API + "/timeline")
    with CaptureQueriesContext(connection) as captured:
        page = get(client, "/timeline", page_size=2).json()
    news = [q["sql"] for q in captured.captured_queries if '"news_' in q["sql"]]
    assert len(news) == 4, news  # count, posts, photos, files
    assert page["count"] == 5
    assert len(page["items"]) == 2
    for i in range(5, 10):
        published(world, title=f"P{i}", photos=2)
    with django_assert_num_queries(len(captured)):
        get(client, "/timeline")
