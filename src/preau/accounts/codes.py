"""Activation codes as people see them: generated, printed, typed back, hashed.

A code is 12 characters from an alphabet without look-alikes (no 0/O, 1/I/L), printed
in groups of four (``K7QM-3XPA-9TRW``): 31¹² ≈ 8·10¹⁷ possibilities. Only an HMAC of
the code keyed by ``SECRET_KEY`` is stored; rotating the key therefore voids the codes
already printed, which the director can reissue.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.conf import settings

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
LENGTH = 12
GROUP = 4
PREFIX_LENGTH = 4


def generate() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalize(typed: str) -> str:
    """What the person typed, without case, spaces or dashes."""
    return "".join(ch for ch in typed.upper() if not ch.isspace() and ch not in "-–—_.")


def display(code: str) -> str:
    plain = normalize(code)
    return "-".join(plain[i : i + GROUP] for i in range(0, len(plain), GROUP))


def digest(code: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, normalize(code).encode(), hashlib.sha256).hexdigest()


def looks_valid(code: str) -> bool:
    plain = normalize(code)
    return len(plain) == LENGTH and all(ch in ALPHABET for ch in plain)


def prefix(code: str) -> str:
    return normalize(code)[:PREFIX_LENGTH]
