import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.utils import timezone, translation

from preau.accounts import codes, services, tasks
from preau.accounts.models import ActivationCode, User
from preau.core.models import AuditEvent

from .conftest import random_code


@pytest.fixture
def request_from(ip):
    req = RequestFactory().post("/account/activate/", REMOTE_ADDR=ip)
    from django.contrib.auth.models import AnonymousUser

    req.user = AnonymousUser()
    return req


def issue_one(world, guardian=None):
    guardian = guardian or world.a.guardians[0]
    [(_, code)] = services.issue_codes(guardians=[guardian], actor=world.a.director)
    return guardian, code


def redeem(code, req, username="alex.parent"):
    return services.redeem_code(
        code=code, username=username, password="Un-mot-de-passe-solide-42", request=req
    )


def test_code_shape_alphabet_and_normalisation():
    code = codes.generate()
    assert len(code) == 12
    assert set(code) <= set(codes.ALPHABET)
    assert not set("01OIL") & set(codes.ALPHABET)
    shown = codes.display(code)
    assert len(shown) == 14
    assert shown.count("-") == 2
    messy = " " + shown.lower().replace("-", " - ") + "\n"
    assert codes.normalize(messy) == code
    assert codes.digest(messy) == codes.digest(code)


def test_only_a_keyed_digest_is_stored(world, settings):
    guardian, code = issue_one(world)
    row = ActivationCode.objects.get(guardian=guardian)
    plain = codes.normalize(code)
    assert row.code_digest == codes.digest(code)
    assert plain not in row.code_digest
    settings.SECRET_KEY = "another-secret-key-" * 4
    assert codes.digest(code) != row.code_digest
    assert row.expires_at.date() == (timezone.now() + dt.timedelta(days=60)).date()
    assert row.created_by == world.a.director


def test_issue_is_audited_with_count_and_class(world):
    school_class = world.a.classes[0]
    services.issue_codes(
        guardians=world.a.guardians[:2], actor=world.a.director, school_class=school_class
    )
    event = AuditEvent.objects.get(action="activation.letters")
    assert event.data["count"] == 2
    assert event.data["school_class"] == school_class.label
    assert event.municipality_id == world.lorient.pk
    assert event.actor == world.a.director


def test_redeem_creates_the_account_and_links_the_guardian(world, request_from):
    guardian, code = issue_one(world)
    user = redeem(code.lower().replace("-", " "), request_from)
    guardian.refresh_from_db()
    assert guardian.user == user
    assert user.check_password("Un-mot-de-passe-solide-42")
    assert (user.first_name, user.last_name) == (guardian.first_name, guardian.last_name)
    assert ActivationCode.objects.get(guardian=guardian).used_at is not None
    event = AuditEvent.objects.get(action="activation.redeemed")
    assert event.actor == user
    assert event.municipality_id == world.lorient.pk


def test_wrong_code_is_refused_and_audited_without_the_code(world, request_from):
    issue_one(world)
    wrong = random_code()
    with pytest.raises(services.ActivationError) as caught:
        redeem(wrong, request_from)
    assert caught.value.reason == "wrong"
    event = AuditEvent.objects.get(action="activation.failed")
    assert event.data == {"reason": "wrong"}
    assert event.municipality_id is None
    assert codes.normalize(wrong) not in str(event.__dict__)
    assert not User.objects.filter(username="alex.parent").exists()


def test_garbage_is_a_wrong_code(world, request_from):
    for garbage in ["", "x" * 40, "K7QM-3XPA", "<script>"]:
        with pytest.raises(services.ActivationError) as caught:
            services.check_code(code=garbage, request=request_from)
        assert caught.value.reason == "wrong"


def test_expired_code_is_refused(world, request_from):
    guardian, code = issue_one(world)
    ActivationCode.objects.filter(guardian=guardian).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    with pytest.raises(services.ActivationError) as caught:
        redeem(code, request_from)
    assert caught.value.reason == "expired"
    with translation.override("en"):
        assert "expired" in str(caught.value.message)
    assert AuditEvent.objects.get(action="activation.failed").municipality_id == world.lorient.pk


def test_reused_code_is_refused(world, request_from):
    _guardian, code = issue_one(world)
    redeem(code, request_from)
    with pytest.raises(services.ActivationError) as caught:
        redeem(code, request_from, username="someone.else")
    # The guardian now has an account: the message sends them to the login page.
    assert caught.value.reason == "has_account"
    with translation.override("en"):
        assert "log in" in str(caught.value.message).lower()
    assert not User.objects.filter(username="someone.else").exists()


def test_used_code_whose_account_was_deleted_stays_used(world, request_from):
    _guardian, code = issue_one(world)
    redeem(code, request_from).delete()
    with pytest.raises(services.ActivationError) as caught:
        redeem(code, request_from)
    assert caught.value.reason == "used"


