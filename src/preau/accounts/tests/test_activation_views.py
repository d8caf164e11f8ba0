import datetime as dt

import pytest
from django.urls import reverse

from preau.accounts import services
from preau.accounts.models import ActivationCode, User
from preau.accounts.views.activation import SESSION_KEY
from preau.core.models import AuditEvent

from .conftest import CODE_RE, pdf_text, random_code

ACTIVATE = reverse("accounts:activate")
CHOOSE = reverse("accounts:activate_choose")
PASSWORD = "Un-mot-de-passe-solide-42"


def letters_url(world, n=0, school="a"):
    return reverse("accounts:letters_pdf", args=[getattr(world, school).classes[n].pk])


def class_url(world, n=0, school="a"):
    return reverse("accounts:class_activation", args=[getattr(world, school).classes[n].pk])


def issue(world, guardian):
    [(_, code)] = services.issue_codes(guardians=[guardian], actor=world.a.director)
    return code


# The family's side -------------------------------------------------------------------


def test_activation_from_code_to_home_page(world, anon):
    guardian = world.a.guardians[0]
    code = issue(world, guardian)
    page = anon.get(ACTIVATE, {"code": code})
    assert page.status_code == 200
    assert code in page.text
    resp = anon.post(ACTIVATE, {"code": code.lower()})
    assert resp.status_code == 302
    assert resp.url == CHOOSE
    page = anon.get(CHOOSE)
    assert 'value="alex.parenta00"' in page.text
    resp = anon.post(
        CHOOSE, {"username": "alex.parenta00", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert resp.status_code == 302
    assert resp.url == reverse("home:index")
    user = User.objects.get(username="alex.parenta00")
    guardian.refresh_from_db()
    assert guardian.user == user
    assert int(anon.session["_auth_user_id"]) == user.pk
    assert SESSION_KEY not in anon.session
    assert AuditEvent.objects.filter(action="login", actor=user).exists()


def test_wrong_code_gives_a_clear_message(world, anon):
    resp = anon.post(ACTIVATE, {"code": random_code()})
    assert resp.status_code == 200
    assert "not valid" in resp.text
    assert SESSION_KEY not in anon.session


def test_choose_without_a_checked_code_goes_back(world, anon):
    assert anon.get(CHOOSE).url == ACTIVATE
    assert anon.post(CHOOSE, {"username": "x"}).url == ACTIVATE


def test_passwords_are_validated_and_nothing_is_created(world, anon):
    guardian = world.a.guardians[0]
    anon.post(ACTIVATE, {"code": issue(world, guardian)})
    for data in (
        {"username": "alex", "password1": PASSWORD, "password2": PASSWORD + "x"},
        {"username": "alex", "password1": "12345678901", "password2": "12345678901"},
        {"username": "director_A", "password1": PASSWORD, "password2": PASSWORD},
        {"username": "bad name!", "password1": PASSWORD, "password2": PASSWORD},
    ):
        resp = anon.post(CHOOSE, data)
        assert resp.status_code == 200
        assert 'aria-invalid="true"' in resp.text
    guardian.refresh_from_db()
    assert guardian.user is None


def test_code_reissued_between_the_two_steps_is_refused(world, anon):
    guardian = world.a.guardians[0]
    anon.post(ACTIVATE, {"code": issue(world, guardian)})
    issue(world, guardian)
    resp = anon.post(
        CHOOSE, {"username": "alex", "password1": PASSWORD, "password2": PASSWORD}, follow=True
    )
    assert resp.redirect_chain[-1][0] == ACTIVATE
    assert "replaced" in resp.text
    assert not User.objects.filter(username="alex").exists()


def test_brute_force_gets_429(world, anon):
    code = issue(world, world.a.guardians[0])
    for _ in range(services.IP_LIMIT.limit):
        assert anon.post(ACTIVATE, {"code": random_code()}).status_code == 200
    resp = anon.post(ACTIVATE, {"code": code})
    assert resp.status_code == 429
    assert "Wait a quarter of an hour" in resp.text
    assert "<main" in resp.text
    assert AuditEvent.objects.filter(action="activation.rate_limited").count() == 1
    assert SESSION_KEY not in anon.session


# The director's side -----------------------------------------------------------------


def test_letters_pdf_one_page_per_guardian_and_codes_redeem(world, ip, anon):
    director = world.client_for(world.a.director)
    resp = director.post(letters_url(world), {"who": "missing"}, REMOTE_ADDR=ip)
    assert resp.status_code == 200
    assert resp["Content-Type"] == "application/pdf"
    assert resp["Content-Disposition"].startswith("attachment;")
    assert resp["Cache-Control"] == "no-store"
    pages = pdf_text(resp.content)
    # Class A0 has 3 guardians; Camille Martin already has an account.
    assert len(pages) == 2
    found = [CODE_RE.findall(text) for text in pages]
    assert all(len(codes) == 1 for codes in found)
    assert "PARENTA00" in pages[0]
    assert "Prénom0" in pages[0]
    assert "CP A" in pages[0]
    assert "/account/activate/" in pages[0]
    assert "Madame, Monsieur" in pages[0]
    event = AuditEvent.objects.get(action="activation.letters")
    assert event.data["count"] == 2
    assert event.actor == world.a.director
    for n, [code] in enumerate(found):
        user = services.redeem_code(
            code=code, username=f"family{n}", password=PASSWORD, request=None
        )
        assert user.guardian in world.a.guardians[:2]


def test_letters_missing_skips_guardians_with_a_valid_code(world):
    director = world.client_for(world.a.director)
    issue(world, world.a.guardians[0])
    pages = pdf_text(director.post(letters_url(world), {"who": "missing"}).content)
    assert len(pages) == 1
    assert "PARENTA01" in pages[0]
    pages = pdf_text(director.post(letters_url(world), {"who": "without_account"}).content)
    assert len(pages) == 2
    resp = director.post(
        letters_url(world), {"who": "missing"}, follow=True, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "No guardian of this class needs a letter" in resp.text


def test_letters_for_all_remind_activated_guardians_of_their_username(world):
    director = world.client_for(world.a.director)
    pages = pdf_text(director.post(letters_url(world), {"who": "all"}).content)
    assert len(pages) == 3
    camille = next(text for text in pages if "MARTIN" in text)
    assert not CODE_RE.search(camille)
    assert "parent" in camille
    assert not ActivationCode.objects.filter(guardian=world.parent_guardian).exists()
    assert AuditEvent.objects.get(action="activation.reminders").data["count"] == 1
    assert AuditEvent.objects.get(action="activation.letters").data["count"] == 2


def test_letters_need_post_and_a_valid_choice(world):
    director = world.client_for(world.a.director)
    assert director.get(letters_url(world)).status_code == 405
    assert director.post(letters_url(world), {"who": "everyone"}).status_code == 302
    assert not ActivationCode.objects.exists()


def test_class_activation_shows_each_guardians_status(world):
    from django.utils import timezone

    services.issue_codes(guardians=[world.a.guardians[0]], actor=world.a.director)
    services.issue_codes(guardians=[world.a.guardians[1]], actor=world.a.director)
    ActivationCode.objects.filter(guardian=world.a.guardians[1]).update(expires_at=timezone.now())
    page = world.client_for(world.a.director).get(class_url(world))
    assert page.status_code == 200
    rows = {row.guardian: row.status for row in page.context["rows"]}
    assert rows == {
        world.a.guardians[0]: "sent",
        world.a.guardians[1]: "expired",
        world.parent_guardian: "activated",
    }
    assert page.context["counts"] == {"activated": 1, "sent": 1, "expired": 1, "none": 0}
    assert reverse("accounts:letters_pdf", args=[world.a.classes[0].pk]) in page.text
    assert reverse("accounts:reissue_code", args=[world.a.guardians[0].pk]) in page.text
    # Guardians of other classes are not listed.
    assert "PARENTA10" not in page.text


def test_class_activation_query_count_does_not_grow(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from preau.directory.models import Enrolment, Guardian, GuardianLink, Pupil

    client = world.client_for(world.city_admin)

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(class_url(world)).status_code == 200
        return len(ctx.captured_queries)

    queries()  # the first request of a session also records the second-factor check
    before = queries()
    school_class = world.a.classes[0]
    for n in range(6):
        pupil = Pupil.objects.create(
            municipality=world.lorient,
            school=world.a.school,
            last_name=f"EXTRA{n}",
            first_name="Zoé",
            birth_date=dt.date(2018, 1, 1 + n),
        )
        Enrolment.objects.create(
            pupil=pupil, school_class=school_class, started_on=world.year.starts_on
        )
        guardian = Guardian.objects.create(
            municipality=world.lorient, last_name=f"EXTRA{n}", first_name="Sam"
        )
        GuardianLink.objects.create(guardian=guardian, pupil=pupil)
        services.issue_codes(guardians=[guardian], actor=world.city_admin)
    assert queries() == before <= 12


def test_reissue_gives_a_one_page_pdf_and_replaces_the_code(world, anon):
    guardian = world.a.guardians[1]
    old = issue(world, guardian)
    resp = world.client_for(world.a.director).post(
        reverse("accounts:reissue_code", args=[guardian.pk])
    )
    assert resp.status_code == 200
    assert resp["Content-Type"] == "application/pdf"
    [text] = pdf_text(resp.content)
    [new] = CODE_RE.findall(text)
    assert new != old
    with pytest.raises(services.ActivationError):
        services.check_code(code=old, request=None)
    assert services.check_code(code=new, request=None).guardian == guardian


def test_reissue_for_a_guardian_with_an_account_makes_no_code(world):
    resp = world.client_for(world.a.director).post(
        reverse("accounts:reissue_code", args=[world.parent_guardian.pk]),
        {"next_class": world.a.classes[0].pk},
    )
    assert resp.status_code == 302
    assert resp.url == class_url(world)
    assert not ActivationCode.objects.exists()


def test_city_admin_manages_letters_of_own_municipality(world):
    client = world.client_for(world.city_admin)
    assert client.get(class_url(world, school="b")).status_code == 200
    assert client.post(letters_url(world, school="b"), {"who": "all"}).status_code == 200


# Someone else's object -----------------------------------------------------------------


@pytest.mark.parametrize(
    "who", ["director_b", "teacher", "parent", "vannes_admin", "erun", "outsider", "pupil_user"]
)
def test_others_get_404_on_class_a_and_its_guardians(world, who):
    user = {
        "director_b": world.b.director,
        "teacher": world.a.teachers[0],
        "parent": world.parent,
        "vannes_admin": world.vannes_admin,
        "erun": world.erun,
        "outsider": world.outsider,
        "pupil_user": world.pupil_user,
    }[who]
    client = world.client_for(user)
    assert client.get(class_url(world)).status_code == 404
    assert client.post(letters_url(world), {"who": "all"}).status_code == 404
    reissue = reverse("accounts:reissue_code", args=[world.a.guardians[0].pk])
    assert client.post(reissue).status_code == 404
    assert not ActivationCode.objects.exists()
    assert not AuditEvent.objects.filter(action="activation.letters").exists()


def test_director_of_a_cannot_reach_vannes_or_b(world):
    client = world.client_for(world.a.director)
    assert client.get(class_url(world, school="v")).status_code == 404
    assert client.get(class_url(world, school="b")).status_code == 404
    reissue = reverse("accounts:reissue_code", args=[world.b.guardians[0].pk])
    assert client.post(reissue).status_code == 404
    assert client.get(reverse("accounts:class_activation", args=[10**9])).status_code == 404


def test_anonymous_is_sent_to_login(world, anon):
    for url in (class_url(world), letters_url(world)):
        resp = anon.post(url) if url.endswith(".pdf") else anon.get(url)
        assert resp.status_code == 302
        assert reverse("account_login") in resp.url
