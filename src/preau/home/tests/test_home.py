"""The home page of each role, and of a user with several roles or none."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from preau.accounts.models import User
from preau.directory.models import (
    Enrolment,
    Guardian,
    GuardianLink,
    Membership,
    Pupil,
    Role,
    SchoolClass,
)
from preau.directory.tests.test_browse import login


def home(world, user):
    # In English, so that the French catalogue does not change what the tests read.
    response = login(world, user).get(reverse("home:index"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return response, response.content.decode()


def test_anonymous_goes_to_login(world, client):
    response = client.get(reverse("home:index"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_guardian_sees_only_their_children(world):
    response, html = home(world, world.parent)
    assert [s.template for s in response.context["sections"]] == ["home/sections/guardian.html"]
    for child, cls in ((world.a.pupils[0], "CP A"), (world.a.pupils[2], "CM2 A")):
        assert child.first_name in html
        assert child.last_name in html
        assert cls in html
    assert world.a.school.name in html
    assert "EnseignantA0" in html
    assert "EnseignantA1" in html
    # Nothing else: no other pupil, no birth date, no consent, no other guardian.
    for other in (world.a.pupils[1], world.a.pupils[3], world.b.pupils[0]):
        assert other.last_name not in html
    assert "2017" not in html
    assert "badge" not in html
    assert "PARENTA" not in html
    assert reverse("directory:pupil_list") not in html


def test_guardian_home_query_count_does_not_grow_with_children(
    world, django_assert_max_num_queries
):
    client = login(world, world.parent)
    client.get(reverse("home:index"))
    # session, user, scope (4), children, their classes, the classes' teachers, the latest
    # news, the navigation's unread badges (notifications, messages)
    with django_assert_max_num_queries(12):
        client.get(reverse("home:index"))
    for i in range(5):
        cls = world.b.classes[i % 2]
        child = Pupil.objects.create(
            municipality=world.lorient,
            school=world.b.school,
            last_name="MARTIN",
            first_name=f"Enfant{i}",
            birth_date=dt.date(2016, 1, 1),
            level="CP",
        )
        Enrolment.objects.create(pupil=child, school_class=cls, started_on=world.year.starts_on)
        GuardianLink.objects.create(guardian=world.parent_guardian, pupil=child)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("home:index"))
    assert "Enfant4" in response.content.decode()
    assert "École B" in response.content.decode()


def test_pupil_sees_their_class(world):
    response, html = home(world, world.pupil_user)
    templates = [s.template for s in response.context["sections"]]
    assert templates == ["home/sections/pupil.html"]
    assert "CP A" in html
    assert "EnseignantA0" in html
    assert "ELEVEA01" not in html  # no classmates' names


def test_teacher_sees_their_class_and_pupils(world):
    _, html = home(world, world.a.teachers[0])
    assert "CP A" in html
    assert "ELEVEA00" in html
    assert "ELEVEA01" in html
    assert "ELEVEA10" not in html
    assert "CM2 A" not in html
    assert reverse("directory:pupil_detail", args=[world.a.pupils[0].pk]) in html


def test_director_sees_classes_with_activation_progress(world):
    response, html = home(world, world.a.director)
    assert reverse("directory:onde_upload", args=[world.a.school.pk]) in html
    school = response.context["sections"][0].context["schools"][0]
    progress = {
        c.label: (c.activated, c.guardian_count, c.pupil_count) for c in school.current_classes
    }
    # CP A: two pupils, their two parents plus Camille Martin (activated).
    assert progress == {"CP A": (1, 3, 2), "CM2 A": (1, 3, 2)}
    for cls in world.a.classes:
        assert reverse("accounts:class_activation", args=[cls.pk]) in html
    assert "CP B" not in html
    assert "1 / 3" in html


def test_director_progress_counts_activation(world):
    guardian = world.a.guardians[2]  # parent of a CM2 A pupil
    guardian.user = User.objects.create_user("newparent")
    guardian.save()
    response, _ = home(world, world.a.director)
    school = response.context["sections"][0].context["schools"][0]
    assert {c.label: c.activated for c in school.current_classes} == {"CP A": 1, "CM2 A": 2}


def test_city_admin_sees_municipality_figures_and_pending(world):
    SchoolClass.objects.create(school=world.b.school, year=world.year, label="CE1 B")
    response, html = home(world, world.city_admin)
    data = response.context["sections"][0].context
    assert data["schools"] == 2
    assert data["classes"] == 5
    assert data["pupils"] == 8
    assert data["teachers"] == 4
    assert data["guardians"] == {"total": 9, "active": 1}
    assert [c.label for c in data["classes_without_teacher"]] == ["CE1 B"]
    assert data["schools_without_director"] == []
    assert reverse("accounts:audit_log") in html
    assert "Lorient" in html
    assert "Vannes" not in html


def test_vannes_admin_sees_only_vannes(world):
    response, html = home(world, world.vannes_admin)
    data = response.context["sections"][0].context
    assert data["schools"] == 1
    assert data["pupils"] == 4
    assert "Lorient" not in html


def test_technician_and_programme_officer_get_honest_placeholders(world):
    tech = User.objects.create_user("tech")
    Membership.objects.create(user=tech, role=Role.CITY_TECHNICIAN, municipality=world.lorient)
    response, html = home(world, tech)
    assert response.context["sections"][0].context == {"schools": 2, "sites": 2}
    officer = User.objects.create_user("officer")
    Membership.objects.create(user=officer, role=Role.PROGRAMME_OFFICER, municipality=world.lorient)
    response, html = home(world, officer)
    assert [s.template for s in response.context["sections"]] == [
        "home/sections/programme_officer.html"
    ]
    assert "€" not in html  # no made-up figures
    assert "coming" in html.lower()


def test_erun_sees_their_schools(world):
    _, html = home(world, world.erun)
    assert world.a.school.name in html
    assert world.b.school.name not in html
    assert "ELEVE" not in html


def test_user_with_several_roles_sees_each_section(world):
    teacher = world.b.teachers[0]
    Guardian.objects.filter(pk=world.a.guardians[1].pk).update(user=teacher)
    response, html = home(world, teacher)
    assert [s.template for s in response.context["sections"]] == [
        "home/sections/teacher.html",
        "home/sections/guardian.html",
    ]
    assert "CP B" in html
    assert "ELEVEA01" in html


def test_user_without_role_gets_a_polite_page(world):
    response, html = home(world, world.outsider)
    assert "home/no_access.html" in [t.name for t in response.templates]
    assert "director" in html.lower()
    assert "ELEVE" not in html
    assert "École" not in html
