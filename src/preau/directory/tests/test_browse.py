"""Directory pages as each persona: what they see, and the 404 for what is not theirs."""

from __future__ import annotations

import datetime as dt

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from preau.core.models import AuditEvent
from preau.directory.models import (
    Enrolment,
    Guardian,
    GuardianLink,
    Pupil,
    Room,
    School,
    SchoolClass,
    SchoolYear,
)
from preau.directory.scope import scope_of


def login(world, user):
    """A logged-in client; city staff get the second factor the middleware demands."""
    if scope_of(user).is_city_staff:
        Authenticator.objects.get_or_create(
            user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": "x"}}
        )
    return world.client_for(user)


def get(world, user, name, *args, **params):
    response = login(world, user).get(reverse(f"directory:{name}", args=args), params)
    return response


def page_text(response) -> str:
    return response.content.decode()


# ---- index ----------------------------------------------------------------------------


def test_index_for_city_admin_shows_figures_groups_and_sites(world):
    response = get(world, world.city_admin, "index")
    assert response.status_code == 200
    html = page_text(response)
    assert "Lorient" in html
    assert "Groupe scolaire A" in html
    assert "Groupe scolaire B" in html
    assert world.a.school.name in html
    assert world.b.school.name in html
    assert "Site A" in html
    assert "Vannes" not in html
    assert world.v.school.name not in html
    # 2 schools x 2 classes x 2 pupils enrolled.
    assert response.context["figures"]["pupils"] == 8
    assert response.context["figures"]["classes"] == 4


def test_index_for_director_shows_only_their_school(world):
    html = page_text(get(world, world.a.director, "index"))
    assert world.a.school.name in html
    assert world.b.school.name not in html


def test_index_for_outsider_is_empty(world):
    response = get(world, world.outsider, "index")
    assert response.status_code == 200
    assert response.context["figures"]["schools"] == 0
    assert "École" not in page_text(response)


def test_index_for_erun_hides_people_figures(world):
    response = get(world, world.erun, "index")
    assert response.context["figures"]["pupils"] is None
    assert reverse("directory:pupil_list") not in page_text(response)


