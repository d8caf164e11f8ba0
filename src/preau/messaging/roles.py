"""The parties of messaging, how far each may write, and the built-in default matrix.

A *party* is the role a person writes or receives as (a guardian, a teacher…). A cell
of the matrix says how close the recipient must be for a sender party to write to a
recipient party: in the same class, the same school, the same municipality, or never
(``Reach.NONE``). A pupil's messages may also be *moderated*: held until a teacher of
their class approves them. Nothing ever crosses a municipality.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Party(models.TextChoices):
    GUARDIAN = "guardian", _("guardian")
    PUPIL = "pupil", _("pupil")
    TEACHER = "teacher", _("teacher")
    DIRECTOR = "director", _("director")
    ERUN = "erun", _("ERUN")
    CITY_ADMIN = "city_admin", _("city admin")


PLURAL: dict[str, Promise] = {
    Party.GUARDIAN: _("guardians"),
    Party.PUPIL: _("pupils"),
    Party.TEACHER: _("teachers"),
    Party.DIRECTOR: _("directors"),
    Party.ERUN: _("ERUN"),
    Party.CITY_ADMIN: _("city admins"),
}

STAFF_PARTIES = frozenset({Party.TEACHER, Party.DIRECTOR, Party.ERUN, Party.CITY_ADMIN})


class Reach(models.TextChoices):
    NONE = "none", _("nobody")
    CLASS = "class", _("in the same class")
    SCHOOL = "school", _("in the same school")
    MUNICIPALITY = "municipality", _("in the same municipality")


# The matrix page's short words for each reach.
SHORT: dict[str, Promise] = {
    Reach.NONE: _("nobody"),
    Reach.CLASS: _("same class"),
    Reach.SCHOOL: _("same school"),
    Reach.MUNICIPALITY: _("whole city"),
}

# How far apart two people are, and how far a cell lets a message go, on one scale.
RANK: dict[str, int] = {Reach.NONE: 0, Reach.CLASS: 1, Reach.SCHOOL: 2, Reach.MUNICIPALITY: 3}


@dataclass(frozen=True)
class Cell:
    reach: str = Reach.NONE
    moderated: bool = False

    def allows(self, distance: str) -> bool:
        return self.reach != Reach.NONE and RANK[distance] <= RANK[self.reach]


Pair = tuple[str, str]

_G, _P, _T, _D, _E, _C = (
    Party.GUARDIAN,
    Party.PUPIL,
    Party.TEACHER,
    Party.DIRECTOR,
    Party.ERUN,
    Party.CITY_ADMIN,
)

# The default every municipality starts from (docs/messaging.md explains each line).
# Guardians ↔ their children's teachers and the director; staff within their school;
# pupils → their teachers only, moderated; directors, ERUN and city admins across the
# city. Guardians never write to other guardians, nobody to families of other classes.
DEFAULT_CELLS: dict[Pair, Cell] = {
    (_G, _T): Cell(Reach.CLASS),
    (_G, _D): Cell(Reach.SCHOOL),
    (_T, _G): Cell(Reach.CLASS),
    (_D, _G): Cell(Reach.SCHOOL),
    (_T, _T): Cell(Reach.SCHOOL),
    (_T, _D): Cell(Reach.SCHOOL),
    (_D, _T): Cell(Reach.SCHOOL),
    (_T, _P): Cell(Reach.CLASS),
    (_P, _T): Cell(Reach.CLASS, moderated=True),
    (_D, _D): Cell(Reach.MUNICIPALITY),
    (_E, _T): Cell(Reach.SCHOOL),
    (_T, _E): Cell(Reach.SCHOOL),
    (_E, _D): Cell(Reach.SCHOOL),
    (_D, _E): Cell(Reach.SCHOOL),
    (_E, _E): Cell(Reach.MUNICIPALITY),
    (_C, _D): Cell(Reach.MUNICIPALITY),
    (_D, _C): Cell(Reach.MUNICIPALITY),
    (_C, _E): Cell(Reach.MUNICIPALITY),
    (_E, _C): Cell(Reach.MUNICIPALITY),
    (_C, _C): Cell(Reach.MUNICIPALITY),
}

ALL_PAIRS: tuple[Pair, ...] = tuple((s, r) for s in Party.values for r in Party.values)


def default_cell(pair: Pair) -> Cell:
    return DEFAULT_CELLS.get(pair, Cell())


def can_be_moderated(sender: str) -> bool:
    """Only pupils' messages are held for a teacher: they have a class whose teachers
    answer for them; an adult's message is theirs."""
    return sender == Party.PUPIL
