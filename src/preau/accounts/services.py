"""Writes of the accounts app: activation codes, families' accounts, retention purges.

Each function is transactional and leaves an audit record; views stay thin around them.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from preau.accounts import codes
from preau.accounts.models import ActivationCode, User
from preau.core import audit
from preau.core.models import AuditEvent
from preau.core.ratelimit import RateLimit
from preau.directory.models import Guardian, SchoolClass

log = logging.getLogger(__name__)

# Failed attempts only count: a parents' evening behind one school IP must not be blocked.
IP_LIMIT = RateLimit("activation-ip", limit=10, window=15 * 60)
# A person who read part of someone's letter may not sweep the rest of the code.
PREFIX_LIMIT = RateLimit("activation-prefix", limit=20, window=60 * 60)

WRONG = _("This code is not valid. Check that you typed it as printed on your letter.")
EXPIRED = _("This code has expired. Ask the school's director for a new letter.")
USED = _("This code has already been used. If you created your account with it, log in.")
REVOKED = _(
    "This code has been replaced by a newer one. Use the code from your most recent letter."
)
HAS_ACCOUNT = _("You already have an account. Log in with your username and password.")
LIMITED = _("Too many wrong codes were tried. Wait a quarter of an hour and try again.")


class ActivationError(Exception):
    """A code that cannot be used; ``message`` is meant for the person who typed it."""

    def __init__(self, reason: str, message: str | Promise) -> None:
        super().__init__(str(message))
        self.reason = reason
        self.message = message


class ActivationRateLimited(ActivationError):
    pass


# Issuing -------------------------------------------------------------------------------


def issue_codes(
    *,
    guardians: Iterable[Guardian],
    actor: Any,
    request: HttpRequest | None = None,
    school_class: SchoolClass | None = None,
) -> list[tuple[Guardian, str]]:
    """New codes for ``guardians``, replacing the ones they had not used yet.

    Returns each guardian with their clear code, formatted for print; the clear code is
    not kept anywhere else.
    """
    guardians = list(guardians)
    if not guardians:
        return []
    now = timezone.now()
    expires_at = now + dt.timedelta(days=settings.PREAU_ACTIVATION_CODE_DAYS)
    issued: list[tuple[Guardian, str]] = []
    rows: list[ActivationCode] = []
    for guardian in guardians:
        code = codes.generate()
        issued.append((guardian, codes.display(code)))
        rows.append(
            ActivationCode(
                guardian=guardian,
                code_digest=codes.digest(code),
                created_at=now,
                expires_at=expires_at,
                created_by=actor,
            )
        )
    with transaction.atomic():
        ActivationCode.objects.filter(
            guardian__in=guardians, used_at__isnull=True, revoked_at__isnull=True
        ).update(revoked_at=now)
        ActivationCode.objects.bulk_create(rows)
        audit.record(
            "activation.letters",
            actor=actor,
            request=request,
            target=school_class if school_class is not None else guardians[0],
            municipality_id=guardians[0].municipality_id,
            count=len(issued),
            school_class=school_class.label if school_class is not None else "",
            school_class_id=school_class.pk if school_class is not None else None,
        )
    return issued


def record_reminders(
    *,
    guardians: list[Guardian],
    actor: Any,
    request: HttpRequest | None = None,
    school_class: SchoolClass | None = None,
) -> None:
    """Audit the printing of reminders (username, no code) for guardians with an account."""
    if guardians:
        audit.record(
            "activation.reminders",
            actor=actor,
            request=request,
            target=school_class if school_class is not None else guardians[0],
            municipality_id=guardians[0].municipality_id,
            count=len(guardians),
            school_class=school_class.label if school_class is not None else "",
        )


# Redeeming -----------------------------------------------------------------------------


def check_code(*, code: str, request: HttpRequest | None) -> ActivationCode:
    """The usable code matching what was typed, or ``ActivationError`` (audited).

    Wrong guesses are counted per client IP and per code prefix; past the limits every
    attempt is refused with ``ActivationRateLimited`` before the code is even looked at.
    """
    _refuse_if_limited(code, request)
    found = _lookup(Q(code_digest=codes.digest(code))) if codes.looks_valid(code) else None
    problem = _problem_with(found)
    if problem is not None:
        _count_failure(code, request)
        _record_failure(problem, found, request)
        raise ActivationError(*problem)
    assert found is not None
    return found


def usable_code(code_id: int) -> ActivationCode:
    """The code a person already proved they hold (kept in their session), if still usable."""
    found = _lookup(Q(pk=code_id))
    problem = _problem_with(found)
    if problem is not None:
        raise ActivationError(*problem)
    assert found is not None
    return found


def redeem_code(*, code: str, username: str, password: str, request: HttpRequest | None) -> User:
    """Create the guardian's account from a typed code (checked and rate limited)."""
    found = check_code(code=code, request=request)
    return redeem_code_id(code_id=found.pk, username=username, password=password, request=request)


