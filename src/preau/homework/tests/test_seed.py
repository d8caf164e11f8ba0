"""The demo cahier de textes: plausible, deterministic, fast on the demo world's size."""

from __future__ import annotations

import time
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse

from preau.directory.models import Guardian, Municipality, SchoolClass
from preau.homework import text
from preau.homework.models import Entry
from preau.homework.seed import load_demo_homework, school_days


def _snapshot():
    return list(
        Entry.objects.order_by("school_class__label", "date", "pk").values_list(
            "school_class__label", "date", "subject", "done_text", "todo_text", "due_on"
        )
    )


def test_seed_is_deterministic_and_idempotent(world):
    count = load_demo_homework(world.lorient)
    assert count == Entry.objects.count() > 4 * 100
    first = _snapshot()
    assert load_demo_homework(world.lorient) == 0  # already there: nothing added
    Entry.objects.all().delete()
    load_demo_homework(world.lorient)
    assert _snapshot() == first
    assert not Entry.objects.filter(school_class__school__municipality=world.vannes).exists()
    # Every "to do" has a due date on a later school day; no entry on a Wednesday.
    assert not Entry.objects.exclude(todo_text="").filter(due_on__isnull=True).exists()
    assert not Entry.objects.filter(date__week_day=4).exists()
    # The texts are stored as is: exactly what the sanitiser would keep.
    for done, todo in Entry.objects.values_list("done_text", "todo_text"):
        assert (text.clean(done), text.clean(todo)) == (done, todo)


def test_school_days_skip_holidays(world):
    days = set(school_days(world.year))
    assert 130 < len(days) < 150
    assert all(d.weekday() != 2 for d in days)
    assert not any(d.month == 8 for d in days)
    assert not {d for d in days if d.isoformat() >= "2025-10-18" and d.isoformat() <= "2025-11-02"}


@pytest.fixture(scope="module")
def demo_world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("demo", stdout=StringIO())
        yield
        transaction.set_rollback(True)


def test_seed_on_the_demo_world_is_fast(demo_world, db, capsys):
    lorient = Municipality.objects.get()
    Entry.objects.filter(school_class__school__municipality=lorient).delete()
    started = time.perf_counter()
    count = load_demo_homework(lorient)
    elapsed = time.perf_counter() - started
    classes = SchoolClass.objects.filter(homework_entries__isnull=False).distinct().count()
    with capsys.disabled():
        print(f"\nhomework demo: {count} entries for {classes} classes in {elapsed:.2f} s")
    assert count > 10_000
    assert elapsed < 10
    # A demo guardian sees their children's week.
    guardian = Guardian.objects.filter(user__isnull=False).order_by("pk").first()
    assert guardian is not None
    day = Entry.objects.order_by("date").values_list("date", flat=True)[40]
    response = client_for_user(guardian.user).get(reverse("homework:index"), {"week": day})
    assert response.status_code == 200


def client_for_user(user):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client
