""".ics imports into a class's agenda: upload and preview, then apply, all or nothing.

The preview keeps the file in an ``IcsImport`` row; applying it reads the same bytes,
plans again against the class's events (matching them by the file's UIDs) and writes
the plan in one transaction. Re-importing the same file changes nothing; an event
whose UID is already there is updated if it changed in the file. Events that are no
longer in the file stay (an import never deletes).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from preau.agenda import ics_import
from preau.agenda.access import agenda_classes
from preau.agenda.models import Event, IcsImport
from preau.agenda.services import AgendaError
from preau.core import audit
from preau.directory.models import SchoolClass

PREVIEW_LIFETIME = dt.timedelta(days=1)
COMPARED = ("title", "place", "description", "all_day", "starts_on", "ends_on", "starts_at",
            "ends_at")  # fmt: skip


@dataclass
class Plan:
    new: list[ics_import.ParsedEvent] = field(default_factory=list)
    changed: list[tuple[Event, ics_import.ParsedEvent]] = field(default_factory=list)
    unchanged: list[ics_import.ParsedEvent] = field(default_factory=list)
    cancelled: int = 0

    @property
    def counts(self) -> dict[str, int]:
        return {
            "new": len(self.new),
            "changed": len(self.changed),
            "unchanged": len(self.unchanged),
            "cancelled": self.cancelled,
        }


def _differs(event: Event, parsed: ics_import.ParsedEvent) -> bool:
    return any(getattr(event, name) != getattr(parsed, name) for name in COMPARED)


def plan(school_class: SchoolClass, parsed: ics_import.ParsedFile) -> Plan:
    uids = [p.source_uid for p in parsed.events]
    existing = {
        e.source_uid: e
        for e in Event.objects.filter(school_class=school_class, source_uid__in=uids)
    }
    result = Plan(cancelled=parsed.cancelled)
    for item in parsed.events:
        found = existing.get(item.source_uid)
        if found is None:
            result.new.append(item)
        elif _differs(found, item):
            result.changed.append((found, item))
        else:
            result.unchanged.append(item)
    return result


def _check_class(actor: Any, school_class: SchoolClass) -> None:
    if not agenda_classes(actor).filter(pk=school_class.pk).exists():
        raise AgendaError(
            _("You cannot import events into « %(class)s ».") % {"class": school_class}
        )


def upload(
    actor: Any,
    school_class: SchoolClass,
    data: bytes,
    name: str,
    request: HttpRequest | None = None,
) -> IcsImport:
    """Check and keep an .ics file for its preview; ``AgendaError`` says what is wrong."""
    _check_class(actor, school_class)
    shown = (name.replace("\\", "/").rsplit("/", 1)[-1] or "calendar.ics")[:150]
    try:
        parsed = ics_import.parse(data, shown)
    except ics_import.IcsError as exc:
        raise AgendaError(str(exc)) from None
    counts = plan(school_class, parsed).counts
    with transaction.atomic():
        IcsImport.objects.filter(
            status=IcsImport.Status.PREVIEWED, created_at__lt=timezone.now() - PREVIEW_LIFETIME
        ).delete()
        row = IcsImport.objects.create(
            school_class=school_class,
            uploaded_by=actor,
            file_name=shown,
            content=data,
            sha256=hashlib.sha256(data).hexdigest(),
            summary=counts,
        )
        audit.record(
            "agenda.ics_uploaded",
            actor=actor,
            request=request,
            target=row,
            municipality_id=school_class.school.municipality_id,
            class_id=school_class.pk,
            counts=counts,
        )
    return row


def preview(row: IcsImport) -> Plan:
    """What applying ``row`` would do now."""
    parsed = ics_import.parse(bytes(row.content), row.file_name)
    return plan(row.school_class, parsed)


def apply(actor: Any, row: IcsImport, request: HttpRequest | None = None) -> Plan:
    school_class = row.school_class
    _check_class(actor, school_class)
    school = school_class.school
    with transaction.atomic():
        locked = IcsImport.objects.select_for_update().get(pk=row.pk)
        if locked.status != IcsImport.Status.PREVIEWED:
            raise AgendaError(_("This file was already imported."))
        if locked.created_at < timezone.now() - PREVIEW_LIFETIME:
            raise AgendaError(_("This preview has expired: upload the file again."))
        try:
            result = preview(locked)
        except ics_import.IcsError as exc:
            raise AgendaError(str(exc)) from None
        Event.objects.bulk_create(
            Event(
                audience=Event.Audience.CLASS,
                municipality_id=school.municipality_id,
                school=school,
                school_class=school_class,
                category=Event.Category.OTHER,
                created_by=actor,
                **asdict(item),
            )
            for item in result.new
        )
        for event, item in result.changed:
            for name in COMPARED:
                setattr(event, name, getattr(item, name))
            event.save(update_fields=[*COMPARED, "updated_at"])
        locked.status = IcsImport.Status.APPLIED
        locked.applied_at = timezone.now()
        locked.content = b""
        locked.summary = result.counts
        locked.save(update_fields=["status", "applied_at", "content", "summary"])
        audit.record(
            "agenda.ics_imported",
            actor=actor,
            request=request,
            target=school_class,
            municipality_id=school.municipality_id,
            file=locked.file_name,
            counts=result.counts,
        )
    return result
