"""Every write of the cahier de textes: validated, transactional, audited.

Views and API endpoints obtain classes and entries through the access kernel and call
one function here. Bad input raises :class:`HomeworkError` with a message meant for the
teacher (which field, why) and writes nothing, files included.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from preau.core import access, audit
from preau.directory.models import SchoolClass
from preau.homework import files, text
from preau.homework.access import homework_classes
from preau.homework.models import Attachment, Entry, Subject
from preau.homework.queries import monday_of
from preau.notifications.services import notify

MAX_ATTACHMENTS = 5
MAX_DUE_DAYS = 60
NOTIFY_KIND = "homework.new"


class HomeworkError(Exception):
    """Bad input to a cahier de textes write; the message is meant for the teacher."""


@dataclass(frozen=True)
class EntryInput:
    date: dt.date
    subject: str
    topic: str = ""
    done_text: str = ""
    todo_text: str = ""
    due_on: dt.date | None = None


@dataclass(frozen=True)
class Upload:
    data: bytes
    name: str


@dataclass
class CopyResult:
    copied: int = 0
    skipped: int = 0
    entries: list[Entry] = field(default_factory=list)


def _check_writable(actor: Any, school_class: SchoolClass) -> None:
    if not homework_classes(actor, access.CHANGE).filter(pk=school_class.pk).exists():
        raise HomeworkError(
            _("You do not write the cahier de textes of « %(class)s ».")
            % {"class": school_class.label}
        )


def _validated(school_class: SchoolClass, data: EntryInput) -> EntryInput:
    if data.subject not in Subject.values:
        raise HomeworkError(_("Subject: « %(value)s » is not a subject.") % {"value": data.subject})
    topic = " ".join(data.topic.split())
    if len(topic) > 100:
        raise HomeworkError(_("Topic: at most 100 characters."))
    done, todo = text.clean(data.done_text), text.clean(data.todo_text)
    for label, value in ((_("Done in class"), done), (_("To do"), todo)):
        if len(value) > text.MAX_TEXT:
            raise HomeworkError(
                _("%(field)s: at most %(max)d characters.") % {"field": label, "max": text.MAX_TEXT}
            )
    if not done and not todo:
        raise HomeworkError(_("Write what was done in class, what is to do, or both."))
    year = school_class.year
    if not year.starts_on - dt.timedelta(days=7) <= data.date <= year.ends_on:
        raise HomeworkError(
            _("Day: %(day)s is outside the school year %(year)s.")
            % {"day": data.date.isoformat(), "year": year.label}
        )
    due_on = data.due_on if todo else None
    if todo and due_on is None:
        raise HomeworkError(_("Due on: say when the work is due."))
    if due_on is not None and not data.date <= due_on <= data.date + dt.timedelta(MAX_DUE_DAYS):
        raise HomeworkError(
            _("Due on: between the day itself and %(days)d days later.") % {"days": MAX_DUE_DAYS}
        )
    return EntryInput(data.date, data.subject, topic, done, todo, due_on)


def _check_uploads(uploads: Sequence[Upload], already: int) -> list[files.CheckedFile]:
    if already + len(uploads) > MAX_ATTACHMENTS:
        raise HomeworkError(_("Attachments: at most %(max)d per entry.") % {"max": MAX_ATTACHMENTS})
    try:
        return [files.check(upload.data, upload.name) for upload in uploads]
    except files.FileRefused as exc:
        raise HomeworkError(_("Attachment refused: %(reason)s") % {"reason": exc}) from None


def _attach(
    actor: Any, entry: Entry, municipality_id: int, checked: list[files.CheckedFile]
) -> list[str]:
    """Store the files and their rows; returns the stored names (to delete on failure)."""
    stored: list[str] = []
    for item in checked:
        name = files.store(municipality_id, item)
        stored.append(name)
        Attachment.objects.create(
            entry=entry,
            file=name,
            original_name=item.original_name,
            content_type=item.content_type,
            size=len(item.data),
            sha256=item.sha256,
            uploaded_by=actor,
        )
    return stored


def class_guardian_users(school_class: SchoolClass) -> Any:
    """The accounts of the guardians of the pupils enrolled in the class now."""
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            guardian__links__pupil__enrolments__school_class=school_class,
            guardian__links__pupil__enrolments__ended_on__isnull=True,
        )
        .distinct()
    )


def _notify_new_homework(actor: Any, school_class: SchoolClass, entries: list[Entry]) -> None:
    todo = [e for e in entries if e.todo_text]
    if not todo:
        return
    first = min(todo, key=lambda e: e.due_on or e.date)
    due = first.due_on or first.date
    if len(todo) == 1:
        title = _("Homework for %(class)s, due %(date)s") % {
            "class": school_class.label,
            "date": due.strftime("%d/%m"),
        }
        body = f"{first.subject_display}: {text.plain(first.todo_text)[:300]}"
    else:
        title = _("%(count)d new homework entries for %(class)s") % {
            "count": len(todo),
            "class": school_class.label,
        }
        body = ""
    url = f"{reverse('homework:index')}?week={due.isoformat()}&view=due"
    notify(
        recipients=class_guardian_users(school_class),
        kind=NOTIFY_KIND,
        title=title,
        body=body,
        url=url,
        actor=actor,
        municipality_id=school_class.school.municipality_id,
    )


def create_entry(
    actor: Any,
    school_class: SchoolClass,
    data: EntryInput,
    uploads: Sequence[Upload] = (),
    request: HttpRequest | None = None,
) -> Entry:
    _check_writable(actor, school_class)
    clean = _validated(school_class, data)
    checked = _check_uploads(uploads, 0)
    municipality_id = school_class.school.municipality_id
    stored: list[str] = []
    try:
        with transaction.atomic():
            entry = Entry.objects.create(school_class=school_class, author=actor, **asdict(clean))
            stored = _attach(actor, entry, municipality_id, checked)
            audit.record(
                "homework.entry_created",
                actor=actor,
                request=request,
                target=entry,
                municipality_id=municipality_id,
                class_id=school_class.pk,
                day=clean.date.isoformat(),
                attachments=len(stored),
            )
            _notify_new_homework(actor, school_class, [entry])
    except BaseException:
        files.delete_now(stored)
        raise
    return entry


def update_entry(
    actor: Any,
    entry: Entry,
    data: EntryInput,
    uploads: Sequence[Upload] = (),
    remove: Sequence[int] = (),
    request: HttpRequest | None = None,
) -> Entry:
    school_class = entry.school_class
    _check_writable(actor, school_class)
    clean = _validated(school_class, data)
    kept = entry.attachments.exclude(pk__in=list(remove))
    removed = list(entry.attachments.filter(pk__in=list(remove)))
    checked = _check_uploads(uploads, kept.count())
    had_todo = bool(entry.todo_text)
    municipality_id = school_class.school.municipality_id
    stored: list[str] = []
    try:
        with transaction.atomic():
            for name, value in asdict(clean).items():
                setattr(entry, name, value)
            entry.save()
            for attachment in removed:
                attachment.delete()
            files.delete_after_commit(a.file.name for a in removed)
            stored = _attach(actor, entry, municipality_id, checked)
            audit.record(
                "homework.entry_updated",
                actor=actor,
                request=request,
                target=entry,
                municipality_id=municipality_id,
                added=len(stored),
                removed=[a.original_name for a in removed],
            )
            if not had_todo and entry.todo_text:
                _notify_new_homework(actor, school_class, [entry])
    except BaseException:
        files.delete_now(stored)
        raise
    return entry


def delete_entry(actor: Any, entry: Entry, request: HttpRequest | None = None) -> None:
    school_class = entry.school_class
    _check_writable(actor, school_class)
    names = [a.file.name for a in entry.attachments.all()]
    with transaction.atomic():
        audit.record(
            "homework.entry_deleted",
            actor=actor,
            request=request,
            target=entry,
            municipality_id=school_class.school.municipality_id,
            day=entry.date.isoformat(),
            subject=entry.subject,
            done_text=entry.done_text,
            todo_text=entry.todo_text,
            attachments=[a.original_name for a in entry.attachments.all()],
        )
        entry.delete()
        files.delete_after_commit(names)


def _identity(entry: Entry) -> tuple[Any, ...]:
    return (entry.date, entry.subject, entry.topic, entry.done_text, entry.todo_text, entry.due_on)


def copy_week(
    actor: Any,
    source: SchoolClass,
    week: dt.date,
    target: SchoolClass,
    request: HttpRequest | None = None,
) -> CopyResult:
    """Copy the entries of ``source``'s week (the one holding ``week``) to ``target``.

    Both classes must be the actor's to write. An entry that already exists identically
    in the target (same day, subject, topic, texts and due date) is skipped, so copying
    twice adds nothing. Attachments are copied as new files.
    """
    if source.pk == target.pk:
        raise HomeworkError(_("Choose another class than the one you copy from."))
    _check_writable(actor, source)
    _check_writable(actor, target)
    monday = monday_of(week)
    days = (monday, monday + dt.timedelta(days=6))
    entries = list(
        Entry.objects.filter(school_class=source, date__range=days).prefetch_related("attachments")
    )
    existing = {_identity(e) for e in Entry.objects.filter(school_class=target, date__range=days)}
    municipality_id = target.school.municipality_id
    result = CopyResult()
    stored: list[str] = []
    try:
        with transaction.atomic():
            for entry in entries:
                if _identity(entry) in existing:
                    result.skipped += 1
                    continue
                copy = _copy_entry(actor, entry, target, municipality_id, stored)
                existing.add(_identity(copy))
                result.entries.append(copy)
                result.copied += 1
            audit.record(
                "homework.week_copied",
                actor=actor,
                request=request,
                target=target,
                municipality_id=municipality_id,
                source_class_id=source.pk,
                week=monday.isoformat(),
                copied=result.copied,
                skipped=result.skipped,
            )
            _notify_new_homework(actor, target, result.entries)
    except BaseException:
        files.delete_now(stored)
        raise
    return result


def _copy_entry(
    actor: Any, entry: Entry, target: SchoolClass, municipality_id: int, stored: list[str]
) -> Entry:
    copy = Entry.objects.create(
        school_class=target,
        author=actor,
        date=entry.date,
        subject=entry.subject,
        topic=entry.topic,
        done_text=entry.done_text,
        todo_text=entry.todo_text,
        due_on=entry.due_on,
    )
    for attachment in entry.attachments.all():
        data = files.read(attachment.file.name)
        checked = files.CheckedFile(
            data, attachment.content_type, attachment.file.name.rsplit(".", 1)[-1],
            attachment.original_name,
        )  # fmt: skip
        stored.extend(_attach(actor, copy, municipality_id, [checked]))
    return copy
