from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.utils import translation
from PIL import Image

from preau.directory.models import Membership, Role
from preau.directory.scope import forget_scope
from preau.homework import services
from preau.homework.models import Entry

MONDAY = dt.date(2025, 10, 6)
TUESDAY = MONDAY + dt.timedelta(days=1)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def png(size: tuple[int, int] = (4, 3)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def entry_for(world: Any, cls_index: int = 0, **changes: Any) -> Entry:
    """An entry of school A's class ``cls_index``, written by its teacher."""
    data: dict[str, Any] = {
        "date": TUESDAY,
        "subject": "french",
        "topic": "Poésie",
        "done_text": "Lecture du poème",
        "todo_text": "Apprendre la première strophe",
        "due_on": TUESDAY + dt.timedelta(days=2),
    } | changes
    return services.create_entry(
        world.a.teachers[cls_index], world.a.classes[cls_index], services.EntryInput(**data)
    )


@pytest.fixture
def two_class_teacher(world: Any) -> Any:
    """Teacher A0 also teaches class A1 (a part-time colleague's class)."""
    a = world.a
    Membership.objects.create(
        user=a.teachers[0],
        role=Role.TEACHER,
        municipality=world.lorient,
        school=a.school,
        school_class=a.classes[1],
    )
    forget_scope(a.teachers[0])
    return a.teachers[0]


def client_for(world: Any, user: Any) -> Any:
    """A logged-in client that asks for English pages (the tests read English messages)."""
    client = world.client_for(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture(autouse=True)
def english() -> Any:
    with translation.override("en"):
        yield
