"""The dashboard's figures: claimed and received, the charts over time, the claims cap."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from preau.programme.charts import month_range, nice_ceiling
from preau.programme.figures import apportion, figures_of, spending_of, with_structure
from preau.programme.models import Claim, ClaimLine, Invoice, Programme
from preau.programme.seed import load_demo_spending

D = dt.date
TODAY = D(2025, 1, 1)
SUBMITTED = D(2023, 3, 15)
EN = {"accept-language": "en"}


@pytest.fixture
def spent(seed):
    load_demo_spending(seed)
    return seed


def _claim(programme, number, invoices, *, status="submitted", kind="interim", requested="0",
           received=None, submitted=SUBMITTED):  # fmt: skip
    rows = list(Invoice.objects.filter(number__in=invoices).prefetch_related("lines"))
    total_ht = sum((line.amount_ht for i in rows for line in i.lines.all()), Decimal(0))
    total_ttc = sum((line.amount_ttc for i in rows for line in i.lines.all()), Decimal(0))
    locked = status != Claim.Status.DRAFT
    claim = Claim.objects.create(
        programme=programme,
        number=number,
        kind=kind,
        status=status,
        submitted_at=(
            timezone.make_aware(dt.datetime.combine(submitted, dt.time(10))) if locked else None
        ),
        total_ht=total_ht if locked else None,
        total_ttc=total_ttc if locked else None,
        requested=Decimal(requested) if locked else None,
        received_amount=Decimal(received) if received else None,
        received_on=D(2023, 6, 1) if received else None,
    )
    for position, invoice in enumerate(rows):
        invoice.claim = claim
        invoice.save(update_fields=["claim"])
        if locked:
            assert invoice.payment_date is not None
            lines = list(invoice.lines.all())
            ClaimLine.objects.create(
                claim=claim,
                invoice=invoice,
                position=position,
                heading="Axe",
                supplier=invoice.supplier.name,
                invoice_number=invoice.number,
                invoice_date=invoice.invoice_date,
                payment_date=invoice.payment_date,
                amount_ht=sum((x.amount_ht for x in lines), Decimal(0)),
                amount_ttc=sum((x.amount_ttc for x in lines), Decimal(0)),
            )
    return claim


def _figures(programme, today=TODAY):
    programme = with_structure(Programme.objects.filter(pk=programme.pk)).get()
    return figures_of(programme, today, spending_of([programme.pk]))


def _line(fig, label_start):
    return next(
        lf
        for a in fig.axes
        for o in a.objectives
        for lf in o.lines
        if lf.line.label.startswith(label_start)
    )


def test_claimed_and_received_per_line_axis_and_total(spent):
    _claim(spent, 1, ["FO-21-118", "AR-2022-007"], requested="161100.00")
    _claim(spent, 2, ["BO-5531", "AR-2022-031"], status="received", requested="93960.00",
           received="90000.00")  # fmt: skip
    _claim(spent, 3, ["SC-23-0190"], status="draft")  # a draft claims nothing yet
    fig = _figures(spent)
    fibre = _line(fig, "Raccordement")
    assert (fibre.code, fibre.fig.claimed.ht, fibre.fig.claimed.ttc) == (
        "1.1.1",
        Decimal("150000.00"),
        Decimal("180000.00"),
    )
    assert fibre.fig.claimed.vat == Decimal("30000.00")
    assert fibre.fig.received == 0
    laptops = _line(fig, "PC portables")
    wifi = _line(fig, "Mise en place d'un réseau WiFi")
    # 90,000.00 received for 127,200 + 29,400 = 156,600.00 claimed, pro rata, to the cent.
    assert laptops.fig.received == Decimal("73103.45")
    assert wifi.fig.received == Decimal("16896.55")
    assert _line(fig, "Écrans numériques interactifs").fig.claimed.ht == 0
    assert fig.fig.claimed.ht == Decimal("425100.00")
    assert fig.fig.received == Decimal("90000.00")
    axis1, axis2 = fig.axes
    assert axis1.fig.claimed.ht == Decimal("297900.00")
    assert axis2.fig.received == Decimal("73103.45")
    assert axis1.fig.claimed.ttc + axis2.fig.claimed.ttc == fig.fig.claimed.ttc


def test_apportion_rounds_each_share_and_keeps_the_total():
    assert apportion(Decimal("100.00"), {1: Decimal(1), 2: Decimal(1), 3: Decimal(1)}) == {
        1: Decimal("33.34"),
        2: Decimal("33.33"),
        3: Decimal("33.33"),
    }
    shares = apportion(Decimal("1000.00"), {7: Decimal("1.00"), 8: Decimal("2.00")})
    assert shares == {7: Decimal("333.33"), 8: Decimal("666.67")}
    assert apportion(Decimal("5.00"), {}) == {}


@pytest.mark.parametrize(
    ("requested", "kind", "reached"),
    [("876480.00", "interim", True), ("876479.99", "interim", False), ("900000", "final", False)],
)
def test_interim_cap_alert(world, spent, officer, requested, kind, reached):
    # Grant: 60 % of the eligible 1,826,000.00 = 1,095,600.00; cap 80 % = 876,480.00.
    _claim(spent, 1, ["FO-21-118"], kind=kind, requested=requested)
    fig = _figures(spent)
    assert (fig.interim.grant, fig.interim.cap) == (Decimal("1095600.00"), Decimal("876480.00"))
    assert fig.interim.reached is reached
    html = world.client_for(officer).get(reverse("programme:detail", args=[spent.pk]), headers=EN)
    assert ("Interim claims cap reached" in html.text) is reached
    dash = world.client_for(officer).get(reverse("programme:dashboard"), headers=EN)
    assert ("Interim claims cap reached" in dash.text) is reached


def test_charts_run_month_by_month_from_the_start_of_works(spent):
    _claim(spent, 1, ["FO-21-118", "AR-2022-007"], submitted=D(2022, 4, 20))
    charts = _figures(spent).charts
    months = charts.spending.months
    assert (months[0], months[-1], len(months)) == (D(2021, 9, 1), D(2024, 1, 1), 29)
    curves = {c.key: c for c in charts.spending.curves}
    assert curves["committed"].last == Decimal("1057100.00")
    assert curves["invoiced"].last == Decimal("1027100.00")
    assert curves["paid"].last == Decimal("939100.00")
    assert curves["claimed"].last == Decimal("268500.00")
    assert curves["committed"].values[0] == Decimal("330000.00")  # BC-2021-0412, 09/2021
    assert curves["claimed"].values[months.index(D(2022, 3, 1))] == 0
    assert curves["claimed"].values[months.index(D(2022, 4, 1))] == Decimal("268500.00")
    # Cumulative: never decreasing.
    for curve in curves.values():
        assert curve.values == sorted(curve.values)
    axis1, axis2 = charts.axes.curves
    # Axis 1 paid 150,000 + 150,000 + 118,500 + 29,400 = 447,900 of 720,000.00.
    assert axis1.last == Decimal("62.21")
    assert axis2.last == Decimal("44.41")  # 127,200 + 182,000 + 182,000 of 1,106,000.00
    assert len(curves["paid"].points.split()) == 29
    assert charts.spending.reference.value == Decimal("1826000.00")


def test_month_range_follows_the_records_and_today(seed):
    months = month_range(seed, [], D(2022, 3, 10))
    assert (months[0], months[-1]) == (D(2021, 9, 1), D(2022, 3, 1))
    early = month_range(seed, [D(2021, 5, 1)], D(2030, 1, 1))
    assert (early[0], early[-1]) == (D(2021, 5, 1), D(2023, 12, 1))


@pytest.mark.parametrize(
    ("value", "step"),
    [("0", "1"), ("3", "1"), ("1826000", "500000"), ("100", "25"), ("62.28", "20")],
)
def test_nice_ceiling(value, step):
    assert nice_ceiling(Decimal(value)) == Decimal(step)


def test_the_pages_draw_the_charts_with_a_table_alternative(world, spent, officer):
    _claim(spent, 1, ["FO-21-118"], status="received", requested="90000", received="90000")
    client = world.client_for(officer)
    html = client.get(reverse("programme:detail", args=[spent.pk]), headers=EN).text
    assert html.count('<svg viewBox="0 0 720 300"') == 2
    assert html.count("<polyline") == 4 + 2  # four series, two axes
    assert html.count("<details>") >= 2  # the figures as a table
    assert "The figures, month by month" in html
    assert re.search(r'points="104\.0,\d+\.\d ', html)  # coordinates never localised
    assert 'style="' not in html
    assert "<script>" not in html
    flat = re.sub(r"[\s\u00a0\u202f]", "", html)
    assert '<tdclass="moneyhide-sm">150,000.00</td><tdclass="moneyhide-sm">90,000.00' in flat
    dash = client.get(reverse("programme:dashboard"), headers=EN).text
    assert dash.count('<svg viewBox="0 0 720 300"') == 1
    assert "Claimed excl. VAT" in dash
