"""Quiet hours and delivery times: pure functions of a person's settings and the clock.

Times are read in the installation's time zone (``settings.TIME_ZONE``, Europe/Paris by
default), so "19:00" means 19:00 on the school's clock, summer and winter alike.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings

MIDNIGHT = dt.time(0, 0)


@dataclass(frozen=True)
class QuietHours:
    """When a person wants no e-mail: a nightly window (may cross midnight) and weekends."""

    enabled: bool = False
    start: dt.time = dt.time(19, 0)
    end: dt.time = dt.time(7, 30)
    weekends: bool = False


OFF = QuietHours()
SCHOOL_STAFF_DEFAULT = QuietHours(enabled=True, weekends=True)


def local_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def in_quiet_hours(quiet: QuietHours, now: dt.datetime) -> bool:
    """Whether ``now`` (an aware datetime) falls in ``quiet``'s window or weekend."""
    if not quiet.enabled:
        return False
    local = now.astimezone(local_zone())
    if quiet.weekends and local.weekday() >= 5:
        return True
    t = local.time().replace(tzinfo=None)
    if quiet.start == quiet.end:
        return False  # an empty nightly window: weekends only
    if quiet.start < quiet.end:
        return quiet.start <= t < quiet.end
    return t >= quiet.start or t < quiet.end  # the window crosses midnight


def end_of_quiet_hours(quiet: QuietHours, now: dt.datetime) -> dt.datetime:
    """The first moment at or after ``now`` outside quiet hours.

    A quiet period ends either at the window's end time or at a midnight (a weekend's
    end), so the answer is the earliest such boundary after ``now`` that is not quiet.
    """
    if not in_quiet_hours(quiet, now):
        return now
    zone = local_zone()
    today = now.astimezone(zone).date()
    boundaries = sorted(
        dt.datetime.combine(today + dt.timedelta(days=offset), moment, tzinfo=zone)
        for offset in range(9)
        for moment in (quiet.end, MIDNIGHT)
    )
    for boundary in boundaries:
        if boundary > now and not in_quiet_hours(quiet, boundary):
            return boundary
    raise AssertionError("quiet hours that never end")  # pragma: no cover


def next_digest_at(digest_hour: int, now: dt.datetime) -> dt.datetime:
    """The next daily digest time (``digest_hour``:00 local) at or after ``now``."""
    zone = local_zone()
    local = now.astimezone(zone)
    moment = dt.datetime.combine(local.date(), dt.time(digest_hour), tzinfo=zone)
    if moment < now:
        moment = dt.datetime.combine(
            local.date() + dt.timedelta(days=1), dt.time(digest_hour), tzinfo=zone
        )
    return moment
