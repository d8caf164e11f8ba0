"""Pupils and their legal guardians, drawn as families within each groupe scolaire.

Most pupils have two guardians, some one; brothers and sisters share theirs, and may be
in the maternelle and the élémentaire of the same group. About 8 % of families refuse
photos. Élémentaire pupils have an account (maternelle pupils do not); a share of
guardians, varying by school, have already activated theirs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from preau.demo import places
from preau.demo.people import People
from preau.demo.world import DemoWorld, SchoolPlan
from preau.directory.models import (
    MATERNELLE_LEVELS,
    Enrolment,
    Guardian,
    GuardianLink,
    Pupil,
    SchoolClass,
)

FAMILY_SIZES = (1, 2, 3)
FAMILY_WEIGHTS = (85, 12, 3)
SINGLE_GUARDIAN = 0.15
PHOTO_REFUSED = 0.08
ASSOCIATIONS_REFUSED = 0.05
HELD_BACK = 0.03  # pupils one year older than their level


@dataclass(frozen=True, eq=False)
class Seat:
    plan: SchoolPlan
    school_class: SchoolClass
    level: str


def _class_size(people: People, plan: SchoolPlan, cls: SchoolClass) -> int:
    rng = people.rng
    if cls.is_ulis:
        return rng.randint(10, 12)
    if plan.school.kind == places.PRIMAIRE:
        return rng.randint(18, 24)
    if plan.school.kind == places.MATERNELLE:
        return rng.randint(22, 27)
    return rng.randint(20, 24) if len(cls.levels) > 1 else rng.randint(21, 26)


def _seats(people: People, plan: SchoolPlan) -> list[Seat]:
    seats = []
    for cls in plan.classes:
        weights = [1 if level == "TPS" else 3 for level in cls.levels]
        for _ in range(_class_size(people, plan, cls)):
            level = people.rng.choices(cls.levels, weights)[0]
            seats.append(Seat(plan, cls, level))
    return seats


def add_families(world: DemoWorld, people: People) -> None:
    rng = people.rng
    for group_index in range(len(world.groups)):
        plans = [p for p in world.plans if p.group_index == group_index]
        seats = [seat for plan in plans for seat in _seats(people, plan)]
        rng.shuffle(seats)
        if group_index == 0:
            seats = _demo_family(world, people, seats)
        activation = {id(plan): rng.uniform(0.25, 0.8) for plan in plans}
        while seats:
            size = min(rng.choices(FAMILY_SIZES, FAMILY_WEIGHTS)[0], len(seats))
            family, seats = seats[:size], seats[size:]
            _add_family(world, people, family, activation[id(family[0].plan)])


def _demo_family(world: DemoWorld, people: People, seats: list[Seat]) -> list[Seat]:
    """The demo guardian: two children in two classes of the demo teacher's school, the
    elder (CM1, the demo pupil) in the demo teacher's class."""
    plan = world.plans[1]
    cm1 = next(c for c in plan.classes if c.levels == ["CM1"])
    ce1 = next(c for c in plan.classes if c.levels == ["CE1"])
    chosen = [
        next(s for s in seats if s.school_class is cm1),
        next(s for s in seats if s.school_class is ce1),
    ]
    _add_family(world, people, chosen, activation=0.0, demo=True)
    return [s for s in seats if all(s is not c for c in chosen)]


def _add_family(
    world: DemoWorld, people: People, seats: list[Seat], activation: float, demo: bool = False
) -> None:
    rng = people.rng
    family_name = people.family_name()
    photo = rng.random() >= PHOTO_REFUSED
    associations = rng.random() >= ASSOCIATIONS_REFUSED
    guardians = _guardians(people, family_name, world)
    pupils: list[Pupil] = []
    births: dict[str, dt.date] = {}  # twins share a level and a birthday
    for n, seat in enumerate(seats):
        sex = rng.choice("FM")
        first = people.child_first_name(sex, {p.first_name for p in pupils})
        birth = births.get(seat.level) or _birth_date(people, seat.level)
        births[seat.level] = birth
        pupil = Pupil(
            municipality=world.municipality,
            school=seat.plan.school,
            ine=_ine(world),
            last_name=family_name,
            first_name=first,
            birth_date=birth,
            sex=sex,
            level=seat.level,
            consent_photo=photo,
            consent_associations=associations,
        )
        if seat.level not in MATERNELLE_LEVELS:
            username = "eleve" if demo and n == 0 else ""
            pupil.user = people.user(first, family_name, username=username)
            world.users.append(pupil.user)
            if username:
                world.login(pupil.user, seat.school_class.label)
        pupils.append(pupil)
        started = world.current_year.starts_on
        if rng.random() < 0.02:  # arrived during the autumn
            started += dt.timedelta(days=rng.randint(10, 80))
        world.enrolments.append(
            Enrolment(pupil=pupil, school_class=seat.school_class, started_on=started)
        )
    world.pupils += pupils
    for i, guardian in enumerate(guardians):
        if demo and i == 0:
            guardian.user = people.user(guardian.first_name, guardian.last_name, username="parent")
            classes = " and ".join(s.school_class.label for s in seats)
            world.login(guardian.user, f"2 children: {classes}")
        elif rng.random() < activation:
            guardian.user = people.user(
                guardian.first_name, guardian.usage_name or guardian.last_name
            )
            guardian.user.email = guardian.email
        if guardian.user is not None:
            world.users.append(guardian.user)
        world.guardians.append(guardian)
        world.links += [GuardianLink(guardian=guardian, pupil=p) for p in pupils]


def _guardians(people: People, family_name: str, world: DemoWorld) -> list[Guardian]:
    rng = people.rng
    two = rng.random() >= SINGLE_GUARDIAN
    civilities = ["MME", "M."] if two else [rng.choices(["MME", "M."], [3, 1])[0]]
    guardians = []
    for civility in civilities:
        first = people.adult_first_name(civility)
        last, usage = family_name, ""
        if civility == "MME" and two and rng.random() < 0.55:
            # Birth name differs from the child's; often the usage name is the family's.
            last = people.family_name({family_name})
            usage = family_name if rng.random() < 0.7 else ""
        guardians.append(
            Guardian(
                municipality=world.municipality,
                civility=civility,
                last_name=last,
                usage_name=usage,
                first_name=first,
                email=people.email(first, usage or last) if rng.random() < 0.88 else "",
                phone_mobile=people.mobile() if rng.random() < 0.92 else "",
            )
        )
    return guardians


def _birth_date(people: People, level: str) -> dt.date:
    rng = people.rng
    year = places.BIRTH_YEAR[level]
    if level not in MATERNELLE_LEVELS and rng.random() < HELD_BACK:
        year -= 1
    if level == "TPS":  # toute petite section: children who turn 2 by the autumn
        return dt.date(year, 1, 1) + dt.timedelta(days=rng.randint(0, 240))
    return dt.date(year, 1, 1) + dt.timedelta(days=rng.randint(0, 364))


def _ine(world: DemoWorld) -> str:
    """A fictional INE (10 digits and a letter), unique through the pupil count."""
    n = len(world.enrolments) + 1  # one enrolment per pupil, appended right after
    return f"{990000000 + n:010d}{'ABCDEFGHJK'[n % 10]}"