def redeem_code_id(
    *, code_id: int, username: str, password: str, request: HttpRequest | None
) -> User:
    """Create the account for the code ``code_id``, once: the row is locked while it is used.

    Raises ``ActivationError`` if the code cannot be used any more and ``ValidationError``
    if the username is taken or the password too weak.
    """
    username = username.strip()
    problem: tuple[str, Promise] | None = None
    with transaction.atomic():
        found = (
            ActivationCode.objects.select_for_update()
            .select_related("guardian")
            .filter(pk=code_id)
            .first()
        )
        problem = _problem_with(found)
        if problem is None:
            assert found is not None
            return _create_account(found, username, password, request)
    _record_failure(problem, found, request)
    raise ActivationError(*problem)


def _create_account(
    found: ActivationCode, username: str, password: str, request: HttpRequest | None
) -> User:
    guardian = found.guardian
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("This username is already taken.")})
    user = User(
        username=username,
        first_name=guardian.first_name,
        last_name=guardian.usage_name or guardian.last_name,
        email=guardian.email,
    )
    validate_password(password, user)
    user.set_password(password)
    user.full_clean(exclude=["password"], validate_unique=False)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:  # the same name chosen at the same moment by someone else
        raise ValidationError({"username": _("This username is already taken.")}) from None
    guardian.user = user
    guardian.save(update_fields=["user", "updated_at"])
    found.used_at = timezone.now()
    found.save(update_fields=["used_at"])
    audit.record(
        "activation.redeemed",
        actor=user,
        request=request,
        target=guardian,
        municipality_id=guardian.municipality_id,
    )
    return user


def _lookup(condition: Q) -> ActivationCode | None:
    return ActivationCode.objects.select_related("guardian").filter(condition).first()


def _problem_with(found: ActivationCode | None) -> tuple[str, Promise] | None:
    if found is None:
        return ("wrong", WRONG)
    if found.guardian.user_id is not None:
        return ("has_account", HAS_ACCOUNT)
    if found.used_at is not None:
        return ("used", USED)
    if found.revoked_at is not None:
        return ("revoked", REVOKED)
    if found.expires_at <= timezone.now():
        return ("expired", EXPIRED)
    return None


def _refuse_if_limited(code: str, request: HttpRequest | None) -> None:
    ip = audit.client_ip(request) or "unknown"
    prefix = codes.prefix(code)
    limited = "ip" if IP_LIMIT.is_exceeded(ip) else None
    if limited is None and prefix and PREFIX_LIMIT.is_exceeded(prefix):
        limited = "prefix"
    if limited is not None:
        audit.record("activation.rate_limited", request=request, limit=limited)
        raise ActivationRateLimited("rate_limited", LIMITED)


def _count_failure(code: str, request: HttpRequest | None) -> None:
    IP_LIMIT.hit(audit.client_ip(request) or "unknown")
    prefix = codes.prefix(code)
    if prefix:
        PREFIX_LIMIT.hit(prefix)


def _record_failure(
    problem: tuple[str, Promise], found: ActivationCode | None, request: HttpRequest | None
) -> None:
    # Never the code itself: the log must not hand out what it protects.
    guardian = found.guardian if found is not None else None
    audit.record(
        "activation.failed",
        request=request,
        target=guardian,
        municipality_id=guardian.municipality_id if guardian is not None else None,
        reason=problem[0],
    )


def suggest_username(guardian: Guardian) -> str:
    """``camille.martin``, or ``camille.martin2``… if taken."""
    parts = [slugify(guardian.first_name), slugify(guardian.usage_name or guardian.last_name)]
    base = ".".join(part for part in parts if part)[:140] or "famille"
    candidate, number = base, 1
    while User.objects.filter(username__iexact=candidate).exists():
        number += 1
        candidate = f"{base}{number}"
    return candidate


# Retention -----------------------------------------------------------------------------

CODE_GRACE_DAYS = 30


def purge_expired_codes(now: dt.datetime | None = None) -> int:
    """Delete codes never used that expired more than 30 days ago."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=CODE_GRACE_DAYS)
    deleted, _by_model = ActivationCode.objects.filter(
        used_at__isnull=True, expires_at__lt=cutoff
    ).delete()
    if deleted:
        log.info("Purged %d expired activation codes.", deleted)
    return deleted


def purge_old_audit_events(now: dt.datetime | None = None) -> int:
    """Delete audit records older than ``PREAU_AUDIT_RETENTION_DAYS``."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=settings.PREAU_AUDIT_RETENTION_DAYS)
    deleted, _by_model = AuditEvent.objects.filter(at__lt=cutoff).delete()
    if deleted:
        log.info("Purged %d audit events older than %s.", deleted, cutoff.date())
    return deleted
