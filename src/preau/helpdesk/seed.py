"""Demo helpdesk tickets (``preau demo``, after the fleet's demo).

A few tickets per school over the last two months, in every status, reported by the
school's director or teachers about the equipment of their site, with the technicians'
answers. Deterministic: one seeded generator, schools in a fixed order.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from preau.directory.models import Membership, Municipality, Role, School
from preau.fleet.models import Asset, AssetKind
from preau.helpdesk.models import Category, Comment, Status, Ticket, Urgency

SEED = 6_2025
# (category, asset kind to attach or None, summary, description, technician's answer)
PROBLEMS: tuple[tuple[str, str | None, str, str, str], ...] = (
    (
        Category.DISPLAY,
        AssetKind.DISPLAY,
        "Le TBI ne s'allume plus",
        "Écran noir depuis ce matin, le voyant reste orange.",
        "Alimentation remplacée.",
    ),
    (
        Category.NETWORK,
        AssetKind.WIFI_AP,
        "Pas de Wi-Fi dans la classe du fond",
        "Les tablettes perdent la connexion toutes les cinq minutes.",
        "Borne redémarrée et canal changé.",
    ),
    (
        Category.PRINTER,
        AssetKind.PRINTER,
        "Bourrage papier à répétition",
        "L'imprimante de la salle des maîtres bloque à chaque impression recto-verso.",
        "Rouleau d'entraînement changé.",
    ),
    (
        Category.LAPTOP,
        AssetKind.LAPTOP,
        "Portable très lent au démarrage",
        "Plus de dix minutes avant de pouvoir ouvrir une session.",
        "Disque plein : nettoyage et mise à jour.",
    ),
    (
        Category.TABLET,
        AssetKind.TABLET,
        "Tablette qui ne charge plus",
        "Une tablette de la mallette reste à 0 % malgré la nuit en charge.",
        "Câble défectueux remplacé.",
    ),
    (
        Category.SOFTWARE,
        None,
        "Installer GCompris sur les postes de la classe",
        "Pour la séquence de numération de la période 3.",
        "Paquet déployé sur les 4 postes.",
    ),
    (
        Category.ACCOUNT,
        None,
        "Mot de passe ENT oublié",
        "Un élève de CE2 ne peut plus se connecter.",
        "Code d'activation réédité.",
    ),
    (
        Category.OTHER,
        None,
        "Rallonge électrique manquante",
        "Il manque une rallonge pour brancher le vidéoprojecteur mobile.",
        "Rallonge livrée.",
    ),
)
STATUSES = (
    Status.NEW,
    Status.ASSIGNED,
    Status.IN_PROGRESS,
    Status.WAITING,
    Status.RESOLVED,
    Status.RESOLVED,
    Status.CLOSED,
    Status.CLOSED,
)


def _people(municipality: Municipality) -> tuple[dict[int, list[int]], int | None]:
    reporters: dict[int, list[int]] = {}
    for school_id, user_id in (
        Membership.objects.filter(municipality=municipality, role__in=(Role.DIRECTOR, Role.TEACHER))
        .order_by("school_id", "role", "pk")
        .values_list("school_id", "user_id")
    ):
        reporters.setdefault(school_id, []).append(user_id)
    handlers = Membership.objects.filter(municipality=municipality).order_by("pk")
    tech = handlers.filter(role=Role.CITY_TECHNICIAN).values_list("user_id", flat=True).first()
    tech = tech or handlers.filter(role=Role.CITY_ADMIN).values_list("user_id", flat=True).first()
    return reporters, tech


@transaction.atomic
def load_demo_tickets(municipality: Municipality) -> int:
    reporters, tech = _people(municipality)
    rng = random.Random(SEED)
    now = timezone.now()
    assets: dict[tuple[int, str], int] = {}
    for site_id, asset_kind, pk in (
        Asset.objects.filter(municipality=municipality, site__isnull=False)
        .order_by("pk")
        .values_list("site_id", "kind", "pk")
    ):
        assets.setdefault((site_id, asset_kind), pk)
    made = 0
    for school in School.objects.filter(municipality=municipality).order_by("uai"):
        people = reporters.get(school.pk)
        if not people:
            continue
        for _n in range(rng.randint(1, 3)):
            category, kind, title, description, answer = rng.choice(PROBLEMS)
            status = rng.choice(STATUSES) if tech else Status.NEW
            created = now - dt.timedelta(hours=rng.randint(2, 60 * 24))
            ticket = Ticket.objects.create(
                municipality=municipality,
                school=school,
                site_id=school.site_id,
                asset_id=assets.get((school.site_id, kind)) if kind else None,
                reporter_id=rng.choice(people),
                category=category,
                title=title,
                description=description,
                status=status,
                urgency=rng.choice((Urgency.LOW, Urgency.NORMAL, Urgency.NORMAL, Urgency.HIGH)),
            )
            _follow_up(ticket, tech, created, answer, rng, now)
            made += 1
    return made


def _follow_up(
    ticket: Ticket,
    tech: int | None,
    created: dt.datetime,
    answer: str,
    rng: random.Random,
    now: dt.datetime,
) -> None:
    fields: dict[str, object] = {"created_at": created}
    if ticket.status != Status.NEW and tech is not None:
        responded = min(created + dt.timedelta(minutes=rng.randint(20, 60 * 30)), now)
        fields |= {"assignee_id": tech, "first_response_at": responded}
        Comment.objects.create(
            ticket=ticket,
            author_id=tech,
            body="Pris en charge, je passe dans la semaine.",
            status_before=Status.NEW,
            status_after=Status.ASSIGNED,
        )
        if ticket.status in (Status.RESOLVED, Status.CLOSED):
            resolved = min(responded + dt.timedelta(hours=rng.randint(1, 96)), now)
            minutes = rng.choice((15, 30, 45, 60, 90))
            fields |= {"resolved_at": resolved, "minutes_spent": minutes}
            if ticket.status == Status.CLOSED:
                fields["closed_at"] = resolved
            Comment.objects.create(
                ticket=ticket,
                author_id=tech,
                body=answer,
                minutes=minutes,
                status_before=Status.IN_PROGRESS,
                status_after=Status.RESOLVED,
            )
    Ticket.objects.filter(pk=ticket.pk).update(**fields)
    Comment.objects.filter(ticket=ticket).update(at=fields.get("first_response_at", created))