def test_anonymous_is_sent_to_login(world, client):
    response = client.get(reverse("directory:pupil_list"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


# ---- schools --------------------------------------------------------------------------


def test_school_list_search_and_filters(world):
    School.objects.filter(pk=world.b.school.pk).update(kind=School.Kind.MATERNELLE)
    response = get(world, world.city_admin, "school_list")
    assert [s.pk for s in response.context["page_obj"]] == [world.a.school.pk, world.b.school.pk]
    assert "2 schools" in page_text(response) or "2 écoles" in page_text(response)

    by_uai = get(world, world.city_admin, "school_list", q=world.b.school.uai)
    assert [s.pk for s in by_uai.context["page_obj"]] == [world.b.school.pk]
    by_name = get(world, world.city_admin, "school_list", q="école a")
    assert [s.pk for s in by_name.context["page_obj"]] == [world.a.school.pk]
    by_kind = get(world, world.city_admin, "school_list", kind="maternelle")
    assert [s.pk for s in by_kind.context["page_obj"]] == [world.b.school.pk]
    group = world.a.school.group
    by_group = get(world, world.city_admin, "school_list", group=group.pk)
    assert [s.pk for s in by_group.context["page_obj"]] == [world.a.school.pk]


def test_school_list_rejects_another_municipality_group(world):
    response = get(world, world.city_admin, "school_list", group=world.v.school.group_id)
    assert response.status_code == 200
    assert response.context["form"].errors["group"]
    # The bad filter is ignored, and nothing of Vannes shows.
    assert world.v.school.name not in page_text(response)
    assert "Groupe scolaire V" not in page_text(response)


def test_school_list_outsider_and_other_municipality(world):
    assert get(world, world.outsider, "school_list").context["page_obj"].paginator.count == 0
    seen = get(world, world.vannes_admin, "school_list").context["page_obj"]
    assert [s.pk for s in seen] == [world.v.school.pk]


def test_school_detail_for_director(world):
    response = get(world, world.a.director, "school_detail", world.a.school.pk)
    assert response.status_code == 200
    html = page_text(response)
    assert world.a.school.uai in html
    assert "CP A" in html
    assert "CM2 A" in html
    assert "EnseignantA0" in html  # teacher of CP A
    assert "DirectriceA" in html
    assert reverse("directory:onde_upload", args=[world.a.school.pk]) in html
    assert reverse("accounts:class_activation", args=[world.a.classes[0].pk]) in html
    assert reverse("directory:site_detail", args=[world.a.school.site_id]) in html
    counts = {c.label: c.pupil_count for c in response.context["classes"]}
    assert counts == {"CP A": 2, "CM2 A": 2}


def test_school_detail_for_teacher_has_no_import_or_activation_links(world):
    response = get(world, world.a.teachers[0], "school_detail", world.a.school.pk)
    assert response.status_code == 200
    html = page_text(response)
    assert reverse("directory:onde_upload", args=[world.a.school.pk]) not in html
    assert "/activation/" not in html
    # A teacher sees their own class, not the colleague's.
    assert [c.label for c in response.context["classes"]] == ["CP A"]


@pytest.mark.parametrize(
    ("persona", "target"),
    [
        ("vannes_admin", "a"),  # another municipality
        ("city_admin", "v"),
        ("director_b", "a"),  # another school
        ("teacher_b0", "a"),
        ("erun", "b"),
        ("outsider", "a"),
    ],
)
def test_school_detail_of_someone_else_is_404(world, persona, target):
    user = world.persona(persona)
    school = getattr(world, target).school
    assert get(world, user, "school_detail", school.pk).status_code == 404
    assert get(world, user, "school_detail", 10**8).status_code == 404


# ---- sites ----------------------------------------------------------------------------


def test_site_list_and_detail(world):
    site = world.a.school.site
    site.latitude, site.longitude = "47.748000", "-3.366000"
    site.save()
    Room.objects.create(site=site, name="Salle 12", floor="1")
    world.a.classes[0].room = Room.objects.get(name="Salle 12")
    world.a.classes[0].save()

    listing = get(world, world.city_admin, "site_list")
    assert [s.name for s in listing.context["page_obj"]] == ["Site A", "Site B"]
    assert [
        s.name for s in get(world, world.city_admin, "site_list", q="rue B").context["page_obj"]
    ] == ["Site B"]

    response = get(world, world.a.director, "site_detail", site.pk)
    assert response.status_code == 200
    html = page_text(response)
    assert "47.748000, -3.366000" in html
    assert "Salle 12" in html
    assert "CP A" in html
    assert world.a.school.name in html
    assert 'href="https://www.openstreetmap.org/?mlat=47.748000&amp;mlon=-3.366000' in html


def test_site_without_coordinates_has_no_map_link(world):
    html = page_text(get(world, world.city_admin, "site_detail", world.b.school.site_id))
    assert "openstreetmap" not in html


def test_site_of_someone_else_is_404(world):
    site_a = world.a.school.site_id
    assert get(world, world.vannes_admin, "site_detail", site_a).status_code == 404
    assert get(world, world.b.director, "site_detail", site_a).status_code == 404
    assert get(world, world.parent, "site_detail", site_a).status_code == 404
    assert get(world, world.outsider, "site_list").context["page_obj"].paginator.count == 0


# ---- classes --------------------------------------------------------------------------


def test_class_list_filters(world):
    admin = world.city_admin
    all_classes = get(world, admin, "class_list").context["page_obj"]
    assert {c.label for c in all_classes} == {"CP A", "CM2 A", "CP B", "CM2 B"}
    by_school = get(world, admin, "class_list", school=world.b.school.pk).context["page_obj"]
    assert {c.label for c in by_school} == {"CP B", "CM2 B"}
    by_level = get(world, admin, "class_list", level="CM2").context["page_obj"]
    assert {c.label for c in by_level} == {"CM2 A", "CM2 B"}
    by_text = get(world, admin, "class_list", q="cp").context["page_obj"]
    assert {c.label for c in by_text} == {"CP A", "CP B"}


def test_class_list_year_filter(world):
    old = SchoolYear.objects.create(
        label="2024-2025", starts_on=dt.date(2024, 9, 1), ends_on=dt.date(2025, 7, 4)
    )
    past = SchoolClass.objects.create(
        school=world.a.school, year=old, label="CE1 A", levels=["CE1", "CE2"]
    )
    Enrolment.objects.create(
        pupil=world.a.pupils[0], school_class=past, started_on=old.starts_on, ended_on=old.ends_on
    )
    current = get(world, world.a.director, "class_list").context["page_obj"]
    assert "CE1 A" not in {c.label for c in current}
    response = get(world, world.a.director, "class_list", year=old.pk)
    assert [(c.label, c.pupil_count) for c in response.context["page_obj"]] == [("CE1 A", 1)]
    assert "CE1-CE2" in page_text(response)
    by_level = get(world, world.a.director, "class_list", year=old.pk, level="CE2")
    assert [c.label for c in by_level.context["page_obj"]] == ["CE1 A"]


def test_class_list_teacher_and_guardian(world):
    mine = get(world, world.a.teachers[1], "class_list").context["page_obj"]
    assert [c.label for c in mine] == ["CM2 A"]
    parent = get(world, world.parent, "class_list").context["page_obj"]
    assert {c.label for c in parent} == {"CP A", "CM2 A"}
    assert get(world, world.outsider, "class_list").context["page_obj"].paginator.count == 0


def test_class_detail_for_teacher_lists_pupils_with_consents(world):
    cls = world.a.classes[0]
    response = get(world, world.a.teachers[0], "class_detail", cls.pk)
    assert response.status_code == 200
    html = page_text(response)
    assert "ELEVEA00" in html
    assert "ELEVEA01" in html
    assert "ELEVEA10" not in html
    assert "badge-ok" in html
    assert "badge-warn" in html
    assert "EnseignantA0" in html
    assert "/activation/" not in html  # teachers do not manage family accounts


def test_class_detail_for_director_links_to_activation(world):
    cls = world.a.classes[1]
    html = page_text(get(world, world.a.director, "class_detail", cls.pk))
    assert reverse("accounts:class_activation", args=[cls.pk]) in html


def test_class_detail_for_erun_shows_no_pupils(world):
    response = get(world, world.erun, "class_detail", world.a.classes[0].pk)
    assert response.status_code == 200
    assert response.context["pupils"] == []
    assert "ELEVEA00" not in page_text(response)


def test_class_detail_guardian_sees_only_own_child(world):
    response = get(world, world.parent, "class_detail", world.a.classes[0].pk)
    assert response.status_code == 200
    assert [p.pk for p in response.context["pupils"]] == [world.a.pupils[0].pk]


@pytest.mark.parametrize(
    ("persona", "cls"),
    [
        ("teacher_a0", ("a", 1)),  # the colleague's class
        ("director_b", ("a", 0)),
        ("vannes_admin", ("a", 0)),
        ("city_admin", ("v", 0)),
        ("parent", ("b", 0)),
        ("outsider", ("a", 0)),
    ],
)
def test_class_detail_of_someone_else_is_404(world, persona, cls):
    user = world.persona(persona)
    target = getattr(world, cls[0]).classes[cls[1]]
    assert get(world, user, "class_detail", target.pk).status_code == 404


def test_class_detail_query_count_is_flat(world, django_assert_max_num_queries):
    cls = world.a.classes[0]
    for i in range(30):
        pupil = Pupil.objects.create(
            municipality=world.lorient,
            school=world.a.school,
            last_name=f"EXTRA{i}",
            first_name="Zoé",
            birth_date=dt.date(2018, 1, 1),
            level="CP",
        )
        Enrolment.objects.create(pupil=pupil, school_class=cls, started_on=world.year.starts_on)
    client = login(world, world.a.director)
    client.get(reverse("directory:class_detail", args=[cls.pk]))  # warm caches
    # session, user, scope (3), class, pupils, teachers, "may change", and the navigation's
    # unread badges (notifications, messages)
    with django_assert_max_num_queries(11):
        response = client.get(reverse("directory:class_detail", args=[cls.pk]))
    assert len(response.context["pupils"]) == 32


# ---- pupils ---------------------------------------------------------------------------


def test_pupil_list_for_director_and_filters(world):
    director = world.a.director
    response = get(world, director, "pupil_list")
    assert response.context["page_obj"].paginator.count == 4
    html = page_text(response)
    assert "ELEVEA00" in html
    assert "CP A" in html
    assert "ELEVEB00" not in html

    by_name = get(world, director, "pupil_list", q="elevea10")
    assert [p.last_name for p in by_name.context["page_obj"]] == ["ELEVEA10"]
    by_two_words = get(world, director, "pupil_list", q="prénom1 elevea1")
    assert [p.last_name for p in by_two_words.context["page_obj"]] == ["ELEVEA11"]
    by_class = get(world, director, "pupil_list", school_class=world.a.classes[1].pk)
    assert {p.last_name for p in by_class.context["page_obj"]} == {"ELEVEA10", "ELEVEA11"}
    by_level = get(world, director, "pupil_list", level="CP")
    assert {p.last_name for p in by_level.context["page_obj"]} == {"ELEVEA00", "ELEVEA01"}


def test_pupil_list_status_filter(world):
    Pupil.objects.filter(pk=world.a.pupils[3].pk).update(left_on=dt.date(2026, 1, 10))
    Enrolment.objects.filter(pupil=world.a.pupils[3]).update(ended_on=dt.date(2026, 1, 10))
    director = world.a.director
    active = get(world, director, "pupil_list", status="active").context["page_obj"]
    assert world.a.pupils[3].pk not in {p.pk for p in active}
    left = get(world, director, "pupil_list", status="left")
    assert [p.pk for p in left.context["page_obj"]] == [world.a.pupils[3].pk]
    assert "badge-bad" in page_text(left)


def test_pupil_list_rejects_class_of_another_school(world):
    response = get(world, world.a.director, "pupil_list", school_class=world.b.classes[0].pk)
    assert response.context["form"].errors["school_class"]
    assert "ELEVEB00" not in page_text(response)
    assert "CP B" not in page_text(response)


def test_pupil_list_pagination_keeps_filters(world):
    for i in range(60):
        pupil = Pupil.objects.create(
            municipality=world.lorient,
            school=world.a.school,
            last_name=f"NOMBREUX{i:02}",
            first_name="Léa",
            birth_date=dt.date(2018, 1, 1),
            level="CP",
        )
        Enrolment.objects.create(
            pupil=pupil, school_class=world.a.classes[0], started_on=world.year.starts_on
        )
    first = get(world, world.a.director, "pupil_list", q="nombreux", level="CP")
    page = first.context["page_obj"]
    assert page.paginator.count == 60
    assert len(page.object_list) == 50
    html = page_text(first)
    assert "?q=nombreux&amp;level=CP&amp;page=2" in html
    second = get(world, world.a.director, "pupil_list", q="nombreux", level="CP", page=2)
    assert len(second.context["page_obj"].object_list) == 10
    assert "NOMBREUX59" in page_text(second)
    # A page number out of range shows the last page rather than an error.
    assert get(world, world.a.director, "pupil_list", page=999).status_code == 200


def test_pupil_list_query_count_is_flat(world, django_assert_max_num_queries):
    for i in range(60):
        pupil = Pupil.objects.create(
            municipality=world.lorient,
            school=world.b.school,
            last_name=f"FLAT{i:02}",
            first_name="Noé",
            birth_date=dt.date(2018, 1, 1),
            level="CM2",
        )
        Enrolment.objects.create(
            pupil=pupil, school_class=world.b.classes[1], started_on=world.year.starts_on
        )
    client = login(world, world.city_admin)
    client.get(reverse("directory:pupil_list"))
    # session, user, second factor, scope (3), filter choices (2), count, page, enrolments,
    # the navigation's unread badge (notifications)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("directory:pupil_list"))
    assert len(response.context["page_obj"].object_list) == 50


def test_pupil_lists_for_teacher_guardian_outsider(world):
    teacher = get(world, world.a.teachers[0], "pupil_list").context["page_obj"]
    assert {p.pk for p in teacher} == {p.pk for p in world.a.pupils[:2]}
    parent = get(world, world.parent, "pupil_list").context["page_obj"]
    assert {p.pk for p in parent} == {world.a.pupils[0].pk, world.a.pupils[2].pk}
    assert get(world, world.outsider, "pupil_list").context["page_obj"].paginator.count == 0
    assert (
        get(world, world.vannes_admin, "pupil_list", q="ELEVEA").context["page_obj"].paginator.count
        == 0
    )


def test_pupil_detail_for_director_is_audited(world):
    pupil = world.a.pupils[0]
    response = get(world, world.a.director, "pupil_detail", pupil.pk)
    assert response.status_code == 200
    html = page_text(response)
    assert pupil.last_name in html
    assert "CP A" in html
    assert "parentA00@example.org" in html  # the guardian's contact
    assert "camille@example.org" in html
    assert pupil.ine in html  # the director manages the pupil's record
    event = AuditEvent.objects.get(action="pupil.viewed")
    assert event.actor == world.a.director
    assert event.target_id == str(pupil.pk)
    assert event.municipality_id == world.lorient.pk


def test_pupil_detail_shows_class_history(world):
    old = SchoolYear.objects.create(
        label="2024-2025", starts_on=dt.date(2024, 9, 1), ends_on=dt.date(2025, 7, 4)
    )
    past = SchoolClass.objects.create(school=world.a.school, year=old, label="GS A", levels=["GS"])
    pupil = world.a.pupils[0]
    Enrolment.objects.create(
        pupil=pupil, school_class=past, started_on=old.starts_on, ended_on=old.ends_on
    )
    html = page_text(get(world, world.a.director, "pupil_detail", pupil.pk))
    assert "2024-2025" in html
    assert "GS A" in html
    assert html.index("CP A") < html.index("GS A")  # newest first
    assert reverse("directory:class_detail", args=[past.pk]) in html
    # The teacher of this year's class sees the history, but no link to a class not theirs.
    teacher_html = page_text(get(world, world.a.teachers[0], "pupil_detail", pupil.pk))
    assert "GS A" in teacher_html
    assert reverse("directory:class_detail", args=[past.pk]) not in teacher_html
    assert pupil.ine not in teacher_html


def test_guardian_viewing_own_child_is_not_audited(world):
    child = world.a.pupils[2]
    response = get(world, world.parent, "pupil_detail", child.pk)
    assert response.status_code == 200
    assert child.last_name in page_text(response)
    # Only themselves among the guardians: not the other parent's contact.
    assert "parentA10@example.org" not in page_text(response)
    assert not AuditEvent.objects.filter(action="pupil.viewed").exists()


def test_teacher_viewing_a_pupil_is_audited(world):
    get(world, world.a.teachers[0], "pupil_detail", world.a.pupils[1].pk)
    assert AuditEvent.objects.filter(action="pupil.viewed", actor=world.a.teachers[0]).count() == 1


@pytest.mark.parametrize(
    ("persona", "pupil"),
    [
        ("director_b", ("a", 0)),
        ("teacher_a0", ("a", 2)),  # a pupil of the colleague's class
        ("parent", ("a", 1)),  # another family's child
        ("vannes_admin", ("a", 0)),
        ("city_admin", ("v", 0)),
        ("erun", ("a", 0)),
        ("pupil", ("a", 1)),
        ("outsider", ("a", 0)),
    ],
)
def test_pupil_detail_of_someone_else_is_404(world, persona, pupil):
    user = world.persona(persona)
    target = getattr(world, pupil[0]).pupils[pupil[1]]
    assert get(world, user, "pupil_detail", target.pk).status_code == 404
    assert not AuditEvent.objects.filter(action="pupil.viewed").exists()


# ---- guardians ------------------------------------------------------------------------


def test_guardian_list_for_director(world):
    response = get(world, world.a.director, "guardian_list")
    page = response.context["page_obj"]
    # Four parents of school A's pupils plus Camille Martin.
    assert page.paginator.count == 5
    html = page_text(response)
    assert "MARTIN" in html
    assert "PARENTA00" in html
    assert "PARENTB00" not in html
    assert reverse("directory:pupil_detail", args=[world.a.pupils[2].pk]) in html


def test_guardian_list_filters(world):
    director = world.a.director
    activated = get(world, director, "guardian_list", account="activated").context["page_obj"]
    assert [g.pk for g in activated] == [world.parent_guardian.pk]
    pending = get(world, director, "guardian_list", account="not_activated").context["page_obj"]
    assert pending.paginator.count == 4
    by_class = get(world, director, "guardian_list", school_class=world.a.classes[1].pk)
    assert {g.last_name for g in by_class.context["page_obj"]} == {
        "PARENTA10",
        "PARENTA11",
        "MARTIN",
    }
    by_text = get(world, director, "guardian_list", q="camille@")
    assert [g.pk for g in by_text.context["page_obj"]] == [world.parent_guardian.pk]
    by_school = get(world, world.city_admin, "guardian_list", school=world.b.school.pk)
    assert by_school.context["page_obj"].paginator.count == 4


def test_guardian_list_for_teacher_and_outsider(world):
    teacher = get(world, world.a.teachers[0], "guardian_list").context["page_obj"]
    assert {g.last_name for g in teacher} == {"PARENTA00", "PARENTA01", "MARTIN"}
    assert get(world, world.outsider, "guardian_list").context["page_obj"].paginator.count == 0


def test_guardian_detail_links_children_both_ways(world):
    camille = world.parent_guardian
    response = get(world, world.a.director, "guardian_detail", camille.pk)
    assert response.status_code == 200
    html = page_text(response)
    assert "camille@example.org" in html
    for child in (world.a.pupils[0], world.a.pupils[2]):
        assert reverse("directory:pupil_detail", args=[child.pk]) in html
    assert "CP A" in html
    assert "CM2 A" in html
    pupil_html = page_text(get(world, world.a.director, "pupil_detail", world.a.pupils[0].pk))
    assert reverse("directory:guardian_detail", args=[camille.pk]) in pupil_html


def test_teacher_sees_only_children_of_their_class_on_guardian_page(world):
    response = get(world, world.a.teachers[0], "guardian_detail", world.parent_guardian.pk)
    assert response.status_code == 200
    assert [c.pk for c in response.context["children"]] == [world.a.pupils[0].pk]


@pytest.mark.parametrize(
    ("persona", "guardian"),
    [
        ("director_b", ("a", 0)),
        ("teacher_a0", ("a", 2)),
        ("parent", ("a", 1)),
        ("vannes_admin", ("a", 0)),
        ("city_admin", ("v", 0)),
        ("erun", ("a", 0)),
        ("outsider", ("a", 0)),
    ],
)
def test_guardian_detail_of_someone_else_is_404(world, persona, guardian):
    user = world.persona(persona)
    target = getattr(world, guardian[0]).guardians[guardian[1]]
    assert get(world, user, "guardian_detail", target.pk).status_code == 404


def test_guardian_linked_in_two_schools_shows_only_visible_children(world):
    other = Guardian.objects.get(pk=world.b.guardians[0].pk)
    GuardianLink.objects.create(guardian=other, pupil=world.a.pupils[1])
    response = get(world, world.b.director, "guardian_detail", other.pk)
    assert [c.pk for c in response.context["children"]] == [world.b.pupils[0].pk]
    assert "ELEVEA01" not in page_text(response)
