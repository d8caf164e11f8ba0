"""The programme's orders and invoices seen from the fleet (no writes).

An asset names the order it was bought with; whether its page links to the programme's
order page is the programme's decision, asked of the access kernel. Delivery files name
orders by number: ``by_number`` says which number is one order of the municipality.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from preau.core.access import restrict
from preau.programme.models import Invoice, Order


def visible_orders(user: Any, order_ids: Iterable[int | None]) -> frozenset[int]:
    """Those of ``order_ids`` whose programme page ``user`` may open (one query at most)."""
    wanted = {pk for pk in order_ids if pk is not None}
    if not wanted:
        return frozenset()
    return frozenset(restrict(user, Order).filter(pk__in=wanted).values_list("pk", flat=True))


def visible_invoice(user: Any, invoice_id: int | None) -> bool:
    if invoice_id is None:
        return False
    return restrict(user, Invoice).filter(pk=invoice_id).exists()


def by_number(municipality_id: int) -> dict[str, Order | None]:
    """The municipality's orders by number (upper case); ``None`` where two programmes
    share a number (the file cannot say which one it means)."""
    found: dict[str, Order | None] = {}
    orders = Order.objects.filter(programme__municipality_id=municipality_id)
    for order in orders.select_related("supplier"):
        key = order.number.upper()
        found[key] = None if key in found else order
    return found


def invoices_by_number(orders: Iterable[Order]) -> dict[tuple[int, str], Invoice]:
    """The invoices of ``orders``, keyed on (order, invoice number)."""
    return {
        (invoice.order_id, invoice.number.upper()): invoice
        for invoice in Invoice.objects.filter(order__in=[o.pk for o in orders])
    }
