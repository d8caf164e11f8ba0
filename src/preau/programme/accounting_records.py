"""What an accounting import is matched against: the programme's and its municipality's
records, read once (about a dozen queries whatever the size of the file)."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Sum

from preau.directory.models import School, Site
from preau.programme import money
from preau.programme.accounting_plan import key
from preau.programme.figures import line_codes, with_structure
from preau.programme.models import (
    BudgetLine,
    Contract,
    Invoice,
    InvoiceLine,
    Order,
    OrderLine,
    Programme,
    Supplier,
)


class Records:
    """What the programme and its municipality hold, read once (about a dozen queries)."""

    def __init__(self, programme: Programme) -> None:
        municipality_id = programme.municipality_id
        structured = with_structure(Programme.objects.filter(pk=programme.pk)).get()
        self.codes = line_codes(structured)
        lines = [
            line
            for axis in structured.axes.all()
            for objective in axis.objectives.all()
            for line in objective.lines.all()
        ]
        self.line_by_code = {self.codes[line.pk]: line for line in lines}
        self.lines_by_label: dict[str, list[BudgetLine]] = {}
        for line in lines:
            self.lines_by_label.setdefault(key(line.label), []).append(line)
        suppliers = list(Supplier.objects.filter(municipality_id=municipality_id))
        self.supplier_by_siret = {s.siret: s for s in suppliers if s.siret}
        self.supplier_by_name = {key(s.name): s for s in suppliers}
        self.site_by_name: dict[str, list[Site]] = {}
        for site in Site.objects.filter(municipality_id=municipality_id):
            self.site_by_name.setdefault(key(site.name), []).append(site)
        self.site_by_uai: dict[str, Site] = {}
        for school in School.objects.filter(municipality_id=municipality_id).select_related("site"):
            self.site_by_uai[school.uai.upper()] = school.site
            self.site_by_name.setdefault(key(school.name), []).append(school.site)
        self.contracts = {
            key(c.reference): c
            for c in Contract.objects.filter(programme=programme).select_related("supplier")
        }
        self.orders = {
            o.number: o
            for o in Order.objects.filter(programme=programme)
            .select_related("supplier", "contract")
            .prefetch_related("lines", "sites")
        }
        self.invoiced: dict[int, tuple[Decimal, Decimal]] = {
            row["invoice__order_id"]: (
                money.to_money(row["ht"] or 0),
                money.to_money(row["ttc"] or 0),
            )
            for row in InvoiceLine.objects.filter(invoice__order__programme=programme)
            .values("invoice__order_id")
            .annotate(ht=Sum("amount_ht"), ttc=Sum("amount_ttc"))
            .order_by()
        }
        self.invoices = {
            (i.supplier_id, i.number): i
            for i in Invoice.objects.filter(supplier__municipality_id=municipality_id)
            .select_related("order", "claim")
            .prefetch_related("lines")
        }
        self.chorus = {i.chorus_id: i for i in self.invoices.values() if i.chorus_id}
        self.under_contract: dict[int, Decimal] = {
            row["order__contract_id"]: money.to_money(row["ht"] or 0)
            for row in OrderLine.objects.filter(
                order__programme=programme, order__contract__isnull=False
            )
            .values("order__contract_id")
            .annotate(ht=Sum("amount_ht"))
            .order_by()
        }
