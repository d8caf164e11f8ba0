"""The seed's programme, "Transition numérique des écoles", exactly as its project sheet.

Two axes, 17 budget lines, 1,826,000 € HT (2,191,200 € TTC at 20 % VAT), financed
60 % by REACT-EU and 40 % by the city. The eligibility window and the planned dates are
the sheet's; the final claim date and the interim cap are not on the sheet (the grant
agreement sets them), so the values here are plausible demo data, editable like the rest.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction

from preau.directory.models import Municipality, Site
from preau.programme import money, services
from preau.programme.models import BudgetLine, Milestone, Programme, SiteMilestone, Supplier

SEED_NAME = "Transition numérique des écoles"
SEED_VAT = Decimal("20.00")
ACTOR_LABEL = "preau demo"

# (axis number, axis title, [(objective, [(action, amount HT)])])
SEED_AXES: tuple[tuple[int, str, tuple[tuple[str, tuple[tuple[str, int], ...]], ...]], ...] = (
    (
        1,
        "Infrastructures numériques : raccorder les écoles au très haut débit et "
        "moderniser l'infrastructure serveurs",
        (
            (
                "Connecter les écoles au MAN (réseau de fibre optique municipale)",
                (("Raccordement de 12 écoles au MAN", 335_000),),
            ),
            (
                "Étendre et sécuriser le réseau dans les écoles",
                (
                    ("Travaux de câblage informatique (80 prises)", 17_000),
                    ("Travaux de câblage électrique", 10_000),
                    ("Achat et déploiement d'onduleurs", 8_000),
                    ("Achat et déploiement de switches manageables", 120_000),
                    ("Mise en place d'un réseau WiFi écoles", 30_000),
                ),
            ),
            (
                "Simplifier l'administration et la maintenance en virtualisant les postes élèves",
                (
                    ("Outils de virtualisation des postes (VDI) : licences", 120_000),
                    ("Outils de virtualisation des postes (VDI) : matériel", 63_000),
                    (
                        "Outils de virtualisation des postes (VDI) : prestation d'installation",
                        17_000,
                    ),
                ),
            ),
        ),
    ),
    (
        2,
        "Équipements numériques : moderniser les pratiques pédagogiques en intégrant les "
        "usages en mobilité",
        (
            (
                "Encourager les pratiques en mobilité",
                (
                    (
                        "PC portables et écrans pour les enseignants et directeurs "
                        "(90 en élémentaire, 60 en maternelle)",
                        128_000,
                    ),
                    ("20 valises de 9 tablettes mutualisées", 86_000),
                ),
            ),
            (
                "Renouveler le parc informatique",
                (
                    (
                        "Postes clients légers (4 par classe : 2 fixes, 2 portables) et "
                        "écrans pour les élèves",
                        330_000,
                    ),
                    ("Déploiement des clients légers (matériel)", 25_000),
                    ("Logiciel UEM", 90_000),
                    ("Installation du logiciel UEM (prestation)", 40_000),
                    ("Écrans numériques interactifs (ENI)", 365_000),
                    ("Déploiement des ENI (prestation)", 42_000),
                ),
            ),
        ),
    ),
)


def seed_funding(municipality: Municipality) -> list[tuple[str, Decimal]]:
    return [("REACT-EU", Decimal("60.00")), (f"Ville de {municipality.name}", Decimal("40.00"))]


@transaction.atomic
def load_seed_programme(municipality: Municipality) -> Programme:
    """Create the seed programme for ``municipality`` through the services (audited)."""
    programme = services.create_programme(
        actor=None,
        actor_label=ACTOR_LABEL,
        municipality=municipality,
        name=SEED_NAME,
        eligibility_start=dt.date(2020, 2, 1),
        eligibility_end=dt.date(2023, 12, 31),
        planned_start=dt.date(2021, 9, 1),
        planned_end=dt.date(2023, 12, 31),
        last_payment_date=dt.date(2023, 12, 31),
        final_claim_date=dt.date(2024, 6, 30),
        interim_cap_percent=Decimal("80.00"),
    )
    for number, title, objectives in SEED_AXES:
        axis = services.add_axis(actor=None, programme=programme, number=number, title=title)
        for objective_title, lines in objectives:
            objective = services.add_objective(actor=None, axis=axis, title=objective_title)
            for label, amount in lines:
                services.add_budget_line(
                    actor=None,
                    objective=objective,
                    label=label,
                    amount_ht=Decimal(amount),
                    vat_rate=SEED_VAT,
                )
    services.set_funding_plan(actor=None, programme=programme, shares=seed_funding(municipality))
    return programme


# Fictional suppliers, orders and invoices for the demo (the seed sheet has none): enough
# for every column of the dashboard to show something, and one invoice paid after the
# eligibility window so that its alert shows too.
# (budget line label starts with, supplier, order number, order date, HT,
#  [(invoice number, invoice date, HT, payment date or None)])
DEMO_ORDERS: tuple[
    tuple[str, str, str, dt.date, int, tuple[tuple[str, dt.date, int, dt.date | None], ...]],
    ...,
] = (
    (
        "Raccordement",
        "Fibre Océane",
        "BC-2021-0412",
        dt.date(2021, 9, 20),
        330_000,
        (
            ("FO-21-118", dt.date(2021, 12, 15), 150_000, dt.date(2022, 1, 20)),
            ("FO-22-051", dt.date(2022, 6, 30), 150_000, dt.date(2022, 8, 2)),
        ),
    ),
    (
        "Achat et déploiement de switches",
        "Armor Réseaux",
        "BC-2021-0455",
        dt.date(2021, 10, 4),
        118_500,
        (("AR-2022-007", dt.date(2022, 2, 10), 118_500, dt.date(2022, 3, 18)),),
    ),
    (
        "Mise en place d'un réseau WiFi",
        "Armor Réseaux",
        "BC-2022-0102",
        dt.date(2022, 3, 1),
        29_400,
        (("AR-2022-031", dt.date(2022, 9, 5), 29_400, dt.date(2022, 10, 12)),),
    ),
    (
        "PC portables",
        "Bureautique de l'Ouest",
        "BC-2022-0230",
        dt.date(2022, 5, 16),
        127_200,
        (("BO-5531", dt.date(2022, 8, 29), 127_200, dt.date(2022, 9, 30)),),
    ),
    (
        "Écrans numériques interactifs",
        "Salles Connectées",
        "BC-2023-0077",
        dt.date(2023, 2, 13),
        364_000,
        (
            ("SC-23-0190", dt.date(2023, 7, 7), 182_000, dt.date(2023, 9, 1)),
            ("SC-23-0412", dt.date(2023, 12, 18), 182_000, dt.date(2024, 1, 16)),
        ),
    ),
    (
        "Logiciel UEM",
        "Parc Logiciel",
        "BC-2023-0140",
        dt.date(2023, 4, 3),
        88_000,
        (("PL-2023-88", dt.date(2023, 10, 2), 88_000, None),),
    ),
)


def _line(label: str, amount: int, rate: Decimal) -> services.LineInput:
    ht = Decimal(amount)
    vat = money.vat(ht, rate)
    return services.LineInput(label, ht, rate, vat, ht + vat)


@transaction.atomic
def load_demo_spending(programme: Programme) -> int:
    """Fictional orders and invoices on ``programme``'s lines, through the services.

    Returns the number of invoices written."""
    lines = list(BudgetLine.objects.filter(objective__axis__programme=programme))
    suppliers: dict[str, Supplier] = {}
    invoices = 0
    for prefix, supplier_name, number, order_date, amount, bills in DEMO_ORDERS:
        budget_line = next(x for x in lines if x.label.startswith(prefix))
        if supplier_name not in suppliers:
            suppliers[supplier_name] = services.create_supplier(
                actor=None, municipality=programme.municipality, name=supplier_name
            )
        order = services.create_order(
            actor=None,
            programme=programme,
            supplier=suppliers[supplier_name],
            budget_line=budget_line,
            number=number,
            order_date=order_date,
            lines=[_line(budget_line.label, amount, budget_line.vat_rate)],
        )
        for invoice_number, invoice_date, invoice_amount, paid_on in bills:
            services.create_invoice(
                actor=None,
                order=order,
                number=invoice_number,
                invoice_date=invoice_date,
                payment_date=paid_on,
                mandate_number=f"M-{paid_on.year}-{invoices + 101}" if paid_on else "",
                lines=[_line(budget_line.label, invoice_amount, budget_line.vat_rate)],
            )
            invoices += 1
    return invoices


DEMO_QUANTITIES = {
    Milestone.CABLING: 24,
    Milestone.SWITCH: 2,
    Milestone.WIFI: 6,
    Milestone.UPS: 1,
    Milestone.THIN_CLIENTS: 12,
    Milestone.TEACHER_LAPTOPS: 8,
    Milestone.DISPLAYS: 6,
    Milestone.TABLETS: 30,
}
DEMO_FIRST_DAY = dt.date(2021, 9, 1)
DEMO_LAST_DAY = dt.date(2023, 12, 31)


def _demo_state(milestone: SiteMilestone, site_index: int, kind_index: int) -> None:
    """Where one demo milestone stands: sites are at different stages, deterministically;
    most are done, the next step is in progress, and one site in seven is blocked."""
    done_steps = 12 - (site_index * 5) % 9  # 4 to 12 steps done
    planned = milestone.planned_on or DEMO_FIRST_DAY
    if kind_index < done_steps:
        late = dt.timedelta(days=(site_index * 11 + kind_index * 3) % 45)
        milestone.status = SiteMilestone.Status.DONE
        milestone.done_on = min(max(planned + late, DEMO_FIRST_DAY), DEMO_LAST_DAY)
        quantity = DEMO_QUANTITIES.get(Milestone(milestone.kind))
        milestone.quantity = quantity + site_index % 7 if quantity else None
        milestone.evidence = f"PV de réception n° {site_index + 1:03d}-{kind_index + 1:02d}"
    elif kind_index == done_steps:
        blocked = site_index % 7 == 3
        milestone.status = (
            SiteMilestone.Status.BLOCKED if blocked else SiteMilestone.Status.IN_PROGRESS
        )
        milestone.evidence = "En attente du raccordement électrique" if blocked else ""


@transaction.atomic
def load_demo_rollout(programme: Programme) -> int:
    """Plausible milestones for every site of ``programme``'s municipality: the checklist
    through the service, then the states in one bulk update. Returns the milestones count."""
    services.plan_site_milestones(programme, actor=None)
    milestones = list(programme.site_milestones.all())
    site_order = {
        pk: i
        for i, pk in enumerate(
            Site.objects.filter(municipality_id=programme.municipality_id)
            .order_by("name", "pk")
            .values_list("pk", flat=True)
        )
    }
    for milestone in milestones:
        _demo_state(milestone, site_order[milestone.site_id], milestone.kind_number - 1)
    SiteMilestone.objects.bulk_update(
        milestones, ["status", "done_on", "quantity", "evidence"], batch_size=500
    )
    return len(milestones)
