"""Amounts of orders and invoices for the chain's lists, as subqueries: one query per
list whatever its length, and no join that would count a line twice."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, TypeVar

from django.db.models import DecimalField, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from preau.programme.models import InvoiceLine, OrderLine

M = TypeVar("M", bound=Any)
MONEY: DecimalField[Decimal, Decimal] = DecimalField(max_digits=16, decimal_places=2)


def _sum(model: Any, link: str, field: str) -> Coalesce:
    total = (
        model.objects.filter(**{link: OuterRef("pk")})
        .order_by()
        .values(link)
        .annotate(s=Sum(field))
        .values("s")[:1]
    )
    return Coalesce(Subquery(total, output_field=MONEY), Value(Decimal("0.00")), output_field=MONEY)


def with_order_sums(orders: QuerySet[M]) -> QuerySet[M]:
    """Orders with ``ht``, ``ttc`` (their lines) and ``invoiced_ht`` (their invoices)."""
    return orders.annotate(
        ht=_sum(OrderLine, "order", "amount_ht"),
        ttc=_sum(OrderLine, "order", "amount_ttc"),
        invoiced_ht=_sum(InvoiceLine, "invoice__order", "amount_ht"),
    )


def with_invoice_sums(invoices: QuerySet[M]) -> QuerySet[M]:
    """Invoices with ``ht`` and ``ttc`` (their lines)."""
    return invoices.annotate(
        ht=_sum(InvoiceLine, "invoice", "amount_ht"),
        ttc=_sum(InvoiceLine, "invoice", "amount_ttc"),
    )
