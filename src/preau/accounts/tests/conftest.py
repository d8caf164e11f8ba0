from __future__ import annotations

import itertools
import re
import secrets

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.test import Client

from preau.accounts import codes

# Tests may share a cache (Redis) across processes and runs: every test gets its own
# client address and random codes, so no counter from elsewhere leaks into it.
_BASE = secrets.randbelow(60000)
_COUNTER = itertools.count(1)
CODE_RE = re.compile(r"\b[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}\b")


@pytest.fixture
def ip() -> str:
    k = (_BASE + next(_COUNTER)) % 65024
    return f"198.18.{k // 254}.{k % 254 + 1}"


@pytest.fixture
def anon(ip: str) -> Client:
    return Client(REMOTE_ADDR=ip, HTTP_ACCEPT_LANGUAGE="en")


def random_code() -> str:
    return codes.display(codes.generate())


def pdf_text(data: bytes) -> list[str]:
    import io

    from pypdf import PdfReader

    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def with_totp(user: object) -> str:
    """Give ``user`` an authenticator app, as every city role must have; return its secret."""
    secret = generate_totp_secret()
    Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).delete()
    TOTP.activate(user, secret)
    return secret


def totp_secret(user: object) -> str:
    from allauth.mfa.utils import decrypt

    found = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    return str(decrypt(found.data["secret"]))
