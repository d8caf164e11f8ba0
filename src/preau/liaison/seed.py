"""The demo's cahier de liaison: a plausible school year of fictional notes.

Each class gets its teacher's notes (outings, swimming, class photo…) and each school
its director's (start-of-year meeting, carnival…), dated through the current school year
up to the day the demo is loaded. Guardians with an account have read, signed and
answered most of the past notes; the last two of the year are still open (due a few
days after loading), so a demo guardian always has something to sign. Bulk inserts,
one seeded random generator: the same database gives the same notes, in seconds.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from preau.directory.models import (
    Enrolment,
    GuardianLink,
    Membership,
    Municipality,
    Role,
    SchoolClass,
    SchoolYear,
)
from preau.liaison.models import (
    NO,
    YES,
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

SEED = 4_2025
BATCH = 1000
EVERY, ONE, NONE = Acknowledgement.ALL, Acknowledgement.ONE, Acknowledgement.NONE
OPEN = -1  # a note of the moment: sent the day before loading, due a few days after


@dataclass(frozen=True)
class Template:
    week: int  # weeks after the start of the year, or OPEN
    title: str
    body: str
    ack: str = Acknowledgement.NONE
    question: str = Question.NONE
    options: tuple[str, ...] = ()
    due_days: int | None = None
    director: bool = False  # one note for the whole school, from its director


NOTES = (
    Template(
        0,
        "Réunion de rentrée",
        "La réunion de rentrée aura lieu le mardi à 17 h 30 dans la classe. Nous y "
        "présenterons le programme et le fonctionnement de l'année.",
        director=True,
    ),
    Template(
        1,
        "Fiche de renseignements et assurance",
        "Merci de vérifier la fiche de renseignements jointe au cahier et de fournir une "
        "attestation d'assurance scolaire.",
        EVERY,
        due_days=10,
    ),
    Template(
        5,
        "Photo de classe",
        "Le photographe passera jeudi. Les photos vous seront proposées sans obligation d'achat.",
        ONE,
        Question.CHOICE,
        ("Je commande la photo", "Je ne commande pas"),
        due_days=7,
    ),
    Template(
        9,
        "Sortie au musée de la Compagnie des Indes",
        "La classe se rendra à Port-Louis en car. Départ 9 h, retour 16 h. Prévoir un pique-nique.",
        ONE,
        Question.YES_NO,
        due_days=6,
    ),
    Template(
        15,
        "Bonnes fêtes de fin d'année",
        "Toute l'équipe vous souhaite de bonnes fêtes. Reprise des cours le lundi 5 janvier.",
        director=True,
    ),
    Template(
        19,
        "Rencontres parents-enseignants",
        "Je vous propose de nous rencontrer pour faire le point sur le premier semestre. "
        "Choisissez un créneau.",
        NONE,
        Question.CHOICE,
        ("Lundi 17 h", "Mardi 17 h", "Jeudi 17 h 30"),
        due_days=7,
    ),
    Template(
        23,
        "Cycle piscine",
        "Le cycle piscine commence au Moustoir. Les deux responsables doivent autoriser la "
        "participation.",
        EVERY,
        Question.YES_NO,
        due_days=7,
    ),
    Template(
        26,
        "Carnaval de l'école",
        "Le carnaval aura lieu vendredi après-midi : les enfants peuvent venir déguisés.",
        director=True,
    ),
    Template(
        32,
        "Spectacle de fin d'année",
        "Le spectacle aura lieu à la salle municipale. Serez-vous présents ?",
        ONE,
        Question.CHOICE,
        ("Je serai présent(e)", "Je ne pourrai pas venir"),
        due_days=10,
    ),
    Template(
        OPEN,
        "Sortie à l'île de Groix",
        "La classe partira en bateau pour la journée. Les deux responsables signent "
        "l'autorisation.",
        EVERY,
        Question.YES_NO,
        due_days=4,
    ),
    Template(
        OPEN,
        "Exposition des travaux d'élèves",
        "Venez découvrir les travaux de la classe vendredi à partir de 16 h 30.",
        ONE,
        due_days=5,
    ),
)


def _sent_at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(16, 30)))


def _schedule(
    template: Template, year: SchoolYear, today: dt.date
) -> tuple[dt.date, dt.date | None] | None:
    """When a template's note was sent and is due; None if that is still in the future."""
    if template.week == OPEN:  # sent yesterday (or at the end of the year), due soon
        sent = min(today - dt.timedelta(days=1), year.ends_on)
        sent = max(sent, year.starts_on)
        return sent, today + dt.timedelta(days=template.due_days or 5)
    sent = year.starts_on + dt.timedelta(weeks=template.week, days=1)
    if sent >= min(today, year.ends_on):
        return None
    due = sent + dt.timedelta(days=template.due_days) if template.due_days else None
    return sent, due


