"""Shared by the structure, chain, files and history tests (test_edit*, test_files*,
test_history*): who is who, the demo spending, forms as a browser posts them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from preau.programme import money
from preau.programme.models import BudgetLine, Claim, Invoice, Order, Programme, Supplier
from preau.programme.seed import load_demo_spending

# Those who must get a 404 on every programme page (the technician and Vannes' officer
# hold a city role; the director, a teacher and a parent hold none for programmes).
OUTSIDERS = ("vannes_officer", "technician", "director", "teacher", "parent")
STAFF = ("officer", "city_admin")


def persona(world: Any, name: str, officer: Any, technician: Any, vannes_officer: Any) -> Any:
    return {
        "officer": officer,
        "city_admin": world.city_admin,
        "vannes_officer": vannes_officer,
        "technician": technician,
        "director": world.a.director,
        "teacher": world.a.teachers[0],
        "parent": world.parent,
    }[name]


def with_spending(seed: Programme) -> Programme:
    """The seed programme with the demo's suppliers, 6 orders and 8 invoices."""
    load_demo_spending(seed)
    return seed


def order_of(number: str) -> Order:
    return Order.objects.select_related("supplier", "programme").get(number=number)


def invoice_of(number: str) -> Invoice:
    return Invoice.objects.select_related("order__programme", "supplier").get(number=number)


def switches(programme: Programme) -> BudgetLine:
    return BudgetLine.objects.get(objective__axis__programme=programme, label__contains="switches")


def supplier(name: str) -> Supplier:
    return Supplier.objects.get(name=name)


def line_rows(*rows: tuple[str, ...], prefix: str = "line", initial: int = 0) -> dict[str, str]:
    """A line formset as posted: rows of (label, HT[, rate[, VAT[, TTC]]])."""
    data = {
        f"{prefix}-TOTAL_FORMS": str(max(len(rows), 1)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        label, ht, rate, vat, ttc = (*row, *("",) * (5 - len(row)))
        data |= {
            f"{prefix}-{i}-label": label,
            f"{prefix}-{i}-amount_ht": ht,
            f"{prefix}-{i}-vat_rate": rate or "20",
            f"{prefix}-{i}-vat_amount": vat,
            f"{prefix}-{i}-amount_ttc": ttc,
        }
    return data


def submitted_claim(programme: Programme, number: int = 1) -> Claim:
    return Claim.objects.create(
        programme=programme,
        number=number,
        status=Claim.Status.SUBMITTED,
        submitted_at="2024-01-10T10:00:00Z",
        total_ht=Decimal(1),
        total_ttc=Decimal(1),
        requested=Decimal(1),
    )


def draft_claim(programme: Programme, number: int = 1) -> Claim:
    return Claim.objects.create(programme=programme, number=number)


def ttc(ht: str, rate: str = "20") -> str:
    return str(money.ttc(Decimal(ht), Decimal(rate)))


def en_client(world: Any, user: Any) -> Any:
    """A logged-in client whose pages come in English (the messages' source language)."""
    client = world.client_for(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client
