"""The API tokens page and services: create (shown once), list, revoke; audited."""

import hashlib
import re

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client
from django.urls import reverse

from preau.accounts import token_services
from preau.accounts.models import ApiToken
from preau.core.models import AuditEvent

URL = reverse("accounts:api_tokens")


def _created_token(response) -> str:
    match = re.search(r'id="new-token" type="text" value="([^"]+)"', response.content.decode())
    assert match, "the new token is shown"
    return match.group(1)


def test_anonymous_is_sent_to_login(world):
    response = Client().get(URL)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert Client().post(URL, {"name": "x"}).status_code == 302
    assert not ApiToken.objects.exists()


def test_create_shows_the_token_once_and_stores_only_a_digest(world):
    client = world.client_for(world.a.teachers[0])
    response = client.post(URL, {"name": "  my script "})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    clear = _created_token(response)
    token = ApiToken.objects.get()
    assert token.user == world.a.teachers[0]
    assert token.name == "my script"
    assert token.prefix == clear[:8]
    assert token.digest == hashlib.sha256(clear.encode()).hexdigest()
    assert clear not in str(ApiToken.objects.values().get())
    event = AuditEvent.objects.get(action="api_token.created")
    assert event.actor == world.a.teachers[0]
    assert clear not in str(event.data)
    # Shown once: the list afterwards shows its prefix only.
    page = client.get(URL).content.decode()
    assert clear not in page
    assert f"{clear[:8]}…" in page
    # And it works on the API.
    api = Client(headers={"Authorization": f"Bearer {clear}"})
    assert api.get("/api/v1/me").json()["username"] == world.a.teachers[0].username


def test_a_name_is_required(world):
    response = world.client_for(world.parent).post(URL, {"name": "   "})
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()
    assert not ApiToken.objects.exists()


def test_too_many_tokens_is_refused(world):
    for i in range(token_services.MAX_ACTIVE_TOKENS):
        token_services.create_token(world.parent, f"t{i}")
    response = world.client_for(world.parent).post(URL, {"name": "one more"})
    assert 'aria-invalid="true"' in response.content.decode()
    assert ApiToken.objects.count() == token_services.MAX_ACTIVE_TOKENS


def test_list_shows_only_my_tokens(world):
    token_services.create_token(world.parent, "mine")
    token_services.create_token(world.a.director, "someone-elses")
    page = world.client_for(world.parent).get(URL).content.decode()
    assert "mine" in page
    assert "someone-elses" not in page


def test_revoke(world):
    token, clear = token_services.create_token(world.parent, "phone")
    client = world.client_for(world.parent)
    response = client.post(URL, {"revoke": token.pk})
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEvent.objects.filter(action="api_token.revoked", actor=world.parent).count() == 1
    api = Client(headers={"Authorization": f"Bearer {clear}"})
    assert api.get("/api/v1/me").status_code == 401
    # Revoking twice changes nothing and records nothing more.
    client.post(URL, {"revoke": token.pk})
    assert AuditEvent.objects.filter(action="api_token.revoked").count() == 1


def test_someone_elses_token_is_404(world):
    token, _clear = token_services.create_token(world.a.director, "director's")
    response = world.client_for(world.b.director).post(URL, {"revoke": token.pk})
    assert response.status_code == 404
    response = world.client_for(world.parent).post(URL, {"revoke": 999999})
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    assert not AuditEvent.objects.filter(action="api_token.revoked").exists()


@pytest.mark.parametrize("method", ["put", "delete"])
def test_other_methods_are_refused(world, method):
    assert getattr(world.client_for(world.parent), method)(URL).status_code == 405


def test_city_admin_needs_a_second_factor_first(world):
    Authenticator.objects.filter(user=world.city_admin).delete()
    client = world.client_for(world.city_admin)
    assert client.get(URL).status_code == 302
    Authenticator.objects.create(
        user=world.city_admin, type=Authenticator.Type.TOTP, data={"secret": "x"}
    )
    assert client.get(URL).status_code == 200


def test_my_account_page_links_password_second_factor_and_tokens(world):
    client = world.client_for(world.parent)
    resp = client.get("/account/", HTTP_ACCEPT_LANGUAGE="en")
    assert resp.status_code == 200
    assert "/account/tokens/" in resp.text
    assert "/accounts/2fa/" in resp.text
    assert 'href="/account/"' in resp.text  # the header's link to this page
    assert world.client_for(world.outsider).get("/account/").status_code == 200