class _Pen:
    """Collects the rows of every note, to insert them in bulk."""

    def __init__(self, rng: random.Random, today: dt.date) -> None:
        self.rng = rng
        self.today = today
        self.notes: list[Note] = []
        self.recipients: list[list[tuple[int, SchoolClass]]] = []
        self.changes: list[AnswerChange] = []

    def add(self, note: Note, pupils: list[tuple[int, SchoolClass]]) -> None:
        self.notes.append(note)
        self.recipients.append(pupils)


def _senders(classes: list[SchoolClass]) -> tuple[dict[int, Any], dict[int, Any]]:
    teachers: dict[int, Any] = {}
    directors: dict[int, Any] = {}
    for m in (
        Membership.objects.filter(role__in=[Role.TEACHER, Role.DIRECTOR])
        .filter(school__in={c.school_id for c in classes})
        .select_related("user")
        .order_by("pk")
    ):
        if m.role == Role.TEACHER and m.school_class_id is not None:
            teachers.setdefault(m.school_class_id, m.user)
        elif m.role == Role.DIRECTOR and m.school_id is not None:
            directors.setdefault(m.school_id, m.user)
    return teachers, directors


def _note(template: Template, school_class: SchoolClass, sender: Any, sent: dt.date,
          due: dt.date | None, label: str, audience: str) -> Note:  # fmt: skip
    return Note(
        municipality_id=school_class.school.municipality_id,
        school_id=school_class.school_id,
        sender=sender,
        sender_label=(sender.get_full_name() or sender.username)
        if sender
        else "L'équipe enseignante",
        title=template.title,
        body=clean_body(template.body),
        audience=audience,
        audience_label=label[:300],
        acknowledgement=template.ack,
        question=template.question,
        options=list(template.options),
        due_on=due,
        sent_at=_sent_at(sent),
    )


def load_demo_notes(municipality: Municipality) -> int:
    """Fill the current year of ``municipality``'s classes with notes; returns how many."""
    year = SchoolYear.objects.filter(is_current=True).first()
    if year is None:
        return 0
    classes = list(
        SchoolClass.objects.filter(school__municipality=municipality, year=year)
        .select_related("school")
        .order_by("school__name", "label", "pk")
    )
    pupils_of: dict[int, list[int]] = defaultdict(list)
    for pupil_id, class_id in (
        Enrolment.objects.filter(
            school_class__in=classes, ended_on__isnull=True, pupil__left_on__isnull=True
        )
        .order_by("pupil__last_name", "pupil__first_name", "pupil_id")
        .values_list("pupil_id", "school_class_id")
    ):
        pupils_of[class_id].append(pupil_id)
    teachers, directors = _senders(classes)
    pen = _Pen(random.Random(SEED), timezone.localdate())
    by_school: dict[int, list[SchoolClass]] = defaultdict(list)
    for cls in classes:
        by_school[cls.school_id].append(cls)
    for template in NOTES:
        when = _schedule(template, year, pen.today)
        if when is None:
            continue
        if template.director:
            for school_classes in by_school.values():
                first = school_classes[0]
                label = f"{len(school_classes)} classes de {first.school.name}"
                note = _note(
                    template, first, directors.get(first.school_id), *when, label, Audience.CLASSES
                )
                pen.add(note, [(p, c) for c in school_classes for p in pupils_of[c.pk]])
        else:
            for cls in classes:
                sender = teachers.get(cls.pk) or directors.get(cls.school_id)
                note = _note(template, cls, sender, *when, cls.label, Audience.CLASSES)
                pen.add(note, [(p, cls) for p in pupils_of[cls.pk]])
    with transaction.atomic():
        _write(pen)
    return len(pen.notes)


