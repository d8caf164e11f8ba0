"""Query counts of the families' pages do not grow with the number of notes or children."""

from __future__ import annotations

from django.urls import reverse

from preau.directory.scope import scope_of
from preau.liaison import reading
from preau.liaison.models import Acknowledgement

from .conftest import send


def _page_queries(client, url, django_assert_max_num_queries) -> int:
    client.get(url)  # session and caches warm
    with django_assert_max_num_queries(30) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_guardian_notes_per_child_in_three_queries(world, django_assert_num_queries):
    for i in range(12):
        send(world, title=f"Note {i}", acknowledgement=Acknowledgement.ONE)
        send(world, world.a.teachers[1], title=f"CM2 {i}", class_ids=[world.a.classes[1].pk])
    scope_of(world.parent)
    with django_assert_num_queries(3):  # children, their notes, my rows
        children = reading.family_notes(world.parent)
    assert [len(c.notes) for c in children] == [12, 12]


def test_guardian_pages_cost_the_same_with_2_or_24_notes(world, django_assert_max_num_queries):
    first = send(world, acknowledgement=Acknowledgement.ONE)
    send(world, world.a.teachers[1], class_ids=[world.a.classes[1].pk])
    client = world.client_for(world.parent)
    index = reverse("liaison:index")
    note = reverse("liaison:note", args=[first.pk])
    few = (
        _page_queries(client, index, django_assert_max_num_queries),
        _page_queries(client, note, django_assert_max_num_queries),
    )
    for i in range(11):
        send(world, title=f"Note {i}", acknowledgement=Acknowledgement.ALL)
        send(world, world.a.teachers[1], title=f"CM2 {i}", class_ids=[world.a.classes[1].pk])
    many = (
        _page_queries(client, index, django_assert_max_num_queries),
        _page_queries(client, note, django_assert_max_num_queries),
    )
    assert many == few
