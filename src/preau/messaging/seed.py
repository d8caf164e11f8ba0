"""Demo content: a school year of plausible, fictional conversations (``preau demo``).

Everything follows the default communication matrix: families write to the teachers of
their child's class (an absence, a forgotten coat, an outing), teachers answer; the
staff of each school share a few threads with their director; a few pupils write to
their teacher, approved by them; now and then a family reports an answer, for the
moderation page. The demo personas (``parent``, ``eleve``…) always get some. Rows are
written with bulk inserts from a seeded generator, so the same directory gives the same
messages, in a second or two for a whole city.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from preau.accounts.models import User
from preau.directory.models import (
    Enrolment,
    Membership,
    Municipality,
    Role,
    SchoolClass,
    SchoolYear,
)
from preau.messaging.models import AbuseReport, Conversation, Message, Participant
from preau.messaging.people import display_name
from preau.messaging.text import shorten

SEED = 20250901
FAMILY_THREADS_PER_CLASS = 8
STAFF_THREADS_PER_SCHOOL = 5
PUPIL_THREADS_PER_CLASS = 2
BATCH = 1000

FAMILY_OPENERS = [
    (
        "Absence de {child}",
        "Bonjour, {child} sera absent(e) demain matin pour un rendez-vous "
        "chez l'orthophoniste. Pouvez-vous me dire ce qu'il faudra rattraper ? Merci.",
    ),
    (
        "Manteau oublié",
        "Bonjour, {child} a oublié son manteau bleu hier. L'avez-vous vu dans "
        "la classe ? Bonne journée.",
    ),
    (
        "Sortie à la Cité de la Voile",
        "Bonjour, nous avons bien reçu le mot pour la sortie. "
        "Faut-il prévoir un pique-nique pour {child} ?",
    ),
    (
        "Rendez-vous",
        "Bonjour, serait-il possible de vous rencontrer un soir après la classe "
        "pour parler des progrès de {child} en lecture ?",
    ),
    (
        "Piscine",
        "Bonjour, {child} a un certificat médical pour la piscine jusqu'à la fin du "
        "mois. Je vous le donne demain matin.",
    ),
    (
        "Cantine jeudi",
        "Bonjour, {child} mangera à la maison jeudi midi, je viendrai le/la chercher à 11h45.",
    ),
    (
        "Devoirs",
        "Bonjour, {child} n'a pas compris l'exercice de mathématiques pour lundi. "
        "Pouvez-vous lui réexpliquer ? Merci beaucoup.",
    ),
]
TEACHER_ANSWERS = [
    "Bonjour, merci de m'avoir prévenu(e). Je lui donnerai le travail à son retour.",
    "Bonjour, oui, je l'ai mis de côté, il est au portemanteau de la classe.",
    "Bonjour, oui, un pique-nique et une gourde, s'il vous plaît. Bonne soirée.",
    "Bonjour, avec plaisir : mardi à 16h45 vous conviendrait-il ?",
    "Bien noté, merci.",
]
FAMILY_THANKS = [
    "Merci beaucoup !",
    "Parfait, merci.",
    "Très bien, à mardi.",
    "Merci, bonne soirée.",
]
STAFF_THREADS = [
    (
        "Conseil des maîtres",
        "Bonjour à tous, le prochain conseil des maîtres aura lieu mardi à "
        "17h en salle des maîtres. Ordre du jour : sorties du trimestre, APC, fête de l'école.",
    ),
    (
        "Exercice incendie",
        "L'exercice d'évacuation aura lieu jeudi matin ; merci de rappeler "
        "les consignes à vos élèves.",
    ),
    (
        "Fête de l'école",
        "Qui peut tenir le stand des jeux ? Les parents d'élèves proposent "
        "de s'occuper de la buvette.",
    ),
    (
        "Commande de fournitures",
        "La commande de fournitures part vendredi : envoyez-moi vos besoins avant jeudi soir.",
    ),
    (
        "Tablettes",
        "La valise de tablettes est réservée pour les CM le lundi et le jeudi ; "
        "les autres créneaux sont libres.",
    ),
]
STAFF_ANSWERS = ["C'est noté.", "Je peux m'en occuper.", "D'accord pour moi.", "Merci !"]
PUPIL_MESSAGES = [
    (
        "Exposé",
        "Bonjour maîtresse, j'ai fini mon exposé sur les dauphins. Je peux le présenter vendredi ?",
    ),
    (
        "Livre",
        "Bonjour, j'ai oublié mon livre de lecture à l'école. Est-ce que je peux le "
        "prendre demain ?",
    ),
]


@dataclass
class _Batch:
    conversations: list[Conversation] = field(default_factory=list)
    participants: list[tuple[int, int, dt.datetime, dt.datetime | None]] = field(
        default_factory=list
    )  # conversation index, user, joined, last read
    messages: list[tuple[int, Message]] = field(default_factory=list)
    reports: list[tuple[int, int, str]] = field(default_factory=list)  # message, reporter


class _Writer:
    def __init__(self, muni: Municipality, names: dict[int, str], rng: random.Random) -> None:
        self.muni, self.names, self.rng, self.batch = muni, names, rng, _Batch()

    def thread(
        self,
        school_id: int,
        subject: str,
        turns: list[tuple[int, str]],
        people: list[int],
        start: dt.datetime,
        now: dt.datetime,
        approved_by: int | None = None,
        held_class: int | None = None,
    ) -> int:
        index = len(self.batch.conversations)
        times = [
            min(start + dt.timedelta(hours=self.rng.randint(2, 30) * i), now)
            for i in range(len(turns))
        ]
        last = times[-1]
        self.batch.conversations.append(
            Conversation(
                municipality=self.muni,
                school_id=school_id,
                subject=subject,
                created_by_id=turns[0][0],
                created_at=start,
                last_message_at=last,
                last_excerpt=shorten(turns[-1][1]),
                last_sender_label=self.names[turns[-1][0]],
            )
        )
        recent = now - last < dt.timedelta(days=10)
        for user in people:
            spoke_last = user == turns[-1][0]
            read = last if (spoke_last or not recent) else None
            self.batch.participants.append((index, user, start, read))
        for n, ((sender, body), when) in enumerate(zip(turns, times, strict=True)):
            moderated = approved_by is not None and n == 0  # a pupil's first message
            self.batch.messages.append(
                (
                    index,
                    Message(
                        sender_id=sender,
                        sender_label=self.names[sender],
                        body=body,
                        created_at=when,
                        visible_at=when + dt.timedelta(minutes=40) if moderated else when,
                        held_class_id=held_class if moderated else None,
                        moderated_by_id=approved_by if moderated else None,
                        moderated_at=when + dt.timedelta(minutes=40) if moderated else None,
                    ),
                )
            )
        return index

    def save(self) -> int:
        b = self.batch
        Conversation.objects.bulk_create(b.conversations, batch_size=BATCH)
        Participant.objects.bulk_create(
            [
                Participant(conversation=b.conversations[i], user_id=u, joined_at=j, last_read_at=r)
                for i, u, j, r in b.participants
            ],
            batch_size=BATCH,
        )
        for i, message in b.messages:
            message.conversation = b.conversations[i]
        Message.objects.bulk_create([m for _i, m in b.messages], batch_size=BATCH)
        AbuseReport.objects.bulk_create(
            [
                AbuseReport(
                    message=b.messages[m][1],
                    reporter_id=reporter,
                    reporter_label=self.names[reporter],
                    reason=reason,
                    municipality=self.muni,
                    school_id=b.conversations[b.messages[m][0]].school_id,
                    created_at=b.messages[m][1].created_at + dt.timedelta(hours=2),
                )
                for m, reporter, reason in b.reports
            ]
        )
        return len(b.messages)


def _year_window(year: SchoolYear) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(year.starts_on, dt.time(8, 30), tz)
    end = dt.datetime.combine(year.ends_on, dt.time(17, 0), tz)
    now = timezone.now()
    return start, min(end, now) if now > start + dt.timedelta(days=30) else end


def _when(rng: random.Random, start: dt.datetime, end: dt.datetime) -> dt.datetime:
    span = max(int((end - start).total_seconds()) - 3 * 86400, 3600)
    moment = start + dt.timedelta(seconds=rng.randrange(span))
    return moment.replace(hour=rng.choice([7, 8, 12, 17, 18, 20]), minute=rng.randrange(60))


@transaction.atomic
def load_demo_messages(municipality: Municipality) -> int:
    """Write the demo conversations of ``municipality``; returns how many messages."""
    rng = random.Random(SEED)
    year = SchoolYear.current()
    start, end = _year_window(year)
    classes = list(
        SchoolClass.objects.filter(school__municipality=municipality, year=year).order_by("pk")
    )
    teachers: dict[int, list[int]] = defaultdict(list)
    directors: dict[int, list[int]] = defaultdict(list)
    for user, role, school, klass in (
        Membership.objects.filter(municipality=municipality, role__in=[Role.TEACHER, Role.DIRECTOR])
        .order_by("pk")
        .values_list("user_id", "role", "school_id", "school_class_id")
    ):
        (teachers[klass] if role == Role.TEACHER else directors[school]).append(user)
    families: dict[int, list[tuple[int, str]]] = defaultdict(list)
    pupils: dict[int, list[int]] = defaultdict(list)
    for klass, child, guardian, pupil_user in (
        Enrolment.objects.filter(school_class__in=classes, ended_on__isnull=True)
        .order_by("pupil_id")
        .values_list(
            "school_class_id",
            "pupil__first_name",
            "pupil__guardian_links__guardian__user_id",
            "pupil__user_id",
        )
    ):
        if guardian is not None:
            families[klass].append((guardian, child))
        if pupil_user is not None and pupil_user not in pupils[klass]:
            pupils[klass].append(pupil_user)
    personas = set(
        User.objects.filter(username__in=["parent", "eleve"]).values_list("pk", flat=True)
    )
    for klass in families:  # the demo's logins first, so that they always have messages
        families[klass].sort(key=lambda f: f[0] not in personas)
        pupils[klass].sort(key=lambda p: p not in personas)
    names = {
        pk: display_name(first, last, username)
        for pk, first, last, username in User.objects.filter(
            pk__in={u for ids in teachers.values() for u in ids}
            | {u for ids in directors.values() for u in ids}
            | {g for fam in families.values() for g, _c in fam}
            | {p for ids in pupils.values() for p in ids}
        ).values_list("pk", "first_name", "last_name", "username")
    }
    writer = _Writer(municipality, names, rng)
    for school_class in classes:
        _class_threads(
            writer, school_class, teachers[school_class.pk], families, pupils, start, end
        )
    for school_id, staff in sorted(directors.items()):
        colleagues = sorted(
            {t for c in classes if c.school_id == school_id for t in teachers[c.pk]}
        )
        _staff_threads(writer, school_id, staff[0], colleagues, start, end)
    return writer.save()


def _class_threads(
    writer: _Writer,
    school_class: SchoolClass,
    class_teachers: list[int],
    families: dict[int, list[tuple[int, str]]],
    pupils: dict[int, list[int]],
    start: dt.datetime,
    end: dt.datetime,
) -> None:
    if not class_teachers:
        return
    rng, teacher = writer.rng, class_teachers[0]
    family = families[school_class.pk]
    chosen = (
        family[:1] + rng.sample(family[1:], min(len(family) - 1, FAMILY_THREADS_PER_CLASS - 1))
        if family
        else []
    )
    for guardian, child in chosen:
        subject, opener = rng.choice(FAMILY_OPENERS)
        turns = [(guardian, opener.format(child=child)), (teacher, rng.choice(TEACHER_ANSWERS))]
        if rng.random() < 0.5:
            turns.append((guardian, rng.choice(FAMILY_THANKS)))
        index = writer.thread(
            school_class.school_id,
            subject.format(child=child),
            turns,
            [guardian, teacher],
            _when(rng, start, end),
            end,
        )
        if index % 97 == 0:  # now and then a family reports an answer (demo moderation)
            message = len(writer.batch.messages) - len(turns) + 1
            writer.batch.reports.append((message, guardian, "Ton de la réponse inapproprié."))
    for pupil in pupils[school_class.pk][:PUPIL_THREADS_PER_CLASS]:
        subject, body = rng.choice(PUPIL_MESSAGES)
        writer.thread(
            school_class.school_id,
            subject,
            [(pupil, body), (teacher, "Oui, bien sûr !")],
            [pupil, teacher],
            _when(rng, start, end),
            end,
            approved_by=teacher,
            held_class=school_class.pk,
        )


def _staff_threads(
    writer: _Writer,
    school_id: int,
    director: int,
    colleagues: list[int],
    start: dt.datetime,
    end: dt.datetime,
) -> None:
    if not colleagues:
        return
    rng = writer.rng
    people = [director, *[c for c in colleagues if c != director]]
    for subject, body in rng.sample(STAFF_THREADS, STAFF_THREADS_PER_SCHOOL):
        turns = [(director, body)] + [
            (c, rng.choice(STAFF_ANSWERS)) for c in rng.sample(people[1:], min(2, len(people) - 1))
        ]
        writer.thread(school_id, subject, turns, people, _when(rng, start, end), end)
