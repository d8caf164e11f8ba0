"""The persona world every test stands on (Healthchecks' alice/bob, Zulip's hamlet).

Lorient has two schools, each with a director, two classes with a teacher each, pupils
and guardians. Camille Martin is the guardian of two children in two classes of school A.
Anne Admin is Lorient's city admin (with TOTP, as city roles must); Otto Outsider has
an account and no link at all;
Vannes is another municipality with its own admin, school and family.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.test import Client

from preau.accounts.models import User
from preau.directory.models import (
    Enrolment,
    Guardian,
    GuardianLink,
    Membership,
    Municipality,
    Pupil,
    Role,
    School,
    SchoolClass,
    SchoolGroup,
    SchoolYear,
    Site,
)

PASSWORD = "correct-horse-battery-staple"


@dataclass
class SchoolWorld:
    school: School
    director: User
    classes: list[SchoolClass]
    teachers: list[User]
    pupils: list[Pupil]
    guardians: list[Guardian]


@dataclass
class World:
    lorient: Municipality
    vannes: Municipality
    year: SchoolYear
    a: SchoolWorld
    b: SchoolWorld
    v: SchoolWorld
    city_admin: User
    vannes_admin: User
    erun: User
    outsider: User
    parent: User  # Camille Martin: guardian of a.pupils[0] (class 0) and a.pupils[2] (class 1)
    parent_guardian: Guardian
    pupil_user: User  # account of a.pupils[0]
    users: dict[str, User] = field(default_factory=dict)

    def persona(self, name: str) -> User:
        """A persona by its name in parametrised tests ("director_b", "teacher_a0"…)."""
        return {
            "city_admin": self.city_admin,
            "vannes_admin": self.vannes_admin,
            "erun": self.erun,
            "outsider": self.outsider,
            "parent": self.parent,
            "pupil": self.pupil_user,
            "director_a": self.a.director,
            "director_b": self.b.director,
            "teacher_a0": self.a.teachers[0],
            "teacher_a1": self.a.teachers[1],
            "teacher_b0": self.b.teachers[0],
        }[name]

    def client_for(self, user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client


def make_user(username: str, first: str = "", last: str = "") -> User:
    user = User.objects.create_user(
        username=username, password=PASSWORD, first_name=first, last_name=last
    )
    return user


def _school(
    muni: Municipality, year: SchoolYear, tag: str, uai: str, families: int = 2
) -> SchoolWorld:
    group = SchoolGroup.objects.create(municipality=muni, name=f"Groupe scolaire {tag}")
    site = Site.objects.create(
        municipality=muni,
        group=group,
        name=f"Site {tag}",
        address=f"1 rue {tag}",
        postcode="56100",
        city=muni.name,
    )
    school = School.objects.create(
        municipality=muni,
        group=group,
        site=site,
        uai=uai,
        name=f"École {tag}",
        kind=School.Kind.ELEMENTAIRE,
    )
    director = make_user(f"director_{tag}", "Dora", f"Directrice{tag}")
    Membership.objects.create(user=director, role=Role.DIRECTOR, municipality=muni, school=school)
    classes, teachers, pupils, guardians = [], [], [], []
    for i, level in enumerate(["CP", "CM2"]):
        cls = SchoolClass.objects.create(
            school=school, year=year, label=f"{level} {tag}", levels=[level], onde_id=f"{uai}-{i}"
        )
        teacher = make_user(f"teacher_{tag}{i}", "Théo", f"Enseignant{tag}{i}")
        Membership.objects.create(
            user=teacher, role=Role.TEACHER, municipality=muni, school=school, school_class=cls
        )
        classes.append(cls)
        teachers.append(teacher)
        for j in range(families):
            pupil = Pupil.objects.create(
                municipality=muni,
                school=school,
                last_name=f"ELEVE{tag}{i}{j}",
                first_name=f"Prénom{j}",
                birth_date=dt.date(2017 - i * 3, 3, 1 + j),
                level=level,
                consent_photo=j == 0,
                ine=f"{uai[3:7]}{i}{j}0001X",
            )
            Enrolment.objects.create(pupil=pupil, school_class=cls, started_on=year.starts_on)
            guardian = Guardian.objects.create(
                municipality=muni,
                civility="MME",
                last_name=f"PARENT{tag}{i}{j}",
                first_name="Alex",
                email=f"parent{tag}{i}{j}@example.org",
            )
            GuardianLink.objects.create(guardian=guardian, pupil=pupil)
            pupils.append(pupil)
            guardians.append(guardian)
    return SchoolWorld(school, director, classes, teachers, pupils, guardians)


@pytest.fixture
def world(db: Any) -> World:
    year = SchoolYear.objects.create(
        label="2025-2026",
        starts_on=dt.date(2025, 9, 1),
        ends_on=dt.date(2026, 7, 4),
        is_current=True,
    )
    lorient = Municipality.objects.create(name="Lorient", insee_code="56121", slug="lorient")
    vannes = Municipality.objects.create(name="Vannes", insee_code="56260", slug="vannes")
    a = _school(lorient, year, "A", "0561001A")
    b = _school(lorient, year, "B", "0561002B")
    v = _school(vannes, year, "V", "0562001V")
    city_admin = make_user("city_admin", "Anne", "Admin")
    Membership.objects.create(user=city_admin, role=Role.CITY_ADMIN, municipality=lorient)
    vannes_admin = make_user("vannes_admin", "Victor", "Admin")
    Membership.objects.create(user=vannes_admin, role=Role.CITY_ADMIN, municipality=vannes)
    erun = make_user("erun", "Eric", "Referent")
    Membership.objects.create(user=erun, role=Role.ERUN, municipality=lorient, school=a.school)
    for admin in (city_admin, vannes_admin):  # city roles must hold a second factor
        TOTP.activate(admin, generate_totp_secret())
    outsider = make_user("outsider", "Otto", "Outsider")
    parent = make_user("parent", "Camille", "Martin")
    camille = Guardian.objects.create(
        municipality=lorient,
        civility="MME",
        last_name="MARTIN",
        first_name="Camille",
        email="camille@example.org",
        user=parent,
    )
    GuardianLink.objects.create(guardian=camille, pupil=a.pupils[0])
    GuardianLink.objects.create(guardian=camille, pupil=a.pupils[2])
    pupil_user = make_user("pupil", "Prénom0", "ELEVEA00")
    Pupil.objects.filter(pk=a.pupils[0].pk).update(user=pupil_user)
    return World(
        lorient,
        vannes,
        year,
        a,
        b,
        v,
        city_admin,
        vannes_admin,
        erun,
        outsider,
        parent,
        camille,
        pupil_user,
    )


@pytest.fixture
def browser() -> Any:
    """Debian's Chromium, headless (``preau.testing.browser``); apps' tests may override."""
    from preau.testing.browser import chromium

    with chromium() as launched:
        yield launched
