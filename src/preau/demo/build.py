"""Build the Lorient demo world in memory: unsaved model instances, ready for bulk_create.

Everything is drawn from one ``random.Random(seed)``, so the same seed gives the same
world, names and logins on every machine. :mod:`preau.demo.load` writes it.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from preau.demo import places
from preau.demo.families import add_families
from preau.demo.people import FICTION_LANDLINE, People
from preau.demo.world import DEMO_USERNAMES, DemoWorld, SchoolPlan
from preau.directory.models import (
    Membership,
    Municipality,
    Role,
    Room,
    School,
    SchoolClass,
    SchoolGroup,
    SchoolYear,
    Site,
)

DEMO_SEED = 56121
CURRENT_YEAR = ("2025-2026", dt.date(2025, 9, 1), dt.date(2026, 7, 4))
PREVIOUS_YEAR = ("2024-2025", dt.date(2024, 9, 2), dt.date(2025, 7, 5))
# A director of a school with this many classes or more is fully released from teaching.
FULL_RELEASE_CLASSES = 7
UAI_KEYS = "ABCDEFGHJKLMNPRSTUVWXYZ"


def uai(number: int) -> str:
    """A UAI with its real check letter (the 7 digits modulo 23) in the 056 range."""
    digits = f"0569{number:03d}"
    return digits + UAI_KEYS[int(digits) % 23]


def build_world(password_hash: str, seed: int = DEMO_SEED) -> DemoWorld:
    rng = random.Random(seed)
    people = People(rng, password_hash)
    people.reserve(*DEMO_USERNAMES)
    world = DemoWorld(
        municipality=Municipality(name="Lorient", insee_code="56121", slug="lorient"),
        years=[
            SchoolYear(label=label, starts_on=start, ends_on=end, is_current=i == 0)
            for i, (label, start, end) in enumerate((CURRENT_YEAR, PREVIOUS_YEAR))
        ],
    )
    _add_schools(world, rng)
    _add_city_staff(world, people)
    _add_teachers(world, people)
    _add_eruns(world, people)
    add_families(world, people)
    return world


def _coordinate(value: float, rng: random.Random) -> Decimal:
    return Decimal(f"{value + rng.uniform(-0.0009, 0.0009):.6f}")


def _add_schools(world: DemoWorld, rng: random.Random) -> None:
    numbers = sorted(rng.sample(range(100, 1000), sum(len(g.schools) for g in places.GROUPS)))
    for group_index, spec in enumerate(places.GROUPS):
        group = SchoolGroup(municipality=world.municipality, name=spec.name)
        world.groups.append(group)
        for school_spec in spec.schools:
            site = Site(
                municipality=world.municipality,
                group=group,
                name=school_spec.name.replace("École ", "Site "),
                address=school_spec.address,
                postcode="56100",
                city="Lorient",
                latitude=_coordinate(spec.latitude, rng),
                longitude=_coordinate(spec.longitude, rng),
            )
            world.sites.append(site)
            code = uai(numbers[len(world.plans)])
            school = School(
                municipality=world.municipality,
                group=group,
                site=site,
                uai=code,
                name=school_spec.name,
                kind=school_spec.kind,
                email=f"ec.{code.lower()}@example.org",
                phone=f"{FICTION_LANDLINE} {rng.randint(10, 99)} {rng.randint(10, 99)}",
            )
            plan = SchoolPlan(school, group_index)
            _add_rooms(world, plan, school_spec)
            world.plans.append(plan)


def _add_rooms(world: DemoWorld, plan: SchoolPlan, spec: places.SchoolSpec) -> None:
    site = plan.school.site
    kind = Room.Kind
    count = spec.classes + (1 if spec.ulis else 0)
    for i in range(1, count + 2):  # one classroom spare, as most schools have
        floor = "RDC" if spec.kind == places.MATERNELLE or i <= 4 else "1er étage"
        room = Room(site=site, name=f"Classe {i}", kind=kind.CLASSROOM, floor=floor)
        plan.classrooms.append(room)
        world.rooms.append(room)
    extra = [
        ("BCD", kind.LIBRARY),
        ("Bureau de direction", kind.OFFICE),
        ("Local technique", kind.TECHNICAL),
    ]
    if spec.kind == places.MATERNELLE:
        extra += [("Salle de motricité", kind.OTHER), ("Dortoir", kind.OTHER)]
    else:
        extra += [("Salle informatique", kind.COMPUTER)]
    world.rooms += [Room(site=site, name=name, kind=k, floor="RDC") for name, k in extra]


def _add_city_staff(world: DemoWorld, people: People) -> None:
    muni = world.municipality
    staff = [
        ("admin", "Nathalie", "KERBOURC'H", Role.CITY_ADMIN),
        ("technicien", "Yannick", "LE GAL", Role.CITY_TECHNICIAN),
        ("", "Sébastien", "GUILLEVIC", Role.CITY_TECHNICIAN),
        ("programme", "Florence", "MAHÉ", Role.PROGRAMME_OFFICER),
    ]
    for username, first, last, role in staff:
        user = people.user(
            first, last, email_domain="mairie-lorient.example.org", username=username
        )
        world.users.append(user)
        world.memberships.append(Membership(user=user, role=role, municipality=muni))
        if username:
            world.login(user, "Lorient (every school)")


def _civility_name(people: People) -> tuple[str, str]:
    # About five primary-school teachers in six are women.
    civility = "MME" if people.rng.random() < 0.83 else "M."
    return civility, people.adult_first_name(civility)


def _class_label(levels: tuple[str, ...], ulis: bool, civility: str, last: str) -> str:
    title = "Mme" if civility == "MME" else "M."
    return f"{'ULIS' if ulis else '-'.join(levels)} de {title} {last}"


def _add_teachers(world: DemoWorld, people: People) -> None:
    year = world.current_year
    for index, (plan, spec) in enumerate(zip(world.plans, _school_specs(), strict=True)):
        layout = list(places.LAYOUTS[spec.kind][spec.classes])
        if spec.ulis:
            layout.append(places.ULIS_LEVELS)
        used_names: set[str] = set()
        for i, levels in enumerate(layout):
            is_ulis = spec.ulis and i == len(layout) - 1
            civility, first = _civility_name(people)
            last = people.family_name(used_names)
            used_names.add(last)
            username = "enseignant" if index == 1 and levels == ("CM1",) else ""
            teacher = people.user(first, last, email_domain="ecoles.example.org", username=username)
            cls = SchoolClass(
                school=plan.school,
                year=year,
                levels=list(levels),
                is_ulis=is_ulis,
                room=plan.classrooms[i],
                label=_class_label(levels, is_ulis, civility, last),
            )
            plan.classes.append(cls)
            plan.teachers[i] = [teacher]
            world.users.append(teacher)
            if username:
                world.login(teacher, f"{cls.label}, {plan.school.name}")
        _add_director(world, people, plan, index, used_names)
        for i, cls in enumerate(plan.classes):
            world.memberships += [
                Membership(
                    user=t,
                    role=Role.TEACHER,
                    municipality=world.municipality,
                    school=plan.school,
                    school_class=cls,
                )
                for t in plan.teachers[i]
            ]


def _school_specs() -> list[places.SchoolSpec]:
    return [spec for group in places.GROUPS for spec in group.schools]


def _add_director(
    world: DemoWorld, people: People, plan: SchoolPlan, index: int, used_names: set[str]
) -> None:
    """Large schools have a director released from teaching; elsewhere the director keeps
    a class, and a second teacher takes it on the release days (complément de décharge)."""
    if len(plan.classes) >= FULL_RELEASE_CLASSES:
        _, first = _civility_name(people)
        username = "direction" if index == 1 else ""
        director = people.user(
            first,
            people.family_name(used_names),
            email_domain="ecoles.example.org",
            username=username,
        )
        world.users.append(director)
        if username:
            world.login(director, plan.school.name)
    else:
        last_class = len(plan.classes) - 1
        director = plan.teachers[last_class][0]
        if len(plan.classes) >= 4:
            _, first = _civility_name(people)
            partner = people.user(
                first, people.family_name(used_names), email_domain="ecoles.example.org"
            )
            plan.teachers[last_class].append(partner)
            world.users.append(partner)
    world.memberships.append(
        Membership(
            user=director, role=Role.DIRECTOR, municipality=world.municipality, school=plan.school
        )
    )


def _add_eruns(world: DemoWorld, people: People) -> None:
    """Three ERUNs share the schools by area, as the circonscriptions would."""
    eruns = [
        ("erun", "Gwenaëlle", "LE DUIGOU"),
        ("", "Thierry", "CADORET"),
        ("", "Soazig", "LE MOING"),
    ]
    bounds = [(0, 5), (5, 9), (9, len(places.GROUPS))]
    for (username, first, last), (low, high) in zip(eruns, bounds, strict=True):
        erun = people.user(first, last, email_domain="ecoles.example.org", username=username)
        world.users.append(erun)
        schools = [p.school for p in world.plans if low <= p.group_index < high]
        world.memberships += [
            Membership(user=erun, role=Role.ERUN, municipality=world.municipality, school=s)
            for s in schools
        ]
        if username:
            world.login(erun, f"{len(schools)} schools ({places.GROUPS[low].name}…)")
