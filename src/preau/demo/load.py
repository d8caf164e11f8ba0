"""Write the demo world to the database, or erase the directory and accounts first."""

from __future__ import annotations

import random
from typing import Any

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import Model

from preau.accounts.models import ActivationCode, ApiToken, User
from preau.accounts.services import issue_codes
from preau.agenda.seed import load_demo_agenda
from preau.core import audit
from preau.demo.build import DEMO_SEED, build_world
from preau.demo.world import DemoWorld
from preau.directory.models import (
    Enrolment,
    Guardian,
    GuardianLink,
    Membership,
    Municipality,
    Pupil,
    Role,
    Room,
    School,
    SchoolClass,
    SchoolGroup,
    SchoolYear,
    Site,
)
from preau.fleet.compliance.seed import seed_rules
from preau.fleet.deploy.seed import seed_deployments
from preau.fleet.seed import load_demo_fleet
from preau.helpdesk.seed import load_demo_tickets
from preau.homework.seed import load_demo_homework
from preau.liaison.seed import load_demo_notes
from preau.loans.seed import load_demo_bookings
from preau.messaging.seed import load_demo_messages
from preau.news.seed import load_demo_news
from preau.programme.seed import load_demo_rollout, load_demo_spending, load_seed_programme
from preau.programme.seed_claims import load_demo_claims

DEMO_PASSWORD = "lorient-demo-2025"  # noqa: S105 - printed to the person running the demo
BATCH = 500

# What the subsystems hang on the directory, erased before it: their rows protect the
# municipality, schools and accounts they belong to. Parents only: the rest cascades.
SUBSYSTEM_RESET_ORDER: tuple[str, ...] = (
    "loans.Booking",
    "loans.Loanable",
    "helpdesk.Ticket",
    "helpdesk.SlaTarget",
    "news.PhotoConsentChoice",
    "news.Post",
    "liaison.Note",
    "messaging.AbuseReport",
    "messaging.Conversation",
    "messaging.MatrixRule",
    "homework.Attachment",
    "homework.Entry",
    "agenda.Event",
    "agenda.IcsImport",
    "agenda.FeedToken",
    "fleet.Deployment",
    "fleet.Package",
    "fleet.ComplianceRule",
    "fleet.AgentEvent",
    "fleet.RawInventory",
    "fleet.Device",
    "fleet.Asset",
    "fleet.AgentTag",
)

# Children first, so that no PROTECT foreign key stops the erasure.
RESET_ORDER: tuple[type[Model], ...] = (
    ActivationCode,
    ApiToken,
    GuardianLink,
    Enrolment,
    Membership,
    Guardian,
    Pupil,
    SchoolClass,
    Room,
    School,
    Site,
    SchoolGroup,
    SchoolYear,
    Municipality,
    User,
    Session,
)


class AlreadyLoaded(Exception):
    """The database already holds a municipality: loading would mix two worlds."""


def has_directory() -> bool:
    return Municipality.objects.exists()


def erase_directory_and_accounts() -> dict[str, int]:
    """Delete every directory and accounts row (and sessions). The audit log stays."""
    deleted: dict[str, int] = {}
    with transaction.atomic():
        for label in SUBSYSTEM_RESET_ORDER:
            count, _ = apps.get_model(label)._default_manager.all().delete()
            deleted[label] = count
        for model in RESET_ORDER:
            count, _ = model._default_manager.all().delete()
            deleted[model._meta.label] = count
    return deleted


def load_demo(*, reset: bool = False) -> DemoWorld:
    if has_directory() and not reset:
        raise AlreadyLoaded
    # Every demo account gets the same hash, computed once: Django's PBKDF2 (a million
    # iterations) takes about 0.7 s per password here, so hashing the ~4,800 demo accounts
    # one by one would take close to an hour, where the whole world must load in seconds.
    world = build_world(make_password(DEMO_PASSWORD))
    with transaction.atomic():
        if reset:
            erase_directory_and_accounts()
        _save(world)
        _issue_codes(world)
        programme = load_seed_programme(world.municipality)
        load_demo_spending(programme)
        load_demo_claims(programme)
        load_demo_rollout(programme)
        load_demo_news(world.municipality)
        load_demo_notes(world.municipality)
        load_demo_messages(world.municipality)
        load_demo_homework(world.municipality)
        load_demo_agenda(world.municipality)
        load_demo_fleet(world.municipality)
        seed_deployments(world.municipality, None)
        seed_rules(world.municipality)
        load_demo_tickets(world.municipality)
        load_demo_bookings(world.municipality)
        audit.record(
            "demo.loaded",
            municipality_id=world.municipality.pk,
            actor_label="preau demo",
            schools=len(world.schools),
            pupils=len(world.pupils),
            guardians=len(world.guardians),
        )
    return world


def _save(world: DemoWorld) -> None:
    world.municipality.save()
    # Parents before children: bulk_create fills each row's primary key, which the rows
    # built on it (a school on its site, a pupil on their account) then pick up.
    tables: tuple[list[Any], ...] = (
        world.years,
        world.groups,
        world.sites,
        world.rooms,
        world.schools,
        world.users,
        world.classes,
        world.memberships,
        world.pupils,
        world.enrolments,
        world.guardians,
        world.links,
    )
    for rows in tables:
        if rows:
            type(rows[0])._default_manager.bulk_create(rows, batch_size=BATCH)


def _issue_codes(world: DemoWorld) -> None:
    """Letters went out, through the accounts service, for about half of the classes: their
    guardians who have not activated yet hold a code (the clear codes are not kept)."""
    rng = random.Random(DEMO_SEED + 1)
    class_of = {id(e.pupil): e.school_class for e in world.enrolments}
    pending: dict[int, dict[int, Guardian]] = {}
    for link in world.links:
        if link.guardian.user is None:
            pending.setdefault(id(class_of[id(link.pupil)]), {})[id(link.guardian)] = link.guardian
    directors = {id(m.school): m.user for m in world.memberships if m.role == Role.DIRECTOR}
    for plan in world.plans:
        for school_class in plan.classes:
            guardians = pending.get(id(school_class), {})
            if guardians and rng.random() < 0.5:
                issue_codes(
                    guardians=guardians.values(),
                    actor=directors[id(plan.school)],
                    school_class=school_class,
                )
