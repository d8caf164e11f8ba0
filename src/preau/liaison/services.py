"""Every write of the cahier de liaison: validated, transactional, audited.

Bad input raises ``LiaisonError`` with a message for the person who made it, and nothing
is written (a stored attachment is removed again if the transaction fails).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import HttpRequest
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from preau.core import audit, uploads
from preau.directory.models import Enrolment, GuardianLink, SchoolClass
from preau.directory.scope import scope_of
from preau.liaison import notify
from preau.liaison.access import sendable_classes
from preau.liaison.models import (
    Acknowledgement,
    AnswerChange,
    Audience,
    Note,
    NoteGuardian,
    NoteRecipient,
    Question,
)
from preau.liaison.status import progress
from preau.liaison.text import clean_body

TITLE_MAX = 200
BODY_MAX = 20_000
OPTION_MAX = 100
MAX_OPTIONS = 8
MAX_CLASSES_NAMED = 3  # beyond, the audience reads "12 classes of École X"
MAX_ATTACHMENT_BYTES: int = settings.PREAU_LIAISON_MAX_ATTACHMENT_BYTES


class LiaisonError(ValueError):
    """Input the cahier de liaison cannot take; the message says why."""


@dataclass(frozen=True)
class NoteInput:
    title: str
    body: str
    acknowledgement: str = Acknowledgement.NONE
    question: str = Question.NONE
    options: Sequence[str] = ()
    due_on: dt.date | None = None
    class_ids: Sequence[int] = ()
    pupil_ids: Sequence[int] = ()


@dataclass
class _Recipients:
    school_id: int
    pupils: dict[int, SchoolClass] = field(default_factory=dict)  # pupil id → class
    whole_classes: list[SchoolClass] = field(default_factory=list)


def format_day(day: dt.date) -> str:
    return formats.date_format(day, "DATE_FORMAT")


def format_moment(when: dt.datetime) -> str:
    return formats.date_format(timezone.localtime(when), "DATETIME_FORMAT")


# Sending --------------------------------------------------------------------------------


def _validate_text(data: NoteInput) -> tuple[str, str]:
    title = " ".join(data.title.split())
    if not title:
        raise LiaisonError(_("The title is empty: give the note a title."))
    if len(title) > TITLE_MAX:
        raise LiaisonError(
            _("The title has %(n)d characters; at most %(max)d.")
            % {"n": len(title), "max": TITLE_MAX}
        )
    if len(data.body) > BODY_MAX:
        raise LiaisonError(
            _("The text has %(n)d characters; at most %(max)d.")
            % {"n": len(data.body), "max": BODY_MAX}
        )
    body = clean_body(data.body)
    if not body:
        raise LiaisonError(_("The text is empty: write what the note is about."))
    return title, body


def _validate_options(data: NoteInput) -> list[str]:
    if data.acknowledgement not in Acknowledgement.values:
        raise LiaisonError(_("Unknown signature choice %(v)r.") % {"v": data.acknowledgement})
    if data.question not in Question.values:
        raise LiaisonError(_("Unknown kind of question %(v)r.") % {"v": data.question})
    if data.question != Question.CHOICE:
        return []
    options = [" ".join(o.split()) for o in data.options if o.strip()]
    if not 2 <= len(options) <= MAX_OPTIONS:
        raise LiaisonError(
            _("A choice needs between 2 and %(max)d options, one per line; you gave %(n)d.")
            % {"max": MAX_OPTIONS, "n": len(options)}
        )
    for number, option in enumerate(options, start=1):
        if len(option) > OPTION_MAX:
            raise LiaisonError(
                _("Option %(n)d is longer than %(max)d characters.")
                % {"n": number, "max": OPTION_MAX}
            )
    if len({o.casefold() for o in options}) != len(options):
        raise LiaisonError(_("Two options are the same: each option must differ."))
    return options


def validate_due_on(due_on: dt.date | None) -> None:
    today = timezone.localdate()
    if due_on is not None and due_on < today:
        raise LiaisonError(
            _("The deadline %(date)s is in the past: choose today or a later day.")
            % {"date": format_day(due_on)}
        )
    if due_on is not None and due_on > today + dt.timedelta(days=366):
        raise LiaisonError(_("The deadline is more than a year away."))


def _recipients(sender: Any, class_ids: Sequence[int], pupil_ids: Sequence[int]) -> _Recipients:
    if not class_ids and not pupil_ids:
        raise LiaisonError(_("Choose at least one class or one pupil to send the note to."))
    allowed = {c.pk: c for c in sendable_classes(sender).select_related("school")}
    for class_id in class_ids:
        if class_id not in allowed:
            raise LiaisonError(
                _("You cannot send notes to class #%(id)s (not one of your classes this year).")
                % {"id": class_id}
            )
    enrolments = Enrolment.objects.filter(
        school_class_id__in=list(allowed), ended_on__isnull=True, pupil__left_on__isnull=True
    ).values_list("pupil_id", "school_class_id")
    class_of = dict(enrolments)
    for pupil_id in pupil_ids:
        if pupil_id not in class_of:
            raise LiaisonError(
                _("Pupil #%(id)s is not in one of your classes this year.") % {"id": pupil_id}
            )
    chosen = [allowed[c] for c in dict.fromkeys(class_ids)]
    pupils = {p: allowed[c] for p, c in class_of.items() if c in set(class_ids)}
    pupils.update({p: allowed[class_of[p]] for p in pupil_ids})
    if not pupils:
        raise LiaisonError(_("The chosen classes have no pupils enrolled."))
    schools = {c.school_id for c in pupils.values()}
    if len(schools) > 1:
        raise LiaisonError(_("A note goes to the classes of one school; send one note per school."))
    return _Recipients(schools.pop(), pupils, chosen)


def _audience(found: _Recipients, pupil_ids: Sequence[int]) -> tuple[str, str]:
    """The kind of audience and a label naming classes only, never a child."""
    whole = {w.pk for w in found.whole_classes}
    if not pupil_ids or all(c.pk in whole for c in found.pupils.values()):
        if len(found.whole_classes) > MAX_CLASSES_NAMED:
            school = found.whole_classes[0].school.name
            label = _("%(n)d classes of %(school)s") % {"n": len(whole), "school": school}
            return Audience.CLASSES, label[:300]
        return Audience.CLASSES, ", ".join(c.label for c in found.whole_classes)[:300]
    classes = ", ".join(sorted({c.label for c in found.pupils.values()}))
    if len(found.pupils) == 1:
        return Audience.PUPIL, (_("One pupil of %(classes)s") % {"classes": classes})[:300]
    return Audience.GROUP, (
        _("%(n)d pupils of %(classes)s") % {"n": len(found.pupils), "classes": classes}
    )[:300]


def check_attachment(upload: UploadedFile) -> None:
    size = upload.size or 0
    if size == 0:
        raise LiaisonError(_("The attached file is empty (0 bytes)."))
    if size > MAX_ATTACHMENT_BYTES:
        raise LiaisonError(
            _("The attached file weighs %(size)s MB; at most %(max)s MB.")
            % {
                "size": round(size / 1_048_576, 1),
                "max": round(MAX_ATTACHMENT_BYTES / 1_048_576, 1),
            }
        )
    if not uploads.upload_is_pdf(upload):
        raise LiaisonError(
            _("The attached file %(name)s is not a PDF document (only PDF files can be attached).")
            % {"name": os.path.basename(upload.name or "")}
        )


def _attachment_name(upload: UploadedFile) -> str:
    name = os.path.basename((upload.name or "").replace("\\", "/")).strip() or "document.pdf"
    if not name.lower().endswith(".pdf"):
        name += ".pdf"
    return name[-255:]


def send_note(
    sender: Any,
    data: NoteInput,
    *,
    attachment: UploadedFile | None = None,
    request: HttpRequest | None = None,
) -> Note:
    """Send a note: freeze its recipients and their guardians, notify those with an account."""
    title, body = _validate_text(data)
    options = _validate_options(data)
    validate_due_on(data.due_on)
    found = _recipients(sender, data.class_ids, data.pupil_ids)
    audience, audience_label = _audience(found, data.pupil_ids)
    if attachment is not None:
        check_attachment(attachment)
    school = next(iter(found.pupils.values())).school
    note = Note(
        municipality_id=school.municipality_id,
        school_id=found.school_id,
        sender=sender,
        sender_label=(getattr(sender, "display_name", "") or sender.get_username())[:150],
        title=title,
        body=body,
        audience=audience,
        audience_label=audience_label,
        acknowledgement=data.acknowledgement,
        question=data.question,
        options=options,
        due_on=data.due_on,
    )
    try:
        with transaction.atomic():
            if attachment is not None:
                note.attachment_name = _attachment_name(attachment)
                note.attachment_size = attachment.size or 0
                note.attachment.save(note.attachment_name, attachment, save=False)
            note.save()
            guardians = _freeze_recipients(note, found)
            audit.record(
                "liaison.note_sent",
                actor=sender,
                request=request,
                target=note,
                recipients=len(found.pupils),
                guardians=guardians,
                audience=audience,
            )
            notify.new_note(note, sender)
    except BaseException:
        if note.attachment:
            note.attachment.delete(save=False)
        raise
    return note


def _freeze_recipients(note: Note, found: _Recipients) -> int:
    recipients = NoteRecipient.objects.bulk_create(
        [
            NoteRecipient(note=note, pupil_id=pupil_id, school_class=cls, class_label=cls.label)
            for pupil_id, cls in sorted(found.pupils.items())
        ],
        batch_size=500,
    )
    by_pupil = {r.pupil_id: r for r in recipients}
    links = GuardianLink.objects.filter(pupil_id__in=list(by_pupil)).values_list(
        "pupil_id", "guardian_id"
    )
    rows = NoteGuardian.objects.bulk_create(
        [NoteGuardian(recipient=by_pupil[p], guardian_id=g) for p, g in links], batch_size=1000
    )
    return len(rows)


# Reading, signing, answering --------------------------------------------------------------


def mark_read(user: Any, note: Note) -> int:
    """Note when this guardian first opened the note (their rows for each child).

    Not audited: opening a page decides nothing, and the date is itself the record.
    """
    guardian_id = scope_of(user).guardian_id
    if guardian_id is None:
        return 0
    now = timezone.now()
    with transaction.atomic():
        unread = NoteGuardian.objects.filter(
            guardian_id=guardian_id, recipient__note=note, first_read_at__isnull=True
        )
        recipient_ids = list(unread.values_list("recipient_id", flat=True))
        if not recipient_ids:
            return 0
        count = NoteGuardian.objects.filter(
            pk__in=unread.values("pk"), first_read_at__isnull=True
        ).update(first_read_at=now)
        if not note.collects:  # information only: opened is done
            NoteRecipient.objects.filter(pk__in=recipient_ids, completed_at__isnull=True).update(
                completed_at=now
            )
    return count


@dataclass(frozen=True)
class Outcome:
    signed_at: dt.datetime | None
    newly_signed: bool
    answer: str
    answer_changed: bool
    previous_answer: str = ""

    @property
    def changed(self) -> bool:
        return self.newly_signed or self.answer_changed


def closed_message(note: Note) -> str:
    assert note.due_on is not None
    return _(
        "The deadline of this note was %(date)s: signatures and answers are closed. "
        "Please contact %(sender)s."
    ) % {"date": format_day(note.due_on), "sender": note.sender_label}


def respond(
    user: Any, row: NoteGuardian, *, answer: str | None = None, request: HttpRequest | None = None
) -> Outcome:
    """A guardian signs (if the note asks) and answers (if it asks) for one child.

    Replaying changes nothing and writes nothing. The first signature stands; an answer
    may change until the deadline, every answer being kept in ``AnswerChange``.
    """
    if row.guardian.user_id != user.pk:
        raise LiaisonError(_("You can only sign for your own children."))
    note = row.recipient.note
    if not note.collects:
        raise LiaisonError(_("This note asks for no signature and no answer."))
    if note.is_closed():
        raise LiaisonError(closed_message(note))
    answer = (answer or "").strip() or None
    if answer is not None and not note.has_question:
        raise LiaisonError(_("This note asks no question."))
    if answer is not None and answer not in dict(note.answer_choices()):
        raise LiaisonError(
            _("%(answer)r is not one of the answers: %(choices)s.")
            % {"answer": answer, "choices": ", ".join(label for _c, label in note.answer_choices())}
        )
    with transaction.atomic():
        recipient = NoteRecipient.objects.select_for_update().get(pk=row.recipient_id)
        rows = list(
            NoteGuardian.objects.select_for_update().filter(recipient=recipient).order_by("pk")
        )
        mine = next(r for r in rows if r.pk == row.pk)
        if note.has_question and answer is None and not mine.answer:
            raise LiaisonError(
                _("Choose an answer (%(choices)s) first.")
                % {"choices": ", ".join(label for _c, label in note.answer_choices())}
            )
        outcome = _apply(user, note, mine, answer)
        if outcome.changed:
            _record_response(user, note, recipient, outcome, request)
            _refresh_completion(note, recipient, rows)
    return outcome


def _apply(user: Any, note: Note, mine: NoteGuardian, answer: str | None) -> Outcome:
    now = timezone.now()
    fields: list[str] = []
    newly_signed = False
    if note.requires_signature and mine.signed_at is None:
        mine.signed_at, mine.signed_by = now, user
        fields += ["signed_at", "signed_by"]
        newly_signed = True
    previous = mine.answer
    answer_changed = answer is not None and answer != previous
    if answer_changed:
        assert answer is not None
        mine.answer, mine.answered_at = answer, now
        fields += ["answer", "answered_at"]
        AnswerChange.objects.create(
            row=mine, answer=answer, previous=previous, changed_at=now, changed_by=user
        )
    if fields:
        mine.save(update_fields=fields)
    return Outcome(mine.signed_at, newly_signed, mine.answer, answer_changed, previous)


def _record_response(
    user: Any,
    note: Note,
    recipient: NoteRecipient,
    outcome: Outcome,
    request: HttpRequest | None,
) -> None:
    previous = outcome.previous_answer
    if outcome.newly_signed:
        action = "liaison.note_signed"
    elif previous:
        action = "liaison.answer_changed"
    else:
        action = "liaison.note_answered"
    data: dict[str, Any] = {"pupil": recipient.pupil_id}
    if outcome.answer_changed:
        data |= {"answer": outcome.answer, "previous": previous}
    audit.record(action, actor=user, request=request, target=note, **data)


def _refresh_completion(note: Note, recipient: NoteRecipient, rows: list[NoteGuardian]) -> None:
    complete = progress(note, rows).complete
    if complete and recipient.completed_at is None:
        recipient.completed_at = timezone.now()
        recipient.save(update_fields=["completed_at"])
    elif not complete and recipient.completed_at is not None:
        recipient.completed_at = None
        recipient.save(update_fields=["completed_at"])
