import secrets
import time
import uuid

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.test import Client
from django.urls import reverse

from preau.accounts.models import User
from preau.conftest import PASSWORD
from preau.core.models import AuditEvent
from preau.directory.models import Membership, Role

from .conftest import totp_secret

LOGIN = reverse("account_login")
HOME = reverse("home:index")
TOTP_SETUP = reverse("mfa_activate_totp")
MFA_AUTH = reverse("mfa_authenticate")
REAUTH = reverse("account_reauthenticate")


def totp_now(secret: str, shift: int = 0) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + shift))


def log_in(client: Client, username: str, password: str = PASSWORD):
    return client.post(LOGIN, {"login": username, "password": password})


def someone_in(world, role: str = "director") -> str:
    """A fresh account name: allauth counts failures per name in a cache tests may share."""
    username = f"{role}-{uuid.uuid4().hex[:10]}"
    user = User.objects.create_user(username=username, password=PASSWORD)
    if role == "director":
        Membership.objects.create(
            user=user, role=Role.DIRECTOR, municipality=world.lorient, school=world.a.school
        )
    else:
        world.a.guardians[3].user = user
        world.a.guardians[3].save()
    return username


def is_logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def open_totp_setup(client: Client):
    """allauth asks for the password again before a second factor is added."""
    resp = client.get(TOTP_SETUP)
    assert resp.status_code == 302
    assert resp["Location"].startswith(REAUTH)
    resp = client.post(resp["Location"], {"password": PASSWORD})
    assert resp.status_code == 302
    assert resp["Location"] == TOTP_SETUP
    page = client.get(TOTP_SETUP)
    assert page.status_code == 200
    return page


# Failed logins -------------------------------------------------------------------------


def test_failed_login_is_audited_with_the_accounts_municipality(world, anon):
    name = someone_in(world)
    resp = log_in(anon, name, "wrong password")
    assert resp.status_code == 200
    assert not is_logged_in(anon)
    event = AuditEvent.objects.get(action="login_failed")
    assert event.actor is None
    assert event.actor_label == name
    assert event.municipality_id == world.lorient.pk
    assert event.ip_address == anon.defaults["REMOTE_ADDR"]
    assert "wrong password" not in str(event.data)


def test_failed_login_of_a_guardian_and_of_an_unknown_name(world, anon):
    parent, nobody = someone_in(world, "guardian"), f"nobody-{uuid.uuid4().hex}"
    log_in(anon, parent, "nope")
    log_in(anon, nobody, "nope")
    events = {
        e.actor_label: e.municipality_id for e in AuditEvent.objects.filter(action="login_failed")
    }
    assert events == {parent: world.lorient.pk, nobody: None}


def test_home_municipality_of_each_kind_of_person(world):
    assert world.city_admin.home_municipality_id == world.lorient.pk
    assert world.v.director.home_municipality_id == world.vannes.pk
    assert world.parent.home_municipality_id == world.lorient.pk
    assert world.pupil_user.home_municipality_id == world.lorient.pk
    assert world.outsider.home_municipality_id is None


def test_successful_login_is_audited(world, anon):
    resp = log_in(anon, "teacher_A0")
    assert resp.status_code == 302
    assert is_logged_in(anon)
    event = AuditEvent.objects.get(action="login")
    assert event.actor == world.a.teachers[0]
    assert event.municipality_id == world.lorient.pk


def test_repeated_failures_lock_the_account_name(world, anon):
    name = someone_in(world)
    for _ in range(5):
        assert log_in(anon, name, "guess").status_code == 200
    # Even the right password is now refused, for this name, from any address.
    other = Client(REMOTE_ADDR=f"192.0.2.{secrets.randbelow(250) + 1}")
    resp = log_in(other, name)
    assert resp.status_code == 200
    assert not is_logged_in(other)
    [error] = resp.context["form"].errors.as_data()["__all__"]
    assert error.code == "too_many_login_attempts"
    assert AuditEvent.objects.filter(action="login_failed").count() == 5
    limited = AuditEvent.objects.get(action="login_rate_limited")
    assert limited.actor_label == name
    assert limited.municipality_id == world.lorient.pk
    # Another name from the first address still works.
    assert log_in(anon, "teacher_A0").status_code == 302


