"""`preau demo` on a database that is not empty: refuse, keep, or reset."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from preau.accounts.models import User
from preau.directory.models import Municipality, School, SchoolYear


def test_demo_refuses_a_database_that_has_a_directory(db):
    Municipality.objects.create(name="Vannes", insee_code="56260", slug="vannes")
    with pytest.raises(CommandError, match="--reset"):
        call_command("demo", stdout=StringIO())
    out = StringIO()
    call_command("demo", "--keep-existing", stdout=out)
    assert "kept" in out.getvalue()
    assert Municipality.objects.get().name == "Vannes"
    call_command("demo", "--reset", stdout=StringIO())
    assert list(Municipality.objects.values_list("name", flat=True)) == ["Lorient"]
    assert School.objects.count() == 28


def test_reset_reloads_the_same_world(db):
    call_command("demo", stdout=StringIO())
    before = sorted(User.objects.values_list("username", flat=True))
    call_command("demo", "--reset", stdout=StringIO())
    assert sorted(User.objects.values_list("username", flat=True)) == before
    assert Municipality.objects.count() == 1
    assert dt.date(2025, 9, 1) == SchoolYear.current().starts_on
