"""Query counts pinned on the pages people open most: the inbox (constant whatever the
number of conversations), a conversation (constant whatever the number of messages),
and the navigation badge."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from preau.messaging import queries, services

from .conftest import client_for
from .helpers import start

# Session and user, the shell's navigation (scope, badges), then the inbox itself: the
# page of participant rows with their conversation, the other participants, the count,
# and the unread badge.
QUERIES_INBOX = 11
QUERIES_CONVERSATION = 18
QUERIES_UNREAD_BADGE = 1


def count_queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


def _fill(people, n: int) -> None:
    for i in range(n):
        sender = people["guardian_a00"] if i % 2 else people["guardian_a01"]
        start(sender, people["teacher_a0"], subject=f"Sujet {i}")
    start(people["director_a"], people["teacher_a0"], people["teacher_a1"], subject="Conseil")


def test_inbox_queries_do_not_grow_with_conversations(world, people, django_assert_num_queries):
    client = client_for(world, people["teacher_a0"])
    _fill(people, 1)
    inbox = reverse("messaging:inbox")
    client.get(inbox)  # the session settles
    few = count_queries(client, inbox)
    _fill(people, 20)
    assert count_queries(client, inbox) == few
    with django_assert_num_queries(QUERIES_INBOX):
        client.get(inbox)


def test_conversation_queries_do_not_grow_with_messages(world, people, django_assert_num_queries):
    guardian, teacher = people["guardian_a00"], people["teacher_a0"]
    conversation = start(guardian, teacher)
    client = client_for(world, guardian)
    path = reverse("messaging:conversation", args=[conversation.pk])
    client.get(path)
    few = count_queries(client, path)
    for i in range(15):
        services.reply(teacher if i % 2 else guardian, conversation, body=f"Message {i}")
    client.get(path)  # marks the new ones read (a write, once)
    assert count_queries(client, path) == few
    with django_assert_num_queries(QUERIES_CONVERSATION):
        client.get(path)


def test_unread_badge_is_one_query(world, people, django_assert_num_queries):
    _fill(people, 5)
    teacher = people["teacher_a0"]
    teacher.refresh_from_db()
    from preau.directory.scope import scope_of

    scope_of(teacher)
    with django_assert_num_queries(QUERIES_UNREAD_BADGE):
        assert queries.unread_count(teacher) == 6
