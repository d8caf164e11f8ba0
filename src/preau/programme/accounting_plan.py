"""What an accounting import would do: the plan ``accounting_match`` makes and
``accounting_import`` applies (no database access here)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from preau.core.search import fold
from preau.directory.models import Site
from preau.programme import money
from preau.programme.accounting_csv import Issue
from preau.programme.accounting_rows import InvoiceRecord, OrderRecord
from preau.programme.models import BudgetLine, Contract, Invoice, Order, Supplier

CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"


def key(value: str) -> str:
    """A name as compared: no accents, no case, single spaces."""
    return " ".join(fold(value).split())


@dataclass
class NewSupplier:
    name: str
    siret: str
    line: int


@dataclass
class PlannedOrder:
    record: OrderRecord
    action: str = CREATE
    supplier: Supplier | None = None  # recorded
    new_supplier: NewSupplier | None = None  # to create
    budget_line: BudgetLine | None = None
    budget_code: str = ""
    sites: list[Site] = field(default_factory=list)
    contract: Contract | None = None
    existing: Order | None = None
    changes: list[str] = field(default_factory=list)

    @property
    def supplier_name(self) -> str:
        if self.supplier is not None:
            return self.supplier.name
        return self.new_supplier.name if self.new_supplier else self.record.supplier

    @property
    def total_ht(self) -> Decimal:
        return money.total(line.amount_ht for line in self.record.lines)


@dataclass
class PlannedInvoice:
    record: InvoiceRecord
    supplier_name: str
    action: str = CREATE
    order: Order | None = None  # the recorded engagement, if it is recorded
    existing: Invoice | None = None
    changes: list[str] = field(default_factory=list)
    pay: bool = False
    chorus: bool = False

    @property
    def total_ht(self) -> Decimal:
        return money.total(line.amount_ht for line in self.record.lines)


@dataclass
class AccountingPlan:
    rows: int = 0
    orders: list[PlannedOrder] = field(default_factory=list)
    invoices: list[PlannedInvoice] = field(default_factory=list)
    new_suppliers: dict[str, NewSupplier] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    file_error: str = ""

    @property
    def is_valid(self) -> bool:
        return not self.file_error and not self.issues

    def all_issues(self) -> list[Issue]:
        whole = [Issue(0, "", self.file_error)] if self.file_error else []
        return whole + sorted(self.issues, key=lambda i: (i.line, i.column))

    def counts(self) -> dict[str, int]:
        def count(items: Iterable[PlannedOrder | PlannedInvoice], action: str) -> int:
            return sum(1 for item in items if item.action == action)

        return {
            "rows": self.rows,
            "suppliers_created": len(self.new_suppliers),
            "orders_created": count(self.orders, CREATE),
            "orders_updated": count(self.orders, UPDATE),
            "orders_unchanged": count(self.orders, UNCHANGED),
            "invoices_created": count(self.invoices, CREATE),
            "invoices_updated": count(self.invoices, UPDATE),
            "invoices_unchanged": count(self.invoices, UNCHANGED),
            "payments_recorded": sum(
                1
                for i in self.invoices
                if i.pay or (i.action == CREATE and i.record.payment_date is not None)
            ),
            "problems": len(self.all_issues()),
        }

    @property
    def changes_anything(self) -> bool:
        counts = self.counts()
        return any(counts[k] for k in counts if k.endswith(("created", "updated", "recorded")))
