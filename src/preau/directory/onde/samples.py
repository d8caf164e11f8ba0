"""Realistic, fictional ONDE exports for benchmarks and demos. Deterministic.

    pupils_csv, guardians_csv = make_school_exports(uai_seed=3)

gives a 600-pupil élémentaire in 24 classes, Windows-1252 with CRLF like ONDE, with the
recent pupils header and the 2021 guardians header (child blocks with birth dates), about
1.7 guardians per pupil and some siblings. Every name is invented.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from preau.directory.onde.values import fold

PUPILS_HEADER = (
    "Nom élève;Nom d'usage élève;Prénom élève;Date naissance;Sexe;INE;Adresse1;Cp1;"
    "Commune1;Pays1;Adresse2;Cp2;Commune2;Pays2; Cycle;Niveau;Libellé classe;"
    "Identifiant classe;Attestation fournie;Autorisation associations;Autorisation photo;"
    "Décision de passage"
)
GUARDIAN_HEADER = (
    "Civilité Responsable;Nom usage responsable;Nom responsable;Prénom responsable;"
    "Adresse responsable;CP responsable;Commune responsable;Pays;Courriel;"
    "Téléphone domicile;Téléphone travail;Téléphone portable"
)
CHILD_BLOCK = (
    "Nom d'usage élève;Nom de famille élève;Prénom élève;Date de naissance élève;Classes élèves"
)
MAX_CHILDREN = 3

FAMILY_NAMES = [
    "LE",
    "GALL",
    "KERMARREC",
    "LE",
    "ROUX",
    "GUEGUEN",
    "LE",
    "BRIS",
    "MORVAN",
    "TANGUY",
    "LE",
    "GOFF",
    "QUEMENER",
    "PRIGENT",
    "LE",
    "CORRE",
    "HELIAS",
    "JAOUEN",
    "NICOL",
    "CADIOU",
    "RIOU",
    "GUILLOU",
    "LE",
    "BIHAN",
    "PERON",
    "CORNEC",
    "DANIEL",
    "MARTIN",
    "BERNARD",
    "DUBOIS",
    "ROBIN",
    "MOREAU",
    "FOURNIER",
    "GIRARD",
    "LAMBERT",
    "BONNET",
    "FRANÇOIS",
    "MERCIER",
    "BLANCHARD",
    "GUERIN",
    "BOYER",
    "GARNIER",
    "CHEVALIER",
    "FAURE",
    "ANDRE",
    "ROUSSEL",
    "PERRIN",
    "MOULIN",
    "NGUYEN",
    "DIALLO",
    "BENALI",
    "OUEDRAOGO",
    "SILVA",
    "KOWALSKI",
    "HAMDI",
    "TRAORE",
    "FERREIRA",
    "DA",
    "COSTA",
    "LE",
    "BERRE",
    "EVENO",
    "JEGO",
    "LE",
    "PAPE",
    "MAHE",
    "LE",
    "FLOCH",
    "KERVELLA",
    "LE",
    "MEUR",
    "BOTHOREL",
    "LE",
    "DREAU",
]
GIRLS = [
    "Léa",
    "Emma",
    "Jade",
    "Louise",
    "Alice",
    "Chloé",
    "Lina",
    "Rose",
    "Anna",
    "Mila",
    "Ambre",
    "Julia",
    "Zoé",
    "Inès",
    "Lou",
    "Nina",
    "Maëlys",
    "Romane",
    "Agathe",
    "Léonie",
    "Nolwenn",
    "Gwenaëlle",
    "Maïwenn",
    "Soazig",
    "Aziliz",
    "Enora",
    "Clémence",
    "Salomé",
    "Capucine",
    "Élise",
    "Manon",
    "Camille",
    "Juliette",
    "Sarah",
    "Yasmine",
    "Aïcha",
    "Naïa",
    "Thaïs",
]
BOYS = [
    "Gabriel",
    "Léo",
    "Raphaël",
    "Arthur",
    "Louis",
    "Jules",
    "Adam",
    "Maël",
    "Lucas",
    "Hugo",
    "Noah",
    "Sacha",
    "Nathan",
    "Tom",
    "Ethan",
    "Paul",
    "Malo",
    "Gaël",
    "Yanis",
    "Timéo",
    "Aaron",
    "Évan",
    "Nolan",
    "Erwan",
    "Tristan",
    "Ewen",
    "Loïc",
    "Gwenaël",
    "Mathis",
    "Axel",
    "Noé",
    "Théo",
    "Baptiste",
    "Côme",
    "Marius",
    "Ilyès",
    "Mamadou",
    "Youssef",
]
ADULT_F = [
    "Anne",
    "Marie",
    "Sophie",
    "Nathalie",
    "Aurélie",
    "Julie",
    "Élodie",
    "Céline",
    "Morgane",
    "Gaëlle",
    "Karine",
    "Laure",
]
ADULT_M = [
    "Jean",
    "Pierre",
    "Nicolas",
    "Julien",
    "Sébastien",
    "Yann",
    "Erwan",
    "Thomas",
    "David",
    "Ronan",
    "Franck",
    "Mickaël",
]
LEVELS = ("CP", "CE1", "CE2", "CM1", "CM2")
TEACHERS = [
    "PERRIN",
    "ROUX",
    "LAMBERT",
    "KERBRAT",
    "LE",
    "GUEN",
    "MOAL",
    "BODIC",
    "AUFFRET",
    "JAFFRE",
    "CAROFF",
]


@dataclass
class _Pupil:
    last_name: str
    first_name: str
    sex: str
    birth_date: dt.date
    ine: str
    level: str
    class_label: str
    class_id: str


@dataclass
class _Family:
    last_name: str
    children: list[_Pupil] = field(default_factory=list)


def make_school_exports(
    *, uai_seed: int, pupils: int = 600, classes: int = 24, seed: int = 1
) -> tuple[bytes, bytes]:
    """Fictional ``(pupils_csv, guardians_csv)`` for one school, same output for same args."""
    rng = random.Random(f"{seed}-{uai_seed}")
    class_list = _classes(rng, uai_seed, classes)
    families = _families(rng, uai_seed, pupils, class_list)
    everyone = [child for family in families for child in family.children]
    pupil_lines = [PUPILS_HEADER] + [_pupil_line(rng, p) for p in everyone]
    guardian_lines = [GUARDIAN_HEADER + (";" + CHILD_BLOCK) * MAX_CHILDREN]
    counter = 0
    for family in families:
        for civility, first, last in _guardians(rng, family):
            counter += 1
            guardian_lines.append(
                _guardian_line(rng, uai_seed, counter, civility, first, last, family.children)
            )
    return _encode(pupil_lines), _encode(guardian_lines)


def _classes(rng: random.Random, uai_seed: int, count: int) -> list[tuple[str, str, str]]:
    result = []
    for index in range(count):
        level = LEVELS[index * len(LEVELS) // count]
        teacher = TEACHERS[index % len(TEACHERS)]
        title = rng.choice(("Mme", "M."))
        label = f"{level} {index + 1:02d} de {title} {teacher}"
        result.append((level, label, f"{uai_seed:04d}{index:04d}"))
    return result


def _families(
    rng: random.Random, uai_seed: int, count: int, classes: list[tuple[str, str, str]]
) -> list[_Family]:
    families: list[_Family] = []
    seen: set[tuple[str, str, str]] = set()
    made = 0
    while made < count:
        family = _Family(rng.choice(FAMILY_NAMES))
        size = min(rng.choices((1, 2, 3), weights=(88, 9, 3))[0], count - made)
        for _child in range(size):
            level, label, class_id = rng.choice(classes)
            sex = rng.choice("FM")
            first = rng.choice(GIRLS if sex == "F" else BOYS)
            key = (family.last_name, fold(first), label)
            if key in seen:
                continue  # no homonym in one class: guardians could not be matched
            seen.add(key)
            born = dt.date(2019 - LEVELS.index(level), 1, 1) + dt.timedelta(days=rng.randrange(365))
            ine = f"{uai_seed % 1000:03d}{made:07d}" + "ABCDEFGHJK"[made % 10]
            family.children.append(
                _Pupil(family.last_name, first, sex, born, ine, level, label, class_id)
            )
            made += 1
        if family.children:
            families.append(family)
    return families


def _guardians(rng: random.Random, family: _Family) -> list[tuple[str, str, str]]:
    count = rng.choices((1, 2, 3), weights=(8, 80, 12))[0]
    people = [
        ("MME", rng.choice(ADULT_F), family.last_name),
        ("M.", rng.choice(ADULT_M), family.last_name),
        (rng.choice(("MME", "M.")), rng.choice(ADULT_F + ADULT_M), rng.choice(FAMILY_NAMES)),
    ]
    return people[:count]


def _pupil_line(rng: random.Random, p: _Pupil) -> str:
    cycle = "CYCLE II" if p.level in ("CP", "CE1", "CE2") else "CYCLE III"
    yes_no = ("Oui", "Non")
    return ";".join(
        [
            p.last_name,
            "",
            p.first_name,
            p.birth_date.strftime("%d/%m/%Y"),
            p.sex,
            p.ine,
            f"{rng.randrange(1, 120)} rue Imaginaire",
            "56100",
            "LORIENT",
            "FRANCE",
            "",
            "",
            "",
            "",
            cycle,
            p.level,
            p.class_label,
            p.class_id,
            "Oui",
            rng.choice(yes_no),
            rng.choices(yes_no, weights=(85, 15))[0],
            "",
        ]
    )


def _guardian_line(
    rng: random.Random,
    uai_seed: int,
    counter: int,
    civility: str,
    first: str,
    last: str,
    children: list[_Pupil],
) -> str:
    email = f"{fold(first).replace(' ', '')}.{fold(last).replace(' ', '')}{uai_seed}-{counter}"
    mobile = f"06{rng.randrange(10**8):08d}" if rng.random() < 0.9 else ""
    cells = [
        civility,
        "",
        last,
        first,
        f"{rng.randrange(1, 120)} rue Imaginaire",
        "56100",
        "LORIENT",
        "FRANCE",
        f"{email}@example.org",
        "",
        "",
        mobile,
    ]
    for index in range(MAX_CHILDREN):
        if index < len(children):
            c = children[index]
            cells += [
                "",
                c.last_name,
                c.first_name,
                c.birth_date.strftime("%d/%m/%Y"),
                c.class_label,
            ]
        else:
            cells += [""] * 5
    return ";".join(cells)


def _encode(lines: list[str]) -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")
