"""The guardians' week page is the one families open most: its queries are pinned."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from preau.homework import services
from preau.homework.tests.conftest import MONDAY, PDF, client_for, entry_for

# Session, user, the user's scope (memberships, guardian, links, pupil), the children's
# classes, the week's entries and their attachments (9 queries of its own), plus the
# navigation's badges of other apps (notifications and messages unread: 2 when this was
# pinned): the same whatever the number of entries or children.
QUERIES_GUARDIAN_WEEK = 11


def _fill(world, days: int) -> None:
    for i in range(days):
        day = MONDAY + dt.timedelta(days=i % 5)
        for cls in (0, 1):
            entry = entry_for(world, cls, date=day, due_on=day + dt.timedelta(days=2))
            services.update_entry(
                world.a.teachers[cls],
                entry,
                services.EntryInput(
                    date=day, subject="french", todo_text="x", due_on=day + dt.timedelta(days=2)
                ),
                [services.Upload(PDF, "f.pdf")],
            )


def test_guardian_week_query_count_is_pinned(world, django_assert_num_queries):
    _fill(world, 2)
    client = client_for(world, world.parent)
    url = reverse("homework:index")
    client.get(url)  # the first page of a session also writes the session (MFA check)
    with django_assert_num_queries(QUERIES_GUARDIAN_WEEK):
        assert client.get(url, {"week": MONDAY.isoformat()}).status_code == 200
    _fill(world, 5)
    with django_assert_num_queries(QUERIES_GUARDIAN_WEEK):
        assert client.get(url, {"week": MONDAY.isoformat()}).status_code == 200
