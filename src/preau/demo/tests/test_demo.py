"""The demo world: its size, its realism and the logins `make demo` prints."""

from __future__ import annotations

from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, F

from preau.accounts.models import ActivationCode, User
from preau.core import access
from preau.demo.build import build_world, uai
from preau.demo.load import DEMO_PASSWORD
from preau.demo.places import BIRTH_YEAR
from preau.demo.world import DEMO_USERNAMES
from preau.directory.models import (
    MATERNELLE_LEVELS,
    Enrolment,
    Guardian,
    Membership,
    Municipality,
    Pupil,
    Role,
    School,
    SchoolClass,
    SchoolGroup,
    SchoolYear,
    Site,
)
from preau.directory.scope import scope_of


def test_same_seed_gives_the_same_world():
    first, second = build_world("hash"), build_world("hash")
    assert [u.username for u in first.users] == [u.username for u in second.users]
    assert [(p.first_name, p.last_name, p.birth_date) for p in first.pupils] == [
        (p.first_name, p.last_name, p.birth_date) for p in second.pupils
    ]
    other = build_world("hash", seed=1)
    assert [u.username for u in other.users] != [u.username for u in first.users]


def test_uai_carries_its_check_letter():
    # The key is the 7 digits modulo 23, in an alphabet without I, O and Q.
    assert uai(1) == "0569001" + "ABCDEFGHJKLMNPRSTUVWXYZ"[569001 % 23]
    assert uai(1) == "0569001E"


@pytest.fixture(scope="module")
def demo_output(django_db_setup, django_db_blocker):
    """Load the world once for this module's tests, in a transaction rolled back after
    them (each test runs in a savepoint inside it)."""
    with django_db_blocker.unblock(), transaction.atomic():
        out = StringIO()
        call_command("demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def demo(demo_output, db):
    return demo_output


def test_demo_world_has_the_size_of_lorient(demo):
    lorient = Municipality.objects.get()
    assert (lorient.name, lorient.insee_code) == ("Lorient", "56121")
    assert SchoolGroup.objects.count() == 13
    assert School.objects.count() == 28 == Site.objects.count()
    assert set(School.objects.values_list("kind", flat=True)) == {
        "maternelle",
        "elementaire",
        "primaire",
    }
    assert SchoolYear.current().label == "2025-2026"
    assert SchoolYear.objects.filter(label="2024-2025", is_current=False).exists()
    assert 120 <= SchoolClass.objects.count() <= 140
    assert SchoolClass.objects.filter(is_ulis=True).count() in (1, 2)
    assert 2800 <= Pupil.objects.count() <= 3300
    assert 4500 <= Guardian.objects.count() <= 5500
    teachers = Membership.objects.filter(role=Role.TEACHER).values("user").distinct()
    assert 140 <= teachers.count() <= 160
    assert Membership.objects.filter(role=Role.DIRECTOR).count() == 28
    assert Membership.objects.filter(role=Role.ERUN).values("user").distinct().count() == 3
    assert ActivationCode.objects.exists()
    # Every class has its teacher and a room on its school's site.
    assert not SchoolClass.objects.filter(memberships__isnull=True).exists()
    assert not SchoolClass.objects.exclude(room__site=F("school__site")).exists()


def test_pupils_are_plausible(demo):
    pupils = list(Pupil.objects.values("level", "birth_date", "consent_photo", "user_id"))
    for pupil in pupils:
        assert BIRTH_YEAR[pupil["level"]] - pupil["birth_date"].year in (0, 1)
    refused = sum(not p["consent_photo"] for p in pupils) / len(pupils)
    assert 0.04 < refused < 0.13
    assert all(p["user_id"] is None for p in pupils if p["level"] in MATERNELLE_LEVELS)
    assert all(p["user_id"] for p in pupils if p["level"] not in MATERNELLE_LEVELS)
    links = Pupil.objects.annotate(n=Count("guardian_links"))
    per_pupil = Counter(links.values_list("n", flat=True))
    assert set(per_pupil) == {1, 2}
    assert per_pupil[2] > 4 * per_pupil[1]  # most pupils have two guardians
    # Brothers and sisters share their guardians.
    per_guardian = Counter(Guardian.objects.annotate(n=Count("links")).values_list("n", flat=True))
    assert per_guardian[2] + per_guardian[3] > 0.05 * Guardian.objects.count()


def test_demo_logins_work_and_reach_what_the_table_says(demo, client):
    for username in DEMO_USERNAMES:
        assert username in demo
        assert User.objects.get(username=username).check_password(DEMO_PASSWORD)
    assert DEMO_PASSWORD in demo
    assert "TOTP" in demo
    parent = User.objects.get(username="parent")
    children = access.restrict(parent, Pupil)
    assert children.count() == 2
    classes = Enrolment.objects.filter(pupil__in=children).values("school_class").distinct()
    assert classes.count() == 2
    assert access.restrict(parent, Guardian).get() == parent.guardian
    pupil = User.objects.get(username="eleve").pupil
    assert pupil.level in ("CM1", "CM2")
    assert pupil in children
    teacher_scope = scope_of(User.objects.get(username="enseignant"))
    assert Enrolment.objects.get(pupil=pupil).school_class_id in teacher_scope.teacher_classes
    assert scope_of(User.objects.get(username="admin")).municipalities_with(Role.CITY_ADMIN)
    assert len(scope_of(User.objects.get(username="erun")).erun_schools) > 1
    assert client.login(username="parent", password=DEMO_PASSWORD)
    assert client.get("/").status_code == 200


def test_demo_holds_the_seed_programme(demo):
    from preau.programme.figures import figures_of, with_structure
    from preau.programme.models import Programme

    programme = with_structure(Programme.objects.all()).get()
    fig = figures_of(programme, programme.eligibility_start)
    assert programme.name == "Transition numérique des écoles"
    assert [str(a.fig.budget.ht) for a in fig.axes] == ["720000.00", "1106000.00"]
    assert (str(fig.fig.budget.ht), str(fig.fig.budget.ttc)) == ("1826000.00", "2191200.00")
    assert [str(s.ht) for s in fig.funding] == ["1095600.00", "730400.00"]
    officer = User.objects.get(username="programme")
    assert access.restrict(officer, Programme).get() == programme
