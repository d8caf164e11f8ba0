import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils.translation import override

from preau.accounts.models import User
from preau.core.models import AuditEvent
from preau.directory.models import Membership, Role

STAFF = reverse("directory:staff")


def grant(client, **data):
    return client.post(
        STAFF,
        {
            "create": "",
            "first_name": "",
            "last_name": "",
            "email": "",
            "school": "",
            "school_class": "",
            **data,
        },
    )


def test_city_admin_grants_a_director_role_and_it_is_audited(world):
    client = world.client_for(world.city_admin)
    resp = grant(client, username="outsider", role=Role.DIRECTOR, school=world.b.school.pk)
    assert resp.status_code == 302
    assert Membership.objects.filter(
        user=world.outsider, role=Role.DIRECTOR, school=world.b.school
    ).exists()
    event = AuditEvent.objects.get(action="role.granted")
    assert event.actor == world.city_admin
    assert event.municipality_id == world.lorient.pk
    assert event.data["user"] == "outsider"


def test_city_admin_creates_an_account_and_gets_a_password_link(world):
    client = world.client_for(world.city_admin)
    resp = grant(
        client,
        username="tech1",
        create="on",
        first_name="Tess",
        last_name="Tech",
        email="tess@example.org",
        role=Role.CITY_TECHNICIAN,
    )
    assert resp.status_code == 200
    user = User.objects.get(username="tech1")
    assert not user.has_usable_password()
    assert "/accounts/password/reset/key/" in resp.text
    assert Membership.objects.filter(user=user, role=Role.CITY_TECHNICIAN).exists()


def test_bad_scope_is_refused_and_changes_nothing(world):
    client = world.client_for(world.city_admin)
    before = Membership.objects.count()
    resp = grant(client, username="outsider", role=Role.TEACHER, school=world.a.school.pk)
    assert resp.status_code == 200
    assert "class" in resp.text.lower()
    resp = grant(
        client, username="nobody-here", role=Role.TEACHER, school_class=world.a.classes[0].pk
    )
    assert resp.status_code == 200
    assert Membership.objects.count() == before
    assert not User.objects.filter(username="nobody-here").exists()


def test_director_attaches_teachers_of_own_school_only(world):
    client = world.client_for(world.a.director)
    resp = grant(client, username="outsider", role=Role.TEACHER, school_class=world.a.classes[1].pk)
    assert resp.status_code == 302
    assert Membership.objects.filter(user=world.outsider, school_class=world.a.classes[1]).exists()
    # Another school's class is not even a valid choice; a director role is not offered.
    resp = grant(client, username="outsider", role=Role.TEACHER, school_class=world.b.classes[0].pk)
    assert resp.status_code == 200
    resp = grant(client, username="outsider", role=Role.DIRECTOR, school=world.a.school.pk)
    assert resp.status_code == 200
    assert not Membership.objects.filter(user=world.outsider, role=Role.DIRECTOR).exists()


def test_revoke_is_audited_and_someone_elses_membership_is_404(world):
    teacher_b = Membership.objects.get(user=world.b.teachers[0])
    director_a = world.client_for(world.a.director)
    assert (
        director_a.post(reverse("directory:staff_revoke", args=[teacher_b.pk])).status_code == 404
    )
    vannes = world.client_for(world.vannes_admin)
    assert vannes.post(reverse("directory:staff_revoke", args=[teacher_b.pk])).status_code == 404
    teacher_a = Membership.objects.get(user=world.a.teachers[0])
    assert (
        director_a.post(reverse("directory:staff_revoke", args=[teacher_a.pk])).status_code == 302
    )
    assert not Membership.objects.filter(pk=teacher_a.pk).exists()
    assert AuditEvent.objects.filter(action="role.revoked", actor=world.a.director).exists()


def test_city_admin_cannot_remove_own_admin_role(world):
    own = Membership.objects.get(user=world.city_admin, role=Role.CITY_ADMIN)
    client = world.client_for(world.city_admin)
    client.post(reverse("directory:staff_revoke", args=[own.pk]))
    assert Membership.objects.filter(pk=own.pk).exists()


@pytest.mark.parametrize("who", ["parent", "outsider", "erun", "pupil_user"])
def test_staff_page_is_404_for_those_who_grant_nothing(world, who):
    client = world.client_for(getattr(world, who))
    assert client.get(STAFF).status_code == 404


def test_staff_list_shows_only_own_municipality(world):
    resp = world.client_for(world.city_admin).get(STAFF)
    assert "director_A" in resp.text
    assert "director_V" not in resp.text
    resp = world.client_for(world.a.director).get(STAFF)
    assert "teacher_A0" in resp.text
    assert "teacher_B0" not in resp.text


@override("en")
def test_grant_role_command_bootstraps_a_city_admin(world, capsys):
    call_command(
        "grant_role",
        "newadmin",
        "city_admin",
        "--municipality",
        "56121",
        "--create",
        "--email",
        "new@example.org",
    )
    out = capsys.readouterr().out
    assert "Password link" in out
    assert Membership.objects.filter(user__username="newadmin", role=Role.CITY_ADMIN).exists()
    with pytest.raises(CommandError, match="already holds"):
        call_command("grant_role", "newadmin", "city_admin", "--municipality", "56121")
    with pytest.raises(CommandError, match="No municipality"):
        call_command("grant_role", "newadmin", "city_admin", "--municipality", "99999")
    with pytest.raises(CommandError, match="needs a school"):
        call_command("grant_role", "newadmin", "director", "--municipality", "56121")


def test_add_municipality_command(db):
    call_command("add_municipality", "Quimperlé", "29233")
    with pytest.raises(CommandError, match="already exists"):
        call_command("add_municipality", "Quimperlé", "29233")
    with pytest.raises(CommandError, match="INSEE"):
        call_command("add_municipality", "Nowhere", "12")
