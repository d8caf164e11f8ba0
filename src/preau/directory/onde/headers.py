"""Header names → what they mean. ONDE is parsed by header name, never by position.

Every header is reduced to a *key* (no accents, quotes, BOM, case, punctuation, and no
plural ``s``) before it is looked up, so ``"Nom Elève"``, ``Nom élève``,
``Autorisations photos`` and ``Autorisation photo`` all find their column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from preau.directory.onde.values import fold


def header_key(text: str) -> str:
    words = fold(text.replace("’", "'").replace("_", " ")).split()
    return " ".join(w[:-1] if len(w) > 3 and w.endswith("s") else w for w in words)


def _keys(*aliases: str) -> tuple[str, ...]:
    return tuple(header_key(alias) for alias in aliases)


# Pupils file: field → accepted headers, best first. The first alias is the name shown
# when the column is missing.
PUPIL_FIELDS: dict[str, tuple[str, ...]] = {
    "last_name": ("Nom élève", "Nom de famille élève", "Nom de famille", "Nom"),
    "usage_name": ("Nom d'usage élève", "Nom d'usage"),
    "first_name": ("Prénom élève", "Prénom"),
    "birth_date": ("Date naissance", "Date de naissance", "Date de naissance élève"),
    "sex": ("Sexe",),
    "ine": ("INE", "Identifiant national élève"),
    "level": ("Niveau",),
    "class_label": ("Libellé classe", "Classe", "Classe ou regroupement", "Libellé de la classe"),
    "class_id": ("Identifiant classe",),
    "consent_associations": ("Autorisation associations",),
    "consent_photo": ("Autorisation photo",),
}
PUPIL_REQUIRED = ("last_name", "first_name", "birth_date", "class_label")

# Columns we recognise and deliberately do not store (minimisation: no pupil address, no
# birthplace, no administrative status).
PUPIL_IGNORED = _keys(
    "Adresse1", "Cp1", "Commune1", "Pays1", "Adresse2", "Cp2", "Commune2", "Pays2", "Cycle",
    "Attestation fournie", "Décision de passage", "Deuxième prénom", "Troisième prénom",
    "Commune naissance", "Dépt naissance", "Pays naissance", "Date inscription", "Etat",
    "Regroupement(s)", "Dispositif(s)",
)  # fmt: skip

GUARDIAN_FIELDS: dict[str, tuple[str, ...]] = {
    "civility": ("Civilité Responsable", "Civilité"),
    "usage_name": ("Nom usage responsable", "Nom d'usage responsable"),
    "last_name": ("Nom responsable", "Nom de famille responsable"),
    "first_name": ("Prénom responsable",),
    "email": ("Courriel", "Courriel responsable", "Email", "Adresse électronique"),
    "phone_mobile": ("Téléphone portable", "Portable", "Téléphone mobile"),
}
GUARDIAN_REQUIRED = ("last_name", "first_name")
GUARDIAN_IGNORED = _keys(
    "Adresse responsable", "CP responsable", "Commune responsable", "Pays",
    "Téléphone domicile", "Téléphone travail", "Numéro de poste", "PCS",
    "Communication adresses", "Lien de parenté", "Autorité parentale",
)  # fmt: skip

# One child block on a guardian row (repeats; may be numbered “… élève 1”, “… élève 2”).
CHILD_FIELDS: dict[str, tuple[str, ...]] = {
    "usage_name": ("Nom d'usage enfant", "Nom d'usage élève"),
    "last_name": ("Nom de famille enfant", "Nom de famille élève", "Nom enfant"),
    "first_name": ("Prénom enfant", "Prénom élève"),
    "class_label": ("Classes enfants", "Classes élèves", "Classe enfant", "Classe élève"),
    "birth_date": ("Date de naissance élève", "Date de naissance enfant"),
}
CHILD_REQUIRED = ("last_name", "first_name", "class_label")

# The R1_/R2_ layout: one row per pupil, guardians as numbered column groups.
R_FIELDS: dict[str, tuple[str, ...]] = {
    "civility": ("CIVILITE",),
    "usage_name": ("NOM USAGE", "NOM D'USAGE"),
    "last_name": ("NOM", "NOM FAMILLE", "NOM DE FAMILLE"),
    "first_name": ("PRENOM",),
    "email": ("COURRIEL", "MAIL", "EMAIL"),
    "phone_mobile": ("TEL PORTABLE", "PORTABLE", "TELEPHONE PORTABLE", "TEL MOBILE"),
}
_R_COLUMN = re.compile(r"^r(\d) (.+)$")
_NUMBERED = re.compile(r"^(.*?) ?(\d+)$")


def _lookup(fields: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {header_key(alias): name for name, aliases in fields.items() for alias in aliases}


_PUPIL_LOOKUP = _lookup(PUPIL_FIELDS)
_GUARDIAN_LOOKUP = _lookup(GUARDIAN_FIELDS)
_CHILD_LOOKUP = _lookup(CHILD_FIELDS)
_R_LOOKUP = _lookup(R_FIELDS)


def display_name(fields: dict[str, tuple[str, ...]], name: str) -> str:
    return fields[name][0]


@dataclass
class Columns:
    """Where each field of a file is: field → column index, plus what was not used."""

    positions: dict[str, int] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)  # field → header as written
    unknown: list[str] = field(default_factory=list)

    def missing(self, required: tuple[str, ...]) -> list[str]:
        return [name for name in required if name not in self.positions]

    def cell(self, cells: list[str], name: str) -> str:
        index = self.positions.get(name)
        if index is None or index >= len(cells):
            return ""
        return cells[index]

    def has(self, name: str) -> bool:
        return name in self.positions


def _place(columns: Columns, name: str, index: int, raw: str) -> None:
    # When two headers mean the same field, the better alias wins (e.g. “Libellé
    # classe” over “Classe ou regroupement”), whatever their order in the file.
    columns.positions.setdefault(name, index)
    columns.labels.setdefault(name, raw.strip().strip('"'))


def map_pupil_header(header: list[str]) -> Columns:
    columns = Columns()
    ranked = sorted(
        ((i, raw, header_key(raw)) for i, raw in enumerate(header)),
        key=lambda item: _rank(PUPIL_FIELDS, _PUPIL_LOOKUP, item[2]),
    )
    for index, raw, key in ranked:
        name = _PUPIL_LOOKUP.get(key)
        if name is not None:
            if name not in columns.positions:
                _place(columns, name, index, raw)
        elif key and key not in PUPIL_IGNORED and not _R_COLUMN.match(key):
            columns.unknown.append(raw.strip())
    return columns


def _rank(fields: dict[str, tuple[str, ...]], lookup: dict[str, str], key: str) -> int:
    name = lookup.get(key)
    if name is None:
        return 99
    return [header_key(alias) for alias in fields[name]].index(key)


@dataclass
class GuardianColumns:
    """Layout of a guardians file: guardian columns and the child blocks on each row."""

    guardian: Columns
    children: list[Columns]
    unknown: list[str]


def map_guardian_header(header: list[str]) -> GuardianColumns:
    guardian = Columns()
    numbered: dict[int, Columns] = {}
    sequential: list[Columns] = []
    unknown: list[str] = []
    for index, raw in enumerate(header):
        key = header_key(raw)
        if key in _GUARDIAN_LOOKUP:
            name = _GUARDIAN_LOOKUP[key]
            if name not in guardian.positions:
                _place(guardian, name, index, raw)
            continue
        child_field, number = _child_field(key)
        if child_field is None:
            if key and key not in GUARDIAN_IGNORED:
                unknown.append(raw.strip())
            continue
        if number is not None:
            block = numbered.setdefault(number, Columns())
        else:
            # Unnumbered blocks repeat: a field seen again starts the next child.
            if not sequential or child_field in sequential[-1].positions:
                sequential.append(Columns())
            block = sequential[-1]
        _place(block, child_field, index, raw)
    children = sequential + [numbered[n] for n in sorted(numbered)]
    return GuardianColumns(guardian=guardian, children=children, unknown=unknown)


def _child_field(key: str) -> tuple[str | None, int | None]:
    if key in _CHILD_LOOKUP:
        return _CHILD_LOOKUP[key], None
    match = _NUMBERED.match(key)
    if match and match.group(1) in _CHILD_LOOKUP:
        return _CHILD_LOOKUP[match.group(1)], int(match.group(2))
    return None, None


def map_responsible_columns(header: list[str]) -> dict[int, Columns]:
    """The R1_/R2_ groups of a one-row-per-pupil file: group number → its columns."""
    groups: dict[int, Columns] = {}
    for index, raw in enumerate(header):
        match = _R_COLUMN.match(header_key(raw))
        if not match:
            continue
        name = _R_LOOKUP.get(match.group(2))
        if name is not None:
            columns = groups.setdefault(int(match.group(1)), Columns())
            if name not in columns.positions:
                _place(columns, name, index, raw)
    return {n: groups[n] for n in sorted(groups)}
