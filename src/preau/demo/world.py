"""The demo world as built in memory, before it is written, and its demo logins."""

from __future__ import annotations

from dataclasses import dataclass, field

from preau.accounts.models import User
from preau.directory.models import (
    Enrolment,
    Guardian,
    GuardianLink,
    Membership,
    Municipality,
    Pupil,
    Room,
    School,
    SchoolClass,
    SchoolGroup,
    SchoolYear,
    Site,
)

# One login per role, in the order the table is printed.
DEMO_ROLES = {
    "admin": "city admin",
    "technicien": "city technician",
    "programme": "programme officer",
    "erun": "ERUN",
    "direction": "director",
    "enseignant": "teacher",
    "parent": "guardian",
    "eleve": "pupil",
}
DEMO_USERNAMES = tuple(DEMO_ROLES)


@dataclass(frozen=True)
class DemoLogin:
    role: str
    username: str
    who: str
    scope: str


@dataclass
class SchoolPlan:
    school: School
    group_index: int
    classrooms: list[Room] = field(default_factory=list)
    classes: list[SchoolClass] = field(default_factory=list)
    teachers: dict[int, list[User]] = field(default_factory=dict)  # class index → teachers


@dataclass
class DemoWorld:
    municipality: Municipality
    years: list[SchoolYear]
    groups: list[SchoolGroup] = field(default_factory=list)
    sites: list[Site] = field(default_factory=list)
    rooms: list[Room] = field(default_factory=list)
    plans: list[SchoolPlan] = field(default_factory=list)
    users: list[User] = field(default_factory=list)
    memberships: list[Membership] = field(default_factory=list)
    pupils: list[Pupil] = field(default_factory=list)
    enrolments: list[Enrolment] = field(default_factory=list)
    guardians: list[Guardian] = field(default_factory=list)
    links: list[GuardianLink] = field(default_factory=list)
    logins: list[DemoLogin] = field(default_factory=list)

    @property
    def current_year(self) -> SchoolYear:
        return self.years[0]

    @property
    def schools(self) -> list[School]:
        return [plan.school for plan in self.plans]

    @property
    def classes(self) -> list[SchoolClass]:
        return [cls for plan in self.plans for cls in plan.classes]

    def login(self, user: User, scope: str) -> None:
        """Note ``user`` as the demo login of their role (see ``DEMO_ROLES``)."""
        role = DEMO_ROLES[user.username]
        self.logins.append(DemoLogin(role, user.username, user.get_full_name(), scope))
