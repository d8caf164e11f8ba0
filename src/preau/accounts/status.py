"""Where each guardian of a class stands with their account: what the director sees."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from preau.accounts.models import ActivationCode
from preau.core import access
from preau.directory.models import Enrolment, Guardian, GuardianLink, SchoolClass

ACTIVATED = "activated"
SENT = "sent"
EXPIRED = "expired"
NO_CODE = "none"


@dataclass(frozen=True)
class GuardianRow:
    guardian: Guardian
    children: tuple[str, ...]  # first names of their children in the class
    status: str
    code: ActivationCode | None  # the latest code still in force, if any

    @property
    def sent_on(self) -> dt.datetime | None:
        return self.code.created_at if self.code is not None else None

    @property
    def expires_at(self) -> dt.datetime | None:
        return self.code.expires_at if self.code is not None else None


def _pupils_in(school_class: SchoolClass) -> QuerySet[Any]:
    return Enrolment.objects.filter(school_class=school_class, ended_on__isnull=True).values(
        "pupil_id"
    )


def class_guardians(user: Any, school_class: SchoolClass) -> QuerySet[Guardian]:
    """The guardians of the class's pupils that ``user`` may manage."""
    return (
        access.restrict(user, Guardian, access.CHANGE)
        .filter(links__pupil__in=_pupils_in(school_class))
        .distinct()
        .select_related("user")
    )


def activation_rows(user: Any, school_class: SchoolClass) -> list[GuardianRow]:
    live_codes = ActivationCode.objects.filter(revoked_at__isnull=True, used_at__isnull=True)
    guardians = list(
        class_guardians(user, school_class).prefetch_related(
            Prefetch(
                "activation_codes",
                queryset=live_codes.order_by("-created_at"),
                to_attr="live_codes",
            )
        )
    )
    children: dict[int, list[str]] = {}
    for guardian_id, first_name in (
        GuardianLink.objects.filter(guardian__in=guardians, pupil__in=_pupils_in(school_class))
        .order_by("pupil__first_name")
        .values_list("guardian_id", "pupil__first_name")
    ):
        children.setdefault(guardian_id, []).append(first_name)
    now = timezone.now()
    rows = []
    for guardian in guardians:
        code = guardian.live_codes[0] if guardian.live_codes else None
        if guardian.user_id is not None:
            status = ACTIVATED
        elif code is None:
            status = NO_CODE
        else:
            status = SENT if code.expires_at > now else EXPIRED
        rows.append(GuardianRow(guardian, tuple(children.get(guardian.pk, [])), status, code))
    return rows


def needing_letters(rows: list[GuardianRow], who: str) -> list[Guardian]:
    """``missing``: no account and no valid code; ``without_account``; ``all``."""
    if who == "all":
        return [row.guardian for row in rows]
    if who == "without_account":
        return [row.guardian for row in rows if row.status != ACTIVATED]
    return [row.guardian for row in rows if row.status in (NO_CODE, EXPIRED)]
