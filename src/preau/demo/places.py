"""Lorient's public schools as the demo world lays them out.

The groupes scolaires carry the names of Lorient's public school areas as far as they are
public (Bois-du-Château, Kerentrech, Merville, Keryado, Le Sémaphore, Frébault,
Nouvelle-Ville, Bisson, Carnel, Kervénanec, Polyvalent); Lanveur, Kerolay, Le Manio and
Keroman are real Lorient neighbourhoods used for invented schools. Street numbers,
class counts and coordinates are plausible, not authoritative; UAIs are fictional.
"""

from __future__ import annotations

from dataclasses import dataclass

MATERNELLE = "maternelle"
ELEMENTAIRE = "elementaire"
PRIMAIRE = "primaire"


@dataclass(frozen=True)
class SchoolSpec:
    name: str
    kind: str
    classes: int
    address: str
    ulis: bool = False


@dataclass(frozen=True)
class GroupSpec:
    name: str
    latitude: float
    longitude: float
    schools: tuple[SchoolSpec, ...]


def _pair(
    area: str, mat: int, elem: int, street: str, *, ulis: bool = False
) -> tuple[SchoolSpec, SchoolSpec]:
    """The usual groupe scolaire: a maternelle and an élémentaire side by side."""
    return (
        SchoolSpec(f"École maternelle {area}", MATERNELLE, mat, f"2 {street}"),
        SchoolSpec(f"École élémentaire {area}", ELEMENTAIRE, elem, f"4 {street}", ulis),
    )


GROUPS: tuple[GroupSpec, ...] = (
    GroupSpec(
        "Groupe scolaire Bois-du-Château",
        47.7560,
        -3.3930,
        _pair("Bois-du-Château", 4, 8, "rue du Bois du Château", ulis=True),
    ),
    GroupSpec(
        "Groupe scolaire Kerentrech",
        47.7565,
        -3.3640,
        _pair("Kerentrech", 4, 6, "rue de Kerentrech"),
    ),
    GroupSpec(
        "Groupe scolaire Merville", 47.7430, -3.3700, _pair("Merville", 4, 6, "rue de Merville")
    ),
    GroupSpec(
        "Groupe scolaire Keryado", 47.7605, -3.3905, _pair("Keryado", 3, 5, "rue de Keryado")
    ),
    GroupSpec(
        "Groupe scolaire Le Sémaphore",
        47.7395,
        -3.3830,
        _pair("Le Sémaphore", 4, 6, "rue du Sémaphore"),
    ),
    GroupSpec(
        "Groupe scolaire Frébault", 47.7505, -3.3760, _pair("Frébault", 3, 5, "rue Frébault")
    ),
    GroupSpec(
        "Groupe scolaire Nouvelle-Ville",
        47.7475,
        -3.3710,
        _pair("Nouvelle-Ville", 5, 7, "rue de Belgique"),
    ),
    GroupSpec(
        "Groupe scolaire Bisson", 47.7525, -3.3680, _pair("Bisson", 3, 4, "rue Jules Legrand")
    ),
    GroupSpec("Groupe scolaire Carnel", 47.7555, -3.3560, _pair("Carnel", 4, 5, "rue de Carnel")),
    GroupSpec(
        "Groupe scolaire Kervénanec",
        47.7640,
        -3.4010,
        (
            SchoolSpec("École maternelle Kervénanec", MATERNELLE, 4, "3 rue de Kervénanec"),
            SchoolSpec(
                "École élémentaire Kervénanec Nord",
                ELEMENTAIRE,
                6,
                "5 rue de Kervénanec",
                ulis=True,
            ),
            SchoolSpec(
                "École élémentaire Kervénanec Sud", ELEMENTAIRE, 5, "12 rue Jean-Pierre Calloc'h"
            ),
        ),
    ),
    GroupSpec(
        "Groupe scolaire du Polyvalent",
        47.7480,
        -3.3880,
        _pair("du Polyvalent", 3, 5, "boulevard Cosmao-Dumanoir"),
    ),
    GroupSpec(
        "Groupe scolaire Lanveur",
        47.7600,
        -3.3795,
        (
            *_pair("Lanveur", 3, 5, "rue de Lanveur"),
            SchoolSpec("École primaire Kerolay", PRIMAIRE, 5, "9 rue de Kerolay"),
        ),
    ),
    GroupSpec(
        "Groupe scolaire Le Manio",
        47.7350,
        -3.3720,
        (
            SchoolSpec("École primaire Le Manio", PRIMAIRE, 6, "6 rue du Manio"),
            SchoolSpec("École maternelle Keroman", MATERNELLE, 3, "1 rue de Keroman"),
        ),
    ),
)

# Class level layouts by kind and number of classes: what a director would set up.
LAYOUTS: dict[str, dict[int, tuple[tuple[str, ...], ...]]] = {
    MATERNELLE: {
        3: (("PS",), ("MS",), ("GS",)),
        4: (("TPS", "PS"), ("PS", "MS"), ("MS", "GS"), ("GS",)),
        5: (("TPS", "PS"), ("PS",), ("MS",), ("MS", "GS"), ("GS",)),
    },
    ELEMENTAIRE: {
        4: (("CP",), ("CE1", "CE2"), ("CE2", "CM1"), ("CM1", "CM2")),
        5: (("CP",), ("CE1",), ("CE2",), ("CM1",), ("CM2",)),
        6: (("CP",), ("CP", "CE1"), ("CE1",), ("CE2",), ("CM1",), ("CM2",)),
        7: (("CP",), ("CP",), ("CE1",), ("CE2",), ("CE2", "CM1"), ("CM1",), ("CM2",)),
        8: (("CP",), ("CP",), ("CE1",), ("CE1",), ("CE2",), ("CM1",), ("CM1", "CM2"), ("CM2",)),
    },
    PRIMAIRE: {
        5: (("PS", "MS"), ("MS", "GS"), ("CP", "CE1"), ("CE2",), ("CM1", "CM2")),
        6: (("TPS", "PS"), ("MS", "GS"), ("CP",), ("CE1", "CE2"), ("CM1",), ("CM2",)),
    },
}
ULIS_LEVELS = ("CE1", "CE2", "CM1", "CM2")

# Year of birth of a pupil who is "on time" in each level during 2025-2026.
BIRTH_YEAR = {
    "TPS": 2023,
    "PS": 2022,
    "MS": 2021,
    "GS": 2020,
    "CP": 2019,
    "CE1": 2018,
    "CE2": 2017,
    "CM1": 2016,
    "CM2": 2015,
}
