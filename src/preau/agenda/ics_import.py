"""Read an .ics file into plain events, with the icalendar library. No writes.

All or nothing: any event Préau cannot take as it is (no date, a date that is not one,
a repeating event, an end before its start…) stops the whole file with a message naming
the event and the reason. Cancelled events (``STATUS:CANCELLED``) are left out.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from icalendar import Calendar

from preau.agenda.dates import local_date, local_zone

MAX_ICS_BYTES = 1024 * 1024
MAX_EVENTS = 500
MAX_DAYS = 366
TITLE_MAX, PLACE_MAX, DESCRIPTION_MAX = 200, 200, 5000
_NOT_ICS = (
    (b"%PDF", gettext_lazy("a PDF document")),
    (b"PK\x03\x04", gettext_lazy("a ZIP archive or an office document")),
    (b"\x89PNG", gettext_lazy("a PNG image")),
    (b"\xff\xd8\xff", gettext_lazy("a JPEG image")),
    (b"<", gettext_lazy("an HTML or XML page")),
)


class IcsError(ValueError):
    """The file cannot be imported; the message says which event and why."""


@dataclass(frozen=True)
class ParsedEvent:
    source_uid: str
    title: str
    place: str
    description: str
    all_day: bool
    starts_on: dt.date
    ends_on: dt.date
    starts_at: dt.datetime | None = None
    ends_at: dt.datetime | None = None


@dataclass(frozen=True)
class ParsedFile:
    events: list[ParsedEvent]
    cancelled: int


def _shorten(value: Any, limit: int) -> str:
    text = "".join(ch for ch in str(value or "") if ch.isprintable() or ch in "\n\t").strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _sniff(data: bytes, name: str) -> str:
    if not data.strip():
        raise IcsError(_("« %(name)s » is empty.") % {"name": name})
    if len(data) > MAX_ICS_BYTES:
        raise IcsError(
            _("« %(name)s » weighs %(size)d KB; the limit is %(max)d KB.")
            % {"name": name, "size": len(data) // 1024, "max": MAX_ICS_BYTES // 1024}
        )
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    for magic, kind in _NOT_ICS:
        if head.startswith(magic):
            raise IcsError(
                _("« %(name)s » is %(kind)s, not an iCalendar (.ics) file.")
                % {"name": name, "kind": kind}
            )
    if not head[:15].upper().startswith(b"BEGIN:VCALENDAR"):
        raise IcsError(
            _(
                "« %(name)s » is not an iCalendar (.ics) file: "
                "it does not start with BEGIN:VCALENDAR."
            )
            % {"name": name}
        )
    try:
        return head.decode("utf-8")
    except UnicodeDecodeError:
        raise IcsError(_("« %(name)s » is not UTF-8 text.") % {"name": name}) from None


def parse(data: bytes, name: str) -> ParsedFile:
    text = _sniff(data, name)
    try:
        calendar = Calendar.from_ical(text)
    except (ValueError, KeyError, IndexError) as exc:
        reason = str(exc)[:200]
        raise IcsError(
            _("« %(name)s » is a broken iCalendar file: %(reason)s")
            % {"name": name, "reason": reason}
        ) from None
    if isinstance(calendar, list):  # several VCALENDARs in one file
        raise IcsError(
            _("« %(name)s » holds several calendars; import them one by one.") % {"name": name}
        )
    components = calendar.walk("VEVENT")
    if not components:
        raise IcsError(_("« %(name)s » holds no event (VEVENT).") % {"name": name})
    if len(components) > MAX_EVENTS:
        raise IcsError(
            _("« %(name)s » holds %(count)d events; at most %(max)d per import.")
            % {"name": name, "count": len(components), "max": MAX_EVENTS}
        )
    events: list[ParsedEvent] = []
    seen: set[str] = set()
    cancelled = 0
    for number, component in enumerate(components, 1):
        if str(component.get("STATUS", "")).upper() == "CANCELLED":
            cancelled += 1
            continue
        event = _event(component, number)
        if event.source_uid in seen:
            raise IcsError(
                _("Event n°%(n)d « %(title)s »: its UID appears twice in the file.")
                % {"n": number, "title": event.title}
            )
        seen.add(event.source_uid)
        events.append(event)
    return ParsedFile(events, cancelled)


def _event(component: Any, number: int) -> ParsedEvent:
    title = _shorten(component.get("SUMMARY"), TITLE_MAX)

    def refuse(reason: str) -> IcsError:
        label = title or _("(no title)")
        return IcsError(
            _("Event n°%(n)d « %(title)s »: %(reason)s")
            % {"n": number, "title": label, "reason": reason}
        )

    for prop, problem in getattr(component, "errors", []):
        raise refuse(
            _("its %(prop)s is broken (%(problem)s).")
            % {"prop": prop, "problem": str(problem)[:100]}
        )
    if not title:
        raise refuse(_("it has no title (SUMMARY)."))
    if any(key in component for key in ("RRULE", "RDATE", "RECURRENCE-ID")):
        raise refuse(_("it repeats (RRULE); Préau imports single events only."))
    if "DTSTART" not in component:
        raise refuse(_("it has no start (DTSTART)."))
    start = component.decoded("DTSTART")
    end = component.decoded("DTEND") if "DTEND" in component else None
    duration = component.decoded("DURATION") if "DURATION" in component else None
    if end is None and isinstance(duration, dt.timedelta):
        end = start + duration
    uid = _shorten(component.get("UID"), 255) or _synthetic_uid(component)
    texts: dict[str, Any] = {
        "source_uid": uid,
        "title": title,
        "place": _shorten(component.get("LOCATION"), PLACE_MAX),
        "description": _shorten(component.get("DESCRIPTION"), DESCRIPTION_MAX),
    }
    if isinstance(start, dt.datetime):
        return _timed(start, end, texts, refuse)
    if isinstance(start, dt.date):
        return _all_day(start, end, texts, refuse)
    raise refuse(_("its start (DTSTART) is not a date."))


def _synthetic_uid(component: Any) -> str:
    """A stable UID for an event that has none, so that re-importing the file matches it."""
    seed = f"{component.get('DTSTART').to_ical()!r}|{component.get('SUMMARY')}"
    return hashlib.sha256(seed.encode()).hexdigest()[:32] + "@import"


def _in_range(day: dt.date) -> bool:
    return dt.date(2000, 1, 1) <= day <= dt.date(2100, 12, 31)


def _all_day(start: dt.date, end: Any, texts: dict[str, Any], refuse: Any) -> ParsedEvent:
    if end is not None and (isinstance(end, dt.datetime) or not isinstance(end, dt.date)):
        raise refuse(_("it starts on a date but ends at a time."))
    last = start if end is None or end <= start else end - dt.timedelta(days=1)
    _check_span(start, last, refuse)
    return ParsedEvent(all_day=True, starts_on=start, ends_on=last, **texts)


def _timed(start: dt.datetime, end: Any, texts: dict[str, Any], refuse: Any) -> ParsedEvent:
    if end is not None and not isinstance(end, dt.datetime):
        raise refuse(_("it starts at a time but ends on a date."))
    zone = local_zone()
    start = start if start.tzinfo else start.replace(tzinfo=zone)  # floating time: local
    end = start if end is None else (end if end.tzinfo else end.replace(tzinfo=zone))
    if end < start:
        raise refuse(_("it ends before it starts."))
    starts_on, ends_on = local_date(start), local_date(end)
    _check_span(starts_on, ends_on, refuse)
    return ParsedEvent(
        all_day=False, starts_on=starts_on, ends_on=ends_on, starts_at=start, ends_at=end, **texts
    )


def _check_span(first: dt.date, last: dt.date, refuse: Any) -> None:
    if not (_in_range(first) and _in_range(last)):
        raise refuse(_("its dates are outside the years 2000 to 2100."))
    if (last - first).days > MAX_DAYS:
        raise refuse(_("it lasts more than a year."))
