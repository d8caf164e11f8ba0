"""Who gets which e-mail when: each person's settings, with defaults, read in bulk."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterator
from dataclasses import dataclass

from django.conf import settings

from preau.directory.models import Membership, Role
from preau.notifications.models import DeliverySettings, NotificationPreference
from preau.notifications.quiet import (
    OFF,
    SCHOOL_STAFF_DEFAULT,
    QuietHours,
    end_of_quiet_hours,
    next_digest_at,
)
from preau.notifications.registry import IMMEDIATE, NONE, get_kind, kinds

DEFAULT_DIGEST_HOUR = 17
# Staff of a school get quiet hours by default: teachers asked not to be reached at night.
QUIET_BY_DEFAULT_ROLES = (Role.TEACHER, Role.DIRECTOR, Role.ERUN)
_CHUNK = 1000


@dataclass(frozen=True)
class Delivery:
    emails_enabled: bool = True
    digest_hour: int = DEFAULT_DIGEST_HOUR
    quiet: QuietHours = OFF
    language: str = ""

    @property
    def email_language(self) -> str:
        return self.language or settings.LANGUAGE_CODE


def _chunks(ids: Collection[int]) -> Iterator[list[int]]:
    ordered = sorted(ids)
    for i in range(0, len(ordered), _CHUNK):
        yield ordered[i : i + _CHUNK]


def from_row(row: DeliverySettings) -> Delivery:
    return Delivery(
        emails_enabled=row.emails_enabled,
        digest_hour=row.digest_hour,
        quiet=QuietHours(row.quiet_hours, row.quiet_start, row.quiet_end, row.quiet_weekends),
        language=row.language,
    )


def deliveries_for(user_ids: Collection[int]) -> dict[int, Delivery]:
    """Each person's delivery settings: their own, else the defaults for their roles."""
    found: dict[int, Delivery] = {}
    for chunk in _chunks(user_ids):
        for row in DeliverySettings.objects.filter(user_id__in=chunk):
            found[row.user_id] = from_row(row)
    missing = set(user_ids) - set(found)
    staff: set[int] = set()
    for chunk in _chunks(missing):
        staff.update(
            Membership.objects.filter(user_id__in=chunk, role__in=QUIET_BY_DEFAULT_ROLES)
            .values_list("user_id", flat=True)
            .distinct()
        )
    for user_id in missing:
        found[user_id] = Delivery(quiet=SCHOOL_STAFF_DEFAULT if user_id in staff else OFF)
    return found


def delivery_for(user_id: int) -> Delivery:
    return deliveries_for([user_id])[user_id]


def modes_for(user_ids: Collection[int], kind: str) -> dict[int, str]:
    """Each person's e-mail mode for ``kind``: their choice, else the kind's default."""
    default = get_kind(kind).default_email
    modes = dict.fromkeys(user_ids, default)
    for chunk in _chunks(user_ids):
        modes.update(
            NotificationPreference.objects.filter(user_id__in=chunk, kind=kind).values_list(
                "user_id", "email"
            )
        )
    return modes


def modes_of_people(user_ids: Collection[int]) -> dict[int, dict[str, str]]:
    """Each person's e-mail mode for every registered kind (and any kind they chose for)."""
    defaults = {kind.code: kind.default_email for kind in kinds()}
    modes = {user_id: dict(defaults) for user_id in user_ids}
    for chunk in _chunks(user_ids):
        rows = NotificationPreference.objects.filter(user_id__in=chunk)
        for user_id, kind, mode in rows.values_list("user_id", "kind", "email"):
            modes[user_id][kind] = mode
    return modes


def modes_of(user_id: int) -> dict[str, str]:
    return modes_of_people([user_id])[user_id]


def email_due_at(mode: str, delivery: Delivery, now: dt.datetime) -> dt.datetime | None:
    """When an e-mail about a notification created ``now`` should leave, if ever."""
    if mode == NONE or not delivery.emails_enabled:
        return None
    moment = now if mode == IMMEDIATE else next_digest_at(delivery.digest_hour, now)
    return end_of_quiet_hours(delivery.quiet, moment)
