"""A school year of fictional cahier de textes for the demo world (``preau demo``).

Every elementary class of the current school year gets one or two entries per school
day (Monday, Tuesday, Thursday and Friday outside the holidays), written by its
teacher, with homework due the next school day or so. Deterministic (one seeded
generator per class, classes in a fixed order) and written with bulk inserts.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from typing import Any, cast

from django.db import connection, models, transaction
from django.utils import timezone

from preau.directory.models import (
    MATERNELLE_LEVELS,
    Membership,
    Municipality,
    Role,
    SchoolClass,
    SchoolYear,
)
from preau.homework.models import Entry, Subject

SEED = 4_2025
BATCH = 1000

# The school holidays of zone B (Rennes academy) in 2025-2026, as demo data: the same
# ranges as the agenda's demo calendar (the two apps may not import each other).
HOLIDAYS_2025_2026 = (
    (dt.date(2025, 10, 18), dt.date(2025, 11, 2)),
    (dt.date(2025, 12, 20), dt.date(2026, 1, 4)),
    (dt.date(2026, 2, 14), dt.date(2026, 3, 1)),
    (dt.date(2026, 4, 11), dt.date(2026, 4, 26)),
    (dt.date(2026, 5, 14), dt.date(2026, 5, 17)),
)
PUBLIC_HOLIDAYS_2025_2026 = frozenset(
    {dt.date(2025, 11, 11), dt.date(2026, 4, 6), dt.date(2026, 5, 1), dt.date(2026, 5, 8),
     dt.date(2026, 5, 25)}
)  # fmt: skip
SCHOOL_WEEKDAYS = (0, 1, 3, 4)

BOOKS = ("Le loup qui voulait changer de couleur", "Petit Ours Brun", "La sorcière Camomille",
         "Mon amie la baleine", "Le bateau de Monsieur Zouglouglou")  # fmt: skip
NOVELS = ("Le Petit Prince", "Les Contes du chat perché", "Matilda", "L'Île au trésor",
          "Le Club des cinq", "Vendredi ou la vie sauvage")  # fmt: skip
POEMS = ("Le corbeau et le renard", "Automne", "Chanson pour les enfants l'hiver",
         "Le cancre", "Page d'écriture", "La mer")  # fmt: skip
SOUNDS = ("ou", "on", "an", "in", "oi", "ch", "gn", "eu", "è", "au")
TOPICS_WORLD = ("le cycle de l'eau", "les saisons", "les châteaux forts", "le corps humain",
                "le port de Lorient", "les circuits électriques", "la Révolution française",
                "les volcans", "la Bretagne sur la carte")  # fmt: skip

# (subject, topic, done in class, to do or "") per cycle; {…} filled per entry. Plain
# text with nothing to escape, so stored as is (what ``text.clean`` would keep; tested).
C2: tuple[tuple[str, str, str, str], ...] = (
    (Subject.FRENCH, "Lecture", "Lecture de « {book} », page {page}.",
     "Relire la page {page} du livre de lecture."),
    (Subject.FRENCH, "Son", "Étude du son [{sound}].",
     "Lire la fiche du son [{sound}] à voix haute."),
    (Subject.FRENCH, "Dictée", "Dictée de mots (liste {n}).",
     "Apprendre les mots de la liste {m}."),
    (Subject.FRENCH, "Poésie", "Découverte de la poésie « {poem} ».",
     "Apprendre la poésie « {poem} » (strophe {n})."),
    (Subject.MATHS, "Calcul", "Calcul : l'addition posée.", "Fiche de calcul mental n°{n}."),
    (Subject.MATHS, "Numération", "Les nombres jusqu'à {big}.",
     "Exercice {n} page {page} du fichier."),
    (Subject.MATHS, "Géométrie", "Tracer à la règle : segments et carrés.", ""),
    (Subject.WORLD, "", "Questionner le monde : {world}.", "Rapporter une image sur {world}."),
    (Subject.LANGUAGES, "Anglais", "English: colours and numbers.", ""),
    (Subject.ARTS, "", "Arts visuels : à la manière de Miró.", "Apporter une boîte à chaussures."),
    (Subject.MUSIC, "Chant", "Chant : « Le petit navire ».", ""),
)  # fmt: skip
C3: tuple[tuple[str, str, str, str], ...] = (
    (Subject.FRENCH, "Lecture suivie", "Lecture de « {novel} », chapitre {n}.",
     "Lire le chapitre {m} de « {novel} »."),
    (Subject.FRENCH, "Conjugaison", "Conjugaison : l'imparfait des verbes du 1er groupe.",
     "Apprendre la leçon de conjugaison."),
    (Subject.FRENCH, "Orthographe", "Les accords dans le groupe nominal.",
     "Préparer la dictée n°{n}."),
    (Subject.FRENCH, "Poésie", "Découverte de la poésie « {poem} ».",
     "Apprendre la poésie « {poem} »."),
    (Subject.MATHS, "Fractions", "Les fractions décimales.", "Exercices {n} et {m} page {page}."),
    (Subject.MATHS, "Division", "La division posée.", "Apprendre la table de {table}."),
    (Subject.MATHS, "Problèmes", "Problèmes de proportionnalité.", "Terminer le problème du jour."),
    (Subject.HISTORY_GEOGRAPHY, "", "Histoire : {world}.", "Apprendre la leçon sur {world}."),
    (Subject.SCIENCE, "", "Sciences : {world}.", "Compléter le schéma du cahier."),
    (Subject.LANGUAGES, "Anglais", "English: the weather and the days of the week.",
     "Revoir le vocabulaire de la météo."),
    (Subject.CIVICS, "", "Débat : le respect des règles de la classe.", ""),
)  # fmt: skip


def school_days(year: SchoolYear) -> Iterator[dt.date]:
    day = year.starts_on
    while day <= year.ends_on:
        on_holiday = any(start <= day <= end for start, end in HOLIDAYS_2025_2026)
        closed = on_holiday or day in PUBLIC_HOLIDAYS_2025_2026
        if day.weekday() in SCHOOL_WEEKDAYS and not closed:
            yield day
        day += dt.timedelta(days=1)


def _fill(template: str, rng: random.Random) -> str:
    n = rng.randint(1, 12)
    return template.format(
        book=rng.choice(BOOKS),
        novel=rng.choice(NOVELS),
        poem=rng.choice(POEMS),
        sound=rng.choice(SOUNDS),
        world=rng.choice(TOPICS_WORLD),
        page=rng.randint(8, 120),
        n=n,
        m=n + 1,
        big=rng.choice((20, 59, 100, 1000)),
        table=rng.randint(2, 9),
    )


Row = tuple[int, dt.date, str, str, str, str, dt.date | None]


def _entries_of(
    school_class: SchoolClass, days: list[dt.date], rng: random.Random
) -> Iterator[Row]:
    pool = C2 if set(school_class.levels) & {"CP", "CE1", "CE2"} else C3
    for i, day in enumerate(days):
        following = days[i + 1] if i + 1 < len(days) else day
        for subject, topic, done, todo in rng.sample(pool, rng.choice((1, 1, 2))):
            todo_text = _fill(todo, rng) if todo and rng.random() < 0.7 else ""
            due_on = following if todo_text else None
            yield (school_class.pk, day, subject, topic, _fill(done, rng), todo_text, due_on)


def _insert(rows: list[Row], authors: dict[int, int]) -> None:
    """Insert the rows without model instances: bulk_create prepares every value of
    every instance, which made this seed take several seconds. Here each distinct date is
    prepared once, the rest are plain strings and integers; PostgreSQL gets a COPY,
    SQLite multi-row INSERTs."""
    meta = Entry._meta
    columns = ("created_at", "updated_at", "school_class", "date", "subject", "topic",
               "done_text", "todo_text", "due_on", "author")  # fmt: skip
    fields = [cast("models.Field[Any, Any]", meta.get_field(name)) for name in columns]
    now = fields[0].get_db_prep_save(timezone.now(), connection)
    dates: dict[dt.date | None, Any] = {None: None}

    def prepared(day: dt.date | None) -> Any:
        if day not in dates:
            dates[day] = fields[3].get_db_prep_save(day, connection)
        return dates[day]

    values: list[tuple[Any, ...]] = [
        (now, now, cls, prepared(day), subject, topic, done, todo, prepared(due), authors.get(cls))
        for cls, day, subject, topic, done, todo, due in rows
    ]
    table = connection.ops.quote_name(meta.db_table)
    names = ", ".join(connection.ops.quote_name(str(f.column)) for f in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY: psycopg binds parameters client-side, which costs seconds here.
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in values:
                    copy.write_row(row)
            return
        size = max(1, min(BATCH, connection.ops.bulk_batch_size(fields, values)))
        one = "(" + ", ".join(["%s"] * len(fields)) + ")"
        for start in range(0, len(values), size):
            batch = values[start : start + size]
            # Table and column names come from the model; every value is a parameter.
            rows_sql = ", ".join([one] * len(batch))
            sql = f"INSERT INTO {table} ({names}) VALUES {rows_sql}"  # noqa: S608
            cursor.execute(sql, [value for row in batch for value in row])


def load_demo_homework(municipality: Municipality) -> int:
    """Write the demo cahier de textes of ``municipality``; returns how many entries.

    Does nothing (returns 0) if its classes already have entries."""
    classes = [
        c
        for c in SchoolClass.objects.filter(
            school__municipality=municipality, year__is_current=True
        )
        .select_related("year", "school")
        .order_by("school__uai", "label")
        if not set(c.levels) <= MATERNELLE_LEVELS
    ]
    if not classes or Entry.objects.filter(school_class__in=classes).exists():
        return 0
    authors = dict(
        Membership.objects.filter(role=Role.TEACHER, school_class__in=classes)
        .order_by("-pk")
        .values_list("school_class_id", "user_id")
    )
    days = list(school_days(classes[0].year))
    rows: list[Row] = []
    for index, school_class in enumerate(classes):
        rows.extend(_entries_of(school_class, days, random.Random(SEED + index)))
    with transaction.atomic():
        _insert(rows, authors)
    return len(rows)