def _write(pen: _Pen) -> None:
    """Rows are built and filled first, then inserted parents first: bulk_create gives
    each row its key, which the rows built on it pick up (no update pass afterwards)."""
    recipients = [
        NoteRecipient(note=note, pupil_id=pupil_id, school_class=cls, class_label=cls.label)
        for note, pupils in zip(pen.notes, pen.recipients, strict=True)
        for pupil_id, cls in pupils
    ]
    guardians: dict[int, list[tuple[int, Any]]] = defaultdict(list)
    for pupil_id, guardian_id, user_id in (
        GuardianLink.objects.filter(pupil_id__in={r.pupil_id for r in recipients})
        .order_by("guardian_id")
        .values_list("pupil_id", "guardian_id", "guardian__user_id")
    ):
        guardians[pupil_id].append((guardian_id, user_id))
    rows: list[NoteGuardian] = []
    for recipient in recipients:
        family = guardians[recipient.pupil_id]
        note_rows = [NoteGuardian(recipient=recipient, guardian_id=g) for g, _u in family]
        _fill(pen, recipient, note_rows, [u for _g, u in family])
        rows += note_rows
    Note.objects.bulk_create(pen.notes, batch_size=BATCH)
    for recipient in recipients:
        recipient.note_id = recipient.note.pk
    NoteRecipient.objects.bulk_create(recipients, batch_size=BATCH)
    for row in rows:
        row.recipient_id = row.recipient.pk
    NoteGuardian.objects.bulk_create(rows, batch_size=BATCH)
    for change in pen.changes:
        change.row_id = change.row.pk
    AnswerChange.objects.bulk_create(pen.changes, batch_size=BATCH)


def _answer(note: Note, rng: random.Random) -> str:
    if note.question == Question.YES_NO:
        return YES if rng.random() < 0.9 else NO
    return str(rng.choice(note.options)) if note.options else ""


def _fill(pen: _Pen, recipient: NoteRecipient, rows: list[NoteGuardian], users: list[Any]) -> None:
    """Who read, signed and answered: only guardians with an account, most of them."""
    note, rng = recipient.note, pen.rng
    is_open = note.due_on is not None and note.due_on >= pen.today
    rate = 0.45 if is_open else 0.88
    family_answer = _answer(note, rng)
    for index, (row, user_id) in enumerate(zip(rows, users, strict=True)):
        if user_id is None or rng.random() > (rate if index == 0 else rate * 0.8):
            continue
        moment = note.sent_at + dt.timedelta(hours=rng.randint(1, 60), minutes=rng.randint(0, 59))
        row.first_read_at = moment
        acts = note.acknowledgement == Acknowledgement.ALL or index == 0
        if note.collects and acts:
            if note.requires_signature:
                row.signed_at, row.signed_by_id = moment, user_id
            if note.has_question:
                row.answer, row.answered_at = family_answer, moment
                pen.changes.append(
                    AnswerChange(
                        row=row, answer=family_answer, changed_at=moment, changed_by_id=user_id
                    )
                )
    if progress(note, rows).complete:
        recipient.completed_at = max(
            (r.signed_at or r.answered_at or r.first_read_at for r in rows if r.first_read_at),
            default=None,
        )
