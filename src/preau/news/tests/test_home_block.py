"""The "Latest news" block on guardians' and pupils' home pages."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from preau.news.models import Audience
from preau.news.tests.conftest import draft, login, published


def home(client) -> str:
    response = client.get(reverse("home:index"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return response.content.decode()


def test_guardian_home_shows_the_latest_news_of_both_children(world):
    published(world, title="Classe A0")
    published(world, world.a.teachers[1], pk=world.a.classes[1].pk, title="Classe A1")
    published(world, world.a.director, kind=Audience.SCHOOL, title="Fête de l'école")
    published(world, world.b.director, kind=Audience.SCHOOL, pk=world.b.school.pk, title="École B")
    draft(world, title="Brouillon")
    html = home(login(world, world.parent))
    assert "Latest news" in html
    for title in ("Classe A0", "Classe A1", "Fête de l&#x27;école"):
        assert title in html
    assert "École B" not in html
    assert "Brouillon" not in html
    assert reverse("news:timeline") in html


def test_pupil_home_shows_their_class_news(world):
    published(world, title="Classe A0")
    published(world, world.a.teachers[1], pk=world.a.classes[1].pk, title="Classe A1")
    html = home(login(world, world.pupil_user))
    assert "Classe A0" in html
    assert "Classe A1" not in html


def test_no_news_yet(world):
    assert "No news yet." in home(login(world, world.parent))


def test_the_block_costs_one_query_however_many_posts(world, django_assert_num_queries):
    client = login(world, world.parent)
    client.get(reverse("home:index"))
    with CaptureQueriesContext(connection) as baseline:
        client.get(reverse("home:index"))
    news_queries = [q for q in baseline.captured_queries if "news_" in q["sql"]]
    assert len(news_queries) == 1
    for i in range(4):
        published(world, title=f"Post {i}", photos=1, comments_enabled=True)
        published(world, world.a.director, kind=Audience.SCHOOL, title=f"École {i}")
    with django_assert_num_queries(len(baseline)):
        html = home(client)
    assert "École 3" in html
    assert "Post 3" in html
    assert "École 2" in html
    assert "Post 2" not in html  # three posts only, newest first
