"""Suppliers, orders and invoices: the bad-input rules, eligibility flags and the figures."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from preau.core.access import VIEW, restrict
from preau.core.models import AuditEvent
from preau.programme import money, services
from preau.programme.figures import figures_of, spending_of, with_structure
from preau.programme.models import (
    BudgetLine,
    Invoice,
    InvoiceLine,
    Order,
    OrderLine,
    Programme,
    Supplier,
)
from preau.programme.seed import load_seed_programme
from preau.programme.services import LineInput, ProgrammeError

D = dt.date


@pytest.fixture(autouse=True)
def _english():
    """The messages are checked in English, the source language."""
    with translation.override("en"):
        yield


def line(ht: str, vat: str | None = None, ttc: str | None = None, rate: str = "20") -> LineInput:
    vat = vat if vat is not None else str(money.vat(Decimal(ht), Decimal(rate)))
    ttc = ttc if ttc is not None else str(Decimal(ht) + Decimal(vat))
    return LineInput(
        label="Switch 48 ports", amount_ht=ht, vat_rate=rate, vat_amount=vat, amount_ttc=ttc
    )


@pytest.fixture
def switches(seed) -> BudgetLine:
    return BudgetLine.objects.get(objective__axis__programme=seed, label__contains="switches")


@pytest.fixture
def supplier(world, officer) -> Supplier:
    return services.create_supplier(actor=officer, municipality=world.lorient, name="Réseaux SA")


@pytest.fixture
def order(seed, officer, supplier, switches) -> Order:
    return services.create_order(
        actor=officer,
        programme=seed,
        supplier=supplier,
        budget_line=switches,
        number="BC-2022-001",
        order_date=D(2022, 3, 1),
        lines=[line("50000.00"), line("10000.00")],
    )


def _invoice(order, officer, number="F-1", ht="20000.00", **kw):
    args = {
        "actor": officer,
        "order": order,
        "number": number,
        "invoice_date": D(2022, 6, 1),
        "lines": [line(ht)],
    } | kw
    return services.create_invoice(**args)


def _figures(programme):
    programme = with_structure(Programme.objects.filter(pk=programme.pk)).get()
    return figures_of(programme, D(2022, 1, 1), spending_of([programme.pk]))


def test_order_is_written_with_its_lines_and_audited(order):
    assert list(order.lines.values_list("amount_ht", "vat_amount", "amount_ttc")) == [
        (Decimal("50000.00"), Decimal("10000.00"), Decimal("60000.00")),
        (Decimal("10000.00"), Decimal("2000.00"), Decimal("12000.00")),
    ]
    event = AuditEvent.objects.get(action="programme.order_created")
    assert event.data["amount_ht"] == "60000.00"


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ([], "At least one line"),
        ([line("0")], "greater than zero"),
        ([line("-100")], "greater than zero"),
        (
            [line("100.00", vat="20.01")],
            r"VAT 20.01 does not match 100.00 × 20.00 % \(expected 20.00\)",
        ),
        ([line("10.05", vat="2.00")], "expected 2.01"),  # 2.01 is 10.05 × 20 % half-up
        ([line("100.00", vat="20.00", ttc="120.01")], "incl. VAT 120.01 is not 120.00"),
        ([line("100.00", rate="120")], "between 0 and 100"),
    ],
)
def test_order_lines_are_checked(seed, officer, supplier, switches, lines, message):
    with pytest.raises(ProgrammeError, match=message):
        services.create_order(
            actor=officer,
            programme=seed,
            supplier=supplier,
            budget_line=switches,
            number="BC-X",
            order_date=D(2022, 3, 1),
            lines=lines,
        )
    assert not Order.objects.exists()
    assert not OrderLine.objects.exists()


def test_order_refuses_unknown_budget_line_supplier_and_duplicate_number(
    world, seed, officer, supplier, switches, order
):
    vannes_programme = load_seed_programme(world.vannes)
    foreign_line = BudgetLine.objects.get(
        objective__axis__programme=vannes_programme, label__contains="switches"
    )
    foreign_supplier = services.create_supplier(
        actor=None, municipality=world.vannes, name="Réseaux SA"
    )
    base = {
        "actor": officer,
        "programme": seed,
        "order_date": D(2022, 3, 1),
        "lines": [line("100.00")],
    }
    with pytest.raises(ProgrammeError, match="Unknown budget line"):
        services.create_order(supplier=supplier, budget_line=foreign_line, number="X1", **base)
    with pytest.raises(ProgrammeError, match="Unknown supplier"):
        services.create_order(supplier=foreign_supplier, budget_line=switches, number="X2", **base)
    with pytest.raises(ProgrammeError, match="already exists"):
        services.create_order(supplier=supplier, budget_line=switches, number="BC-2022-001", **base)
    assert list(Order.objects.values_list("number", flat=True)) == ["BC-2022-001"]


def test_supplier_names_are_unique_per_municipality(world, officer, supplier):
    with pytest.raises(ProgrammeError, match="already exists"):
        services.create_supplier(actor=officer, municipality=world.lorient, name="réseaux sa")


def test_invoices_may_reach_the_order_but_not_exceed_it(order, officer):
    _invoice(order, officer, "F-1", "20000.00")
    _invoice(order, officer, "F-2", "40000.00")  # 60,000.00: exactly the order
    with pytest.raises(
        ProgrammeError, match=r"exceed it: 60000.01 € excl. VAT invoiced for 60000.00"
    ):
        _invoice(order, officer, "F-3", "0.01")
    assert list(Invoice.objects.values_list("number", flat=True)) == ["F-1", "F-2"]
    assert InvoiceLine.objects.count() == 2


def test_invoice_number_is_unique_per_supplier(world, seed, officer, order, switches):
    _invoice(order, officer, "F-1")
    with pytest.raises(ProgrammeError, match="Réseaux SA already has an invoice numbered F-1"):
        _invoice(order, officer, "F-1", "1.00")
    other = services.create_supplier(actor=officer, municipality=world.lorient, name="Câbles")
    other_order = services.create_order(
        actor=officer,
        programme=seed,
        supplier=other,
        budget_line=switches,
        number="BC-2",
        order_date=D(2022, 3, 1),
        lines=[line("100.00")],
    )
    _invoice(other_order, officer, "F-1", "100.00")  # another supplier's F-1 is fine
    assert Invoice.objects.filter(number="F-1").count() == 2


def test_payment_before_invoice_is_refused(order, officer):
    with pytest.raises(ProgrammeError, match="payment date is before the invoice date"):
        _invoice(order, officer, payment_date=D(2022, 5, 31))
    assert not Invoice.objects.exists()
    invoice = _invoice(order, officer)
    with pytest.raises(ProgrammeError, match="payment date is before the invoice date"):
        services.record_payment(actor=officer, invoice=invoice, payment_date=D(2022, 5, 31))
    invoice.refresh_from_db()
    assert invoice.payment_date is None
    services.record_payment(
        actor=officer, invoice=invoice, payment_date=D(2022, 6, 1), mandate_number="M-12"
    )
    invoice.refresh_from_db()
    assert (invoice.payment_date, invoice.mandate_number) == (D(2022, 6, 1), "M-12")


@pytest.mark.parametrize(
    ("invoice_date", "payment_date", "flags"),
    [
        (D(2020, 2, 1), D(2023, 12, 31), []),  # both edges are inside
        (D(2020, 1, 31), D(2020, 2, 1), ["invoice_date_outside_window"]),
        (D(2023, 12, 31), D(2024, 1, 1), ["payment_date_outside_window"]),
        (D(2024, 1, 2), None, ["invoice_date_outside_window"]),
    ],
)
def test_dates_outside_the_window_are_accepted_and_flagged(
    seed, order, officer, invoice_date, payment_date, flags
):
    invoice = _invoice(order, officer, invoice_date=invoice_date, payment_date=payment_date)
    assert services.eligibility_flags(invoice, seed) == flags
    assert AuditEvent.objects.get(action="programme.invoice_created").data["flags"] == flags
    flagged = _figures(seed).flagged_invoices
    assert [f.invoice for f in flagged] == ([invoice] if flags else [])


def test_figures_sum_orders_and_invoices_per_line_and_axis(seed, order, officer, switches):
    _invoice(order, officer, "F-1", "20000.00", payment_date=D(2022, 7, 1))
    _invoice(order, officer, "F-2", "10000.00")
    fig = _figures(seed)
    axis1 = fig.axes[0]
    line_fig = next(lf.fig for o in axis1.objectives for lf in o.lines if lf.line == switches)
    assert (line_fig.committed.ht, line_fig.committed.ttc) == (
        Decimal("60000.00"),
        Decimal("72000.00"),
    )
    assert (line_fig.invoiced.ht, line_fig.paid.ht, line_fig.paid.ttc) == (
        Decimal("30000.00"),
        Decimal("20000.00"),
        Decimal("24000.00"),
    )
    assert axis1.fig.committed.ht == fig.fig.committed.ht == Decimal("60000.00")
    assert fig.axes[1].fig.committed.ht == Decimal("0")
    assert fig.fig.paid.ht == Decimal("20000.00")
    assert line_fig.committed_percent == Decimal("50.00")  # of 120,000.00
    assert fig.lines_over_budget == []


def test_over_budget_line_is_an_alert_on_the_page(world, seed, officer, supplier):
    ups = BudgetLine.objects.get(objective__axis__programme=seed, label__contains="onduleurs")
    services.create_order(
        actor=officer,
        programme=seed,
        supplier=supplier,
        budget_line=ups,
        number="BC-UPS",
        order_date=D(2022, 3, 1),
        lines=[line("8000.01")],  # the line's budget is 8,000.00
    )
    assert [x.pk for x in _figures(seed).lines_over_budget] == [ups.pk]
    html = world.client_for(officer).get(reverse("programme:detail", args=[seed.pk])).text
    assert "programme-over" in html
    assert ups.label.replace("'", "&#x27;") in html


def test_chain_rows_follow_the_access_rules(world, seed, order, officer, technician):
    _invoice(order, officer)
    for model in (Supplier, Order, OrderLine, Invoice, InvoiceLine):
        total = model.objects.count()
        assert restrict(officer, model, VIEW).count() == total > 0
        assert restrict(world.city_admin, model, VIEW).count() == total
        for user in (technician, world.a.director, world.vannes_admin, world.parent):
            assert restrict(user, model, VIEW).count() == 0


def test_invoice_outside_the_window_is_an_alert_on_both_pages(world, seed, order, officer):
    _invoice(order, officer, "F-LATE", invoice_date=D(2023, 12, 20), payment_date=D(2024, 1, 5))
    client = world.client_for(officer)
    for url in (reverse("programme:detail", args=[seed.pk]), reverse("programme:dashboard")):
        html = client.get(url, HTTP_ACCEPT_LANGUAGE="en").text
        assert "Invoice F-LATE (Réseaux SA): paid outside the eligibility window" in html
        html = client.get(url, HTTP_ACCEPT_LANGUAGE="fr").text
        assert "Facture F-LATE (Réseaux SA) : payée hors de la période" in html


def test_an_order_with_invoices_cannot_be_deleted_alone(world, order, officer, supplier):
    from django.db.models import RestrictedError

    from preau.directory.models import Municipality

    _invoice(order, officer)
    with pytest.raises(RestrictedError):
        order.delete()
    with pytest.raises(RestrictedError):
        supplier.delete()
    with pytest.raises(RestrictedError):
        order.programme.delete()
    # A municipality with nothing else (what `preau demo --reset` erases) takes its whole
    # programme chain with it.
    quimper = Municipality.objects.create(name="Quimper", insee_code="29232", slug="quimper")
    programme = load_seed_programme(quimper)
    from preau.programme.seed import load_demo_spending

    load_demo_spending(programme)
    quimper.delete()
    assert not Invoice.objects.filter(order__programme=programme).exists()
    assert Invoice.objects.count() == 1  # Lorient's stays
