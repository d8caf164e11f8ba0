"""axe-core in Debian's Chromium, on a phone: the main page of each area of the school–family
workspace, as each main persona sees it, and its main forms sent empty, have no serious or
critical WCAG 2.1 A/AA problem (the RGAA builds on them), no reference to a missing element,
and load nothing from another host (``a11y.audit``). The fleet's, the helpdesk's, the loans'
and the programme's pages are in test_accessibility_fleet.py."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse

from preau.agenda.models import Event
from preau.conftest import World
from preau.home.tests.a11y import anonymous, audit, audit_as
from preau.homework.tests.conftest import MONDAY, entry_for
from preau.liaison.models import Acknowledgement, Question
from preau.liaison.tests.conftest import send
from preau.messaging.tests.helpers import start
from preau.news.tests.conftest import published

pytestmark = pytest.mark.browser

Page = Callable[[World], str]  # makes the little data a page needs; returns its path


def plain(name: str) -> Page:
    return lambda world: reverse(name)


def _news(world: World) -> str:
    published(world, title="Sortie au musée", text="Les enfants ont adoré la **visite**.")
    return reverse("news:timeline")


def _guardian_home(world: World) -> str:
    _news(world)
    return reverse("home:index")


def _note(world: World) -> None:
    send(
        world,
        title="Sortie à la plage",
        acknowledgement=Acknowledgement.ONE,
        question=Question.YES_NO,
    )


def _notes(world: World) -> str:
    _note(world)
    return reverse("liaison:index")


def _notifications(world: World) -> str:
    _note(world)  # tells the guardians of class CP A
    return reverse("notifications:timeline")


def _inbox(world: World) -> str:
    start(world.a.teachers[0], world.parent, subject="Rendez-vous", body="Mardi à 17 h ?")
    return reverse("messaging:inbox")


def _families_week(world: World) -> str:
    entry_for(world, 0)
    entry_for(world, 1, subject="maths", topic="", done_text="Tables de 7", todo_text="")
    return f"{reverse('homework:index')}?week={MONDAY}"


def _class_week(world: World) -> str:
    entry_for(world, 0)
    return f"{reverse('homework:class_week', args=[world.a.classes[0].pk])}?week={MONDAY}"


def _agenda(world: World) -> str:
    Event.objects.create(
        title="Sortie au musée",
        audience=Event.Audience.CLASS,
        municipality=world.lorient,
        school=world.a.school,
        school_class=world.a.classes[0],
        starts_on=MONDAY + dt.timedelta(days=3),
        ends_on=MONDAY + dt.timedelta(days=3),
    )
    return f"{reverse('agenda:index')}?week={MONDAY}"


def _new_entry(world: World) -> str:
    return reverse("homework:entry_create", args=[world.a.classes[0].pk])


def _class(world: World) -> str:
    return reverse("directory:class_detail", args=[world.a.classes[0].pk])


CASES = [
    pytest.param("parent", _guardian_home, id="home-guardian"),
    pytest.param("teacher_a0", plain("home:index"), id="home-teacher"),
    pytest.param("director_a", plain("home:index"), id="home-director"),
    pytest.param("city_admin", plain("home:index"), id="home-city-admin"),
    pytest.param("parent", _news, id="news-timeline"),
    pytest.param("parent", _notes, id="notes-guardian"),
    pytest.param("teacher_a0", _notes, id="notes-teacher"),
    pytest.param("teacher_a0", plain("liaison:compose"), id="notes-compose"),
    pytest.param("parent", _inbox, id="messages-inbox"),
    pytest.param("teacher_a0", plain("messaging:compose"), id="messages-compose"),
    pytest.param("parent", _families_week, id="homework-guardian"),
    pytest.param("teacher_a0", _class_week, id="homework-class"),
    pytest.param("parent", _agenda, id="agenda-week"),
    pytest.param("parent", _notifications, id="notifications"),
    pytest.param("city_admin", plain("directory:school_list"), id="directory-schools"),
    pytest.param("teacher_a0", _class, id="directory-class"),
]


# Forms sent empty: their errors and help must stay tied to their fields.
REFUSED = [
    pytest.param("teacher_a0", _new_entry, id="homework-entry"),
    pytest.param("teacher_a0", plain("agenda:create"), id="agenda-event"),
    pytest.param("teacher_a0", plain("liaison:compose"), id="notes-compose"),
    pytest.param("teacher_a0", plain("messaging:compose"), id="messages-compose"),
]


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.mark.parametrize(("persona", "page"), CASES)
def test_the_page_passes_the_audit(
    transactional_db: Any,
    live_server: Any,
    world: World,
    browser: Any,
    persona: str,
    page: Page,
    request: pytest.FixtureRequest,
) -> None:
    user, name = world.persona(persona), request.node.callspec.id
    assert audit_as(browser, live_server, user, page(world), name) == []


@pytest.mark.parametrize(("persona", "page"), REFUSED)
def test_a_refused_form_passes_the_audit(
    transactional_db: Any,
    live_server: Any,
    world: World,
    browser: Any,
    persona: str,
    page: Page,
    request: pytest.FixtureRequest,
) -> None:
    user, name = world.persona(persona), request.node.callspec.id
    assert audit_as(browser, live_server, user, page(world), name, refused=True) == []


def test_the_login_page_passes_the_audit(
    transactional_db: Any, live_server: Any, browser: Any
) -> None:
    session = anonymous(browser, live_server)
    assert audit(session, live_server.url + reverse("account_login"), "login") == []
    session.context.close()
