"""A school year of fictional agenda for the demo world (``preau demo``).

The municipality's calendar is the zone B (Rennes academy) calendar of 2025-2026 as
plausible demo data: school holidays and public holidays; check the official calendar
before relying on it. Each school gets its usual meetings and celebrations, each class
a parents' meeting and a few outings. Deterministic and written with bulk inserts.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction

from preau.agenda.dates import combine
from preau.agenda.models import Event
from preau.directory.models import (
    Membership,
    Municipality,
    Role,
    School,
    SchoolClass,
)

SEED = 5_2025
BATCH = 500
D = dt.date
H = dt.time
HOLIDAY, OUTING, MEETING = Event.Category.HOLIDAY, Event.Category.OUTING, Event.Category.MEETING
CELEBRATION, OTHER = Event.Category.CELEBRATION, Event.Category.OTHER

# (title, first day, last day, category) for the whole municipality.
MUNICIPAL: tuple[tuple[str, dt.date, dt.date, str], ...] = (
    ("Rentrée scolaire", D(2025, 9, 1), D(2025, 9, 1), OTHER),
    ("Vacances de la Toussaint", D(2025, 10, 18), D(2025, 11, 2), HOLIDAY),
    ("Armistice de 1918 (férié)", D(2025, 11, 11), D(2025, 11, 11), HOLIDAY),
    ("Vacances de Noël", D(2025, 12, 20), D(2026, 1, 4), HOLIDAY),
    ("Vacances d'hiver", D(2026, 2, 14), D(2026, 3, 1), HOLIDAY),
    ("Inscriptions scolaires pour la rentrée 2026", D(2026, 3, 2), D(2026, 4, 3), OTHER),
    ("Lundi de Pâques (férié)", D(2026, 4, 6), D(2026, 4, 6), HOLIDAY),
    ("Vacances de printemps", D(2026, 4, 11), D(2026, 4, 26), HOLIDAY),
    ("Fête du Travail (férié)", D(2026, 5, 1), D(2026, 5, 1), HOLIDAY),
    ("Victoire de 1945 (férié)", D(2026, 5, 8), D(2026, 5, 8), HOLIDAY),
    ("Pont de l'Ascension", D(2026, 5, 14), D(2026, 5, 17), HOLIDAY),
    ("Lundi de Pentecôte (férié)", D(2026, 5, 25), D(2026, 5, 25), HOLIDAY),
    ("Vacances d'été", D(2026, 7, 4), D(2026, 8, 31), HOLIDAY),
)
MUNICIPAL_TIMED = (
    ("Réunion d'information des familles : le restaurant scolaire", D(2025, 9, 18), H(18), H(19),
     "Hôtel de ville, salle du conseil"),
    ("Forum de l'accueil périscolaire", D(2026, 3, 14), H(10), H(12), "Palais des congrès"),
)  # fmt: skip

# (title, month window, start, end or None for all day, category, place)
SCHOOL_EVENTS = (
    ("Réunion de rentrée", (D(2025, 9, 8), D(2025, 9, 19)), H(18), H(19, 30), MEETING, "Préau"),
    ("Élection des représentants des parents", (D(2025, 10, 10), D(2025, 10, 10)), H(8, 30),
     H(12), OTHER, "Bureau de vote, hall d'entrée"),
    ("Photo de classe", (D(2025, 11, 3), D(2025, 11, 28)), None, None, OTHER, ""),
    ("Premier conseil d'école", (D(2025, 11, 4), D(2025, 11, 14)), H(18), H(20), MEETING,
     "Bibliothèque (BCD)"),
    ("Marché de Noël", (D(2025, 12, 12), D(2025, 12, 19)), H(16, 30), H(19), CELEBRATION, "Cour"),
    ("Carnaval", (D(2026, 3, 13), D(2026, 3, 27)), H(14), H(16), CELEBRATION, "Quartier"),
    ("Deuxième conseil d'école", (D(2026, 3, 2), D(2026, 3, 13)), H(18), H(20), MEETING,
     "Bibliothèque (BCD)"),
    ("Troisième conseil d'école", (D(2026, 6, 8), D(2026, 6, 19)), H(18), H(20), MEETING,
     "Bibliothèque (BCD)"),
    ("Fête de l'école", (D(2026, 6, 20), D(2026, 6, 27)), H(10), H(17), CELEBRATION, "Cour"),
)  # fmt: skip

OUTINGS = (
    ("Sortie à la Cité de la Voile Éric Tabarly", "Lorient La Base"),
    ("Visite du sous-marin Flore", "Lorient La Base"),
    ("Spectacle au Grand Théâtre", "Grand Théâtre de Lorient"),
    ("Sortie à la médiathèque", "Médiathèque François Mitterrand"),
    ("Journée à l'île de Groix", "Embarcadère, gare maritime"),
    ("Sortie au haras national", "Haras d'Hennebont"),
    ("Visite de la ferme pédagogique", "Ferme de Kerzec"),
    ("Cinéma : « Le Grand Méchant Renard »", "Cinéville Lorient"),
)


def _timed(title: str, day: dt.date, start: dt.time, end: dt.time, **fields: object) -> Event:
    return Event(
        title=title,
        all_day=False,
        starts_on=day,
        ends_on=day,
        starts_at=combine(day, start),
        ends_at=combine(day, end),
        **fields,
    )


def _all_day(title: str, first: dt.date, last: dt.date, **fields: object) -> Event:
    return Event(title=title, all_day=True, starts_on=first, ends_on=last, **fields)


def _school_day(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    days = [first + dt.timedelta(n) for n in range((last - first).days + 1)]
    weekdays = [d for d in days if d.weekday() in (0, 1, 3, 4)] or days
    return rng.choice(weekdays)


def _municipal(municipality: Municipality) -> list[Event]:
    common = {"audience": Event.Audience.MUNICIPALITY, "municipality": municipality}
    rows = [_all_day(t, a, b, category=c, **common) for t, a, b, c in MUNICIPAL]
    rows += [
        _timed(t, d, s, e, category=MEETING, place=p, **common) for t, d, s, e, p in MUNICIPAL_TIMED
    ]
    return rows


def _school(school: School, director_id: int | None, rng: random.Random) -> list[Event]:
    common = {
        "audience": Event.Audience.SCHOOL,
        "municipality_id": school.municipality_id,
        "school": school,
        "created_by_id": director_id,
    }
    rows = []
    for title, (first, last), start, end, category, place in SCHOOL_EVENTS:
        day = _school_day(rng, first, last)
        if title == "Fête de l'école":
            day = max(d for d in (first + dt.timedelta(n) for n in range(8)) if d.weekday() == 5)
        if start is None or end is None:
            rows.append(_all_day(title, day, day, category=category, place=place, **common))
        else:
            rows.append(_timed(title, day, start, end, category=category, place=place, **common))
    return rows


def _class(school_class: SchoolClass, teacher_id: int | None, rng: random.Random) -> list[Event]:
    common = {
        "audience": Event.Audience.CLASS,
        "municipality_id": school_class.school.municipality_id,
        "school": school_class.school,
        "school_class": school_class,
        "created_by_id": teacher_id,
    }
    meeting_day = _school_day(rng, D(2025, 9, 15), D(2025, 10, 3))
    rows = [
        _timed("Réunion parents-enseignant", meeting_day, H(17, 30), H(18, 30),
               category=MEETING, place=f"Salle de classe — {school_class.label}", **common),
    ]  # fmt: skip
    windows = ((D(2025, 11, 17), D(2025, 12, 12)), (D(2026, 3, 16), D(2026, 4, 3)),
               (D(2026, 5, 26), D(2026, 6, 19)))  # fmt: skip
    for (first, last), (title, place) in zip(windows, rng.sample(OUTINGS, 3), strict=True):
        day = _school_day(rng, first, last)
        rows.append(
            _timed(title, day, H(9), H(16, 30), category=OUTING, place=place, **common,
                   description="Prévoir un pique-nique et des vêtements adaptés à la météo.")
        )  # fmt: skip
    if set(school_class.levels) & {"CP", "CE1"}:  # swimming lessons: six Tuesdays
        for week in range(6):
            day = D(2026, 1, 6) + dt.timedelta(weeks=week)
            rows.append(
                _timed("Piscine", day, H(14), H(15), category=OUTING,
                       place="Piscine du Moustoir", **common)
            )  # fmt: skip
    return rows


def load_demo_agenda(municipality: Municipality) -> int:
    """Write the demo agenda of ``municipality``; returns how many events.

    Does nothing (returns 0) if the municipality already has events."""
    if Event.objects.filter(municipality=municipality).exists():
        return 0
    schools = list(School.objects.filter(municipality=municipality).order_by("uai"))
    classes = list(
        SchoolClass.objects.filter(school__in=schools, year__is_current=True)
        .select_related("school")
        .order_by("school__uai", "label")
    )
    staff = Membership.objects.filter(municipality=municipality).order_by("-pk")
    directors = dict(staff.filter(role=Role.DIRECTOR).values_list("school_id", "user_id"))
    teachers = dict(staff.filter(role=Role.TEACHER).values_list("school_class_id", "user_id"))
    rng = random.Random(SEED)
    rows = _municipal(municipality)
    for school in schools:
        rows += _school(school, directors.get(school.pk), rng)
    for school_class in classes:
        rows += _class(school_class, teachers.get(school_class.pk), rng)
    with transaction.atomic():
        Event.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)