def test_reissued_code_replaces_the_old_one(world, request_from):
    guardian, old = issue_one(world)
    _, new = issue_one(world, guardian)
    assert old != new
    with pytest.raises(services.ActivationError) as caught:
        redeem(old, request_from)
    assert caught.value.reason == "revoked"
    assert redeem(new, request_from).guardian == guardian


def test_revoked_code_is_refused(world, request_from):
    _guardian, code = issue_one(world)
    ActivationCode.objects.update(revoked_at=timezone.now())
    with pytest.raises(services.ActivationError) as caught:
        services.check_code(code=code, request=request_from)
    assert caught.value.reason == "revoked"


def test_guardian_with_an_account_is_told_to_log_in(world, request_from):
    _, code = issue_one(world, world.parent_guardian)
    with pytest.raises(services.ActivationError) as caught:
        redeem(code, request_from)
    assert caught.value.reason == "has_account"


def test_taken_username_and_weak_password_change_nothing(world, request_from):
    guardian, code = issue_one(world)
    with pytest.raises(ValidationError):
        redeem(code, request_from, username="DIRECTOR_A")
    with pytest.raises(ValidationError):
        services.redeem_code(code=code, username="new.person", password="123", request=request_from)
    guardian.refresh_from_db()
    assert guardian.user is None
    assert ActivationCode.objects.get(guardian=guardian).used_at is None
    assert redeem(code, request_from).username == "alex.parent"


def test_suggested_usernames_are_unique(world):
    guardian = world.a.guardians[0]
    assert services.suggest_username(guardian) == "alex.parenta00"
    User.objects.create_user(username="Alex.ParentA00")
    assert services.suggest_username(guardian) == "alex.parenta002"


def test_failed_attempts_are_limited_per_ip(world, request_from):
    _guardian, code = issue_one(world)
    for _ in range(services.IP_LIMIT.limit):
        with pytest.raises(services.ActivationError) as caught:
            services.check_code(code=random_code(), request=request_from)
        assert caught.value.reason == "wrong"
    # Past the limit even the right code is refused, before it is looked at.
    with pytest.raises(services.ActivationRateLimited):
        services.check_code(code=code, request=request_from)
    assert AuditEvent.objects.filter(action="activation.failed").count() == 10
    assert AuditEvent.objects.get(action="activation.rate_limited").data == {"limit": "ip"}


def test_failed_attempts_are_limited_per_code_prefix(world):
    _guardian, code = issue_one(world)
    prefix = codes.normalize(code)[:4]
    from django.contrib.auth.models import AnonymousUser

    for n in range(services.PREFIX_LIMIT.limit):
        req = RequestFactory().post("/", REMOTE_ADDR=f"192.0.2.{n + 1}")
        req.user = AnonymousUser()
        with pytest.raises(services.ActivationError):
            services.check_code(code=prefix + codes.generate()[4:], request=req)
    req = RequestFactory().post("/", REMOTE_ADDR="192.0.2.200")
    req.user = AnonymousUser()
    with pytest.raises(services.ActivationRateLimited):
        services.check_code(code=code, request=req)
    assert AuditEvent.objects.get(action="activation.rate_limited").data == {"limit": "prefix"}
    services.PREFIX_LIMIT.reset(prefix)


def test_successful_attempts_do_not_count(world, request_from):
    for guardian in world.a.guardians[:3] + world.b.guardians:
        _, code = issue_one(world, guardian)
        services.check_code(code=code, request=request_from)
    assert services.IP_LIMIT.count(request_from.META["REMOTE_ADDR"]) == 0


def test_purge_expired_unused_codes_after_30_days(world):
    now = timezone.now()
    g = world.a.guardians
    services.issue_codes(guardians=g[:3], actor=None)
    ActivationCode.objects.filter(guardian=g[0]).update(expires_at=now - dt.timedelta(days=31))
    ActivationCode.objects.filter(guardian=g[1]).update(expires_at=now - dt.timedelta(days=29))
    ActivationCode.objects.filter(guardian=g[2]).update(
        expires_at=now - dt.timedelta(days=90), used_at=now - dt.timedelta(days=100)
    )
    assert services.purge_expired_codes(now) == 1
    assert set(ActivationCode.objects.values_list("guardian", flat=True)) == {g[1].pk, g[2].pk}
    assert tasks.purge_expired_activation_codes.call_local() == 0


def test_purge_audit_events_past_retention(world, settings):
    settings.PREAU_AUDIT_RETENTION_DAYS = 365
    old = AuditEvent.objects.create(action="login")
    recent = AuditEvent.objects.create(action="login")
    AuditEvent.objects.filter(pk=old.pk).update(at=timezone.now() - dt.timedelta(days=366))
    AuditEvent.objects.filter(pk=recent.pk).update(at=timezone.now() - dt.timedelta(days=364))
    assert services.purge_old_audit_events() == 1
    assert list(AuditEvent.objects.values_list("pk", flat=True)) == [recent.pk]
    assert tasks.purge_old_audit_events.call_local() == 0