def test_login_flood_from_one_address_gets_429(world, anon):
    run = uuid.uuid4().hex[:8]
    statuses = [log_in(anon, f"user{n}-{run}", "guess").status_code for n in range(31)]
    assert statuses[:30] == [200] * 30
    assert statuses[30] == 429
    resp = log_in(anon, "teacher_A0")
    assert resp.status_code == 429
    assert "<main" in resp.text
    assert not is_logged_in(anon)


# Second factor -------------------------------------------------------------------------


def test_city_admin_without_totp_is_sent_to_set_it_up(world, anon):
    Authenticator.objects.filter(user=world.city_admin).delete()
    assert log_in(anon, "city_admin").status_code == 302
    resp = anon.get(HOME)
    assert resp.status_code == 302
    assert resp.url == TOTP_SETUP
    assert anon.get(reverse("directory:index")).url == TOTP_SETUP
    open_totp_setup(anon)


def test_city_admin_activates_totp_then_logs_in_with_a_code(world, anon):
    user = world.city_admin
    Authenticator.objects.filter(user=user).delete()
    log_in(anon, "city_admin")
    page = open_totp_setup(anon)
    secret = page.context["form"].secret
    assert 'src="data:image/svg+xml;base64,' in page.text  # QR code, no external host
    assert (
        anon.post(
            TOTP_SETUP, {"code": "000000" if totp_now(secret) != "000000" else "111111"}
        ).status_code
        == 200
    )
    assert not Authenticator.objects.filter(user=user).exists()
    resp = anon.post(TOTP_SETUP, {"code": totp_now(secret)})
    assert resp.status_code == 302
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    assert anon.get(HOME).status_code == 200

    fresh = Client(REMOTE_ADDR=anon.defaults["REMOTE_ADDR"])
    resp = log_in(fresh, "city_admin")
    assert resp.status_code == 302
    assert resp.url == MFA_AUTH
    assert not is_logged_in(fresh)
    wrong = "123456" if totp_now(secret) != "123456" else "654321"
    resp = fresh.post(MFA_AUTH, {"code": wrong})
    assert resp.status_code == 200
    assert not is_logged_in(fresh)
    resp = fresh.post(MFA_AUTH, {"code": totp_now(secret)})
    assert resp.status_code == 302
    assert is_logged_in(fresh)
    assert fresh.get(HOME).status_code == 200


def test_city_admin_with_totp_is_asked_for_the_code(world, anon):
    resp = log_in(anon, "city_admin")
    assert resp.url == MFA_AUTH
    assert not is_logged_in(anon)
    resp = anon.post(MFA_AUTH, {"code": totp_now(totp_secret(world.city_admin))})
    assert resp.status_code == 302
    assert is_logged_in(anon)


@pytest.mark.parametrize("role", [Role.CITY_TECHNICIAN, Role.PROGRAMME_OFFICER])
def test_every_city_role_must_set_up_totp(world, anon, role):
    user = User.objects.create_user(username="city_person", password=PASSWORD)
    Membership.objects.create(user=user, role=role, municipality=world.lorient)
    log_in(anon, "city_person")
    assert anon.get(HOME).url == TOTP_SETUP


@pytest.mark.parametrize("username", ["parent", "teacher_A0", "director_A"])
def test_families_and_school_staff_are_not_forced(world, anon, username):
    assert log_in(anon, username).status_code == 302
    assert is_logged_in(anon)
    resp = anon.get(HOME)
    assert not (resp.status_code == 302 and resp.url == TOTP_SETUP)
    # …but may opt in.
    open_totp_setup(anon)


def test_login_page_is_in_the_shell_and_points_families_to_activation(world, anon):
    page = anon.get(LOGIN)
    assert page.status_code == 200
    assert 'class="site-header"' in page.text or "skip-link" in page.text
    assert reverse("accounts:activate") in page.text
    assert "sign up" not in page.text.lower()
