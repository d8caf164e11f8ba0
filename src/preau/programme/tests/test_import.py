"""Accounting import: reading, matching, all-or-nothing writing, idempotence, bad input."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from preau.core.models import AuditEvent
from preau.programme import services
from preau.programme.accounting_import import AccountingRejected, apply_import, build_plan
from preau.programme.models import Claim, Contract, Invoice, InvoiceLine, Order, OrderLine, Supplier
from preau.programme.tests.accounting_helpers import (
    HEADER,
    ROWS_2022,
    csv_bytes,
    fixture,
    with_cell,
)

D = dt.date


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _snapshot():
    return (
        list(Supplier.objects.values().order_by("pk")),
        list(Order.objects.values().order_by("pk")),
        list(OrderLine.objects.values().order_by("pk")),
        list(Invoice.objects.values().order_by("pk")),
        list(InvoiceLine.objects.values().order_by("pk")),
    )


def test_the_2022_export_is_previewed_then_applied_through_the_services(world, seed, officer):
    plan = build_plan(seed, fixture("export_2022.csv"))
    assert plan.is_valid, plan.all_issues()
    counts = plan.counts()
    assert (counts["suppliers_created"], counts["orders_created"], counts["invoices_created"]) == (
        2,
        2,
        3,
    )
    assert counts["payments_recorded"] == 1
    assert [o.budget_code for o in plan.orders] == ["1.1.1", "1.2.4"]
    assert Order.objects.count() == 0  # the preview writes nothing

    apply_import(programme=seed, data=fixture("export_2022.csv"), actor=officer)
    fibre = Order.objects.get(number="E2022-001")
    assert fibre.supplier.name == "Fibre Océane"
    assert fibre.supplier.siret == "12345678900012"
    assert fibre.budget_line.label == "Raccordement de 12 écoles au MAN"
    assert set(fibre.sites.all()) == {world.a.school.site, world.b.school.site}
    switches = Order.objects.get(number="E2022-002")
    assert [(line.label, line.amount_ht) for line in switches.lines.all()] == [
        ("Switches 48 ports", Decimal("10000.00")),
        ("Installation et configuration", Decimal("1500.00")),
    ]
    paid = Invoice.objects.get(number="FO-2022-11")
    assert (paid.payment_date, paid.mandate_number, paid.chorus_id) == (
        D(2022, 7, 25),
        "M-2022-0451",
        "CPP-2022-000123",
    )
    assert Invoice.objects.get(number="AR-551").payment_date is None
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert actions.count("programme.supplier_created") == 2
    assert actions.count("programme.order_created") == 2
    assert actions.count("programme.invoice_created") == 3
    assert actions.count("programme.accounting_imported") == 1
    created = AuditEvent.objects.get(action="programme.order_created", target_id=str(fibre.pk))
    assert created.data["sites"] == "Site A, Site B"


def test_importing_the_same_file_again_changes_nothing(world, seed, officer):
    apply_import(programme=seed, data=fixture("export_2022.csv"), actor=officer)
    before, events = _snapshot(), AuditEvent.objects.count()
    plan = apply_import(programme=seed, data=fixture("export_2022.csv"), actor=officer)
    counts = plan.counts()
    assert (counts["orders_unchanged"], counts["invoices_unchanged"]) == (2, 3)
    assert not plan.changes_anything
    assert _snapshot() == before
    assert AuditEvent.objects.count() == events + 1  # the import itself, nothing else


def test_a_later_export_records_the_new_payments(world, seed, officer):
    apply_import(programme=seed, data=fixture("export_2022.csv"), actor=officer)
    plan = apply_import(programme=seed, data=fixture("export_2023.csv"), actor=officer)
    counts = plan.counts()
    assert (counts["invoices_updated"], counts["invoices_created"]) == (2, 1)
    assert counts["invoices_unchanged"] == 1
    switches = Invoice.objects.get(number="AR-551")
    assert (switches.payment_date, switches.mandate_number, switches.chorus_id) == (
        D(2023, 1, 15),
        "M-2023-0012",
        "CPP-2022-000987",
    )
    assert Invoice.objects.get(number="FO-2022-19").payment_date == D(2022, 11, 20)
    # Payments through the payment service; the Chorus Pro number through the invoice's
    # edit service (its history shows the change).
    assert AuditEvent.objects.filter(action="programme.invoice_paid").count() == 1
    updated = AuditEvent.objects.get(action="programme.invoice_updated")
    assert updated.target_id == str(switches.pk)
    assert "chorus_id" in str(updated.data["changes"])
    # The 2022 file again: an empty payment date never erases a recorded one.
    plan = apply_import(programme=seed, data=fixture("export_2022.csv"), actor=officer)
    assert not plan.changes_anything
    assert Invoice.objects.get(number="AR-551").payment_date == D(2023, 1, 15)


def test_an_invoices_only_export_with_the_softwares_own_headers(world, seed, officer):
    apply_import(programme=seed, data=fixture("export_2022.csv"), actor=officer)
    plan = build_plan(seed, fixture("invoices_only.csv"))
    assert plan.is_valid, plan.all_issues()
    apply_import(programme=seed, data=fixture("invoices_only.csv"), actor=officer)
    invoice = Invoice.objects.get(number="AR-700")
    assert invoice.order.number == "E2022-002"
    assert invoice.payment_date == D(2023, 7, 3)


@pytest.mark.parametrize(
    ("encoding", "bom", "delimiter"),
    [
        ("cp1252", b"", ";"),
        ("utf-8", b"", ";"),
        ("utf-8", b"\xef\xbb\xbf", ";"),
        ("utf-8", b"", "\t"),
    ],
)
def test_encodings_and_delimiters_give_the_same_plan(seed, encoding, bom, delimiter):
    rows = [row.replace(";", delimiter) for row in ROWS_2022]
    data = bom + csv_bytes(rows, HEADER.replace(";", delimiter), encoding)
    plan = build_plan(seed, data)
    assert plan.is_valid, plan.all_issues()
    assert [o.supplier_name for o in plan.orders] == ["Fibre Océane", "Armor Réseaux"]
    assert [i.record.number for i in plan.invoices] == ["FO-2022-11", "AR-551", "FO-2022-19"]


def _issues(seed, rows, header=HEADER, encoding="cp1252"):
    plan = build_plan(seed, csv_bytes(rows, header, encoding))
    return plan, [(i.line, i.column, i.reason) for i in plan.all_issues()]


ORDER, SECOND_LINE, PAID = ROWS_2022[0], ROWS_2022[2], ROWS_2022[3]


@pytest.mark.parametrize(
    ("rows", "line", "column", "reason"),
    [
        ([with_cell(ORDER, "Ligne budgétaire", "9.9.9")], 2, "Ligne budgétaire", "code 9.9.9"),
        (
            [with_cell(ORDER, "Ligne budgétaire", "Piscine municipale")],
            2,
            "Ligne budgétaire",
            "unknown budget line",
        ),
        ([with_cell(ORDER, "Sites", "0561001A|Stade")], 2, "Sites", "unknown site “Stade”"),
        ([with_cell(ORDER, "Sites", "0562001V")], 2, "Sites", "unknown site"),  # Vannes
        ([with_cell(ORDER, "Montant HT", "100 000,0O")], 2, "Montant HT", "not a number"),
        ([with_cell(ORDER, "Montant HT", "-100,00")], 2, "Montant HT", "greater than zero"),
        ([with_cell(ORDER, "Montant HT", "100,001")], 2, "Montant HT", "more than two decimals"),
        ([with_cell(ORDER, "Date", "31/02/2022")], 2, "Date", "not a date"),
        ([with_cell(ORDER, "Montant TVA", "19 000,00")], 2, "Montant TVA", "does not match"),
        ([with_cell(ORDER, "Montant TTC", "121 000,00")], 2, "Montant TTC", "is not"),
        ([with_cell(ORDER, "SIRET", "1234")], 2, "SIRET", "14 digits"),
        ([with_cell(ORDER, "Type", "Avoir")], 2, "Type", "neither"),
        ([with_cell(ORDER, "N° marché", "M-2021-99")], 2, "N° marché", "unknown contract"),
        ([ORDER, ORDER], 3, "Libellé", "duplicate"),
        (
            [ROWS_2022[1], with_cell(SECOND_LINE, "Date", "02/03/2022")],
            3,
            "Date",
            "differs from line 2",
        ),
        ([ORDER, with_cell(PAID, "N° engagement", "E2022-404")], 3, "N° engagement", "unknown"),
        ([with_cell(ORDER, "Montant HT", "x"), PAID], 3, "N° engagement", "has errors"),
        (
            [ORDER, with_cell(PAID, "Date paiement", "01/06/2022")],
            3,
            "Date paiement",
            "before the invoice date",
        ),
        (
            [
                ORDER,
                PAID,
                with_cell(with_cell(PAID, "Libellé", "Autre"), "N° facture", "FO-9"),
                with_cell(with_cell(PAID, "Libellé", "Encore"), "N° facture", "FO-10"),
            ],
            5,
            "Montant HT",
            "would exceed it",
        ),
        (
            [ORDER, ROWS_2022[1], PAID, with_cell(PAID, "N° engagement", "E2022-002")],
            5,
            "Fournisseur",
            "is with Armor Réseaux",
        ),
    ],
)
def test_bad_lines_are_listed_and_nothing_is_written(seed, officer, rows, line, column, reason):
    plan, issues = _issues(seed, rows)
    assert not plan.is_valid
    assert any(
        (i_line, i_column) == (line, column) and reason in i_reason
        for i_line, i_column, i_reason in issues
    ), issues
    with pytest.raises(AccountingRejected):
        apply_import(programme=seed, data=csv_bytes(rows), actor=officer)
    assert not Order.objects.exists()
    assert not Supplier.objects.exists()
    assert AuditEvent.objects.filter(action="programme.accounting_import_rejected").count() == 1
    assert not AuditEvent.objects.filter(action="programme.accounting_imported").exists()


def test_the_same_invoice_number_twice_for_a_supplier_is_a_duplicate(seed):
    second_order = with_cell(ORDER, "N° engagement", "E2022-009")
    twin = with_cell(PAID, "N° engagement", "E2022-009")
    _plan, issues = _issues(seed, [ORDER, second_order, PAID, twin])
    assert (5, "N° facture") in [(line, column) for line, column, _r in issues]
    assert "duplicate" in issues[-1][2]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"%PDF-1.7 ...", "PDF"),
        (b"PK\x03\x04....", "spreadsheet"),
        (b"Type;Libell\x81\x8d\x8f\x90\x9d;" + bytes(range(128, 256)) * 3, "encoding"),
        (b"one column only\r\nx\r\n", "separator"),
        (csv_bytes(ROWS_2022, HEADER.replace(";Montant TVA", ";Remarque")), "Montant TVA"),
        (csv_bytes(ROWS_2022, HEADER.replace("N° facture;", "Pièce;")), "N° facture"),
    ],
)
def test_files_refused_whole(seed, officer, data, reason):
    plan = build_plan(seed, data)
    assert plan.file_error
    assert reason in plan.file_error
    assert plan.all_issues()[0].line == 0
    with pytest.raises(AccountingRejected):
        apply_import(programme=seed, data=data, actor=officer)
    assert not Order.objects.exists()


def test_a_recorded_engagement_that_differs_is_refused_not_changed(seed, officer):
    apply_import(programme=seed, data=fixture("export_2022.csv"), actor=officer)
    before = _snapshot()
    changed = [with_cell(ORDER, "Montant HT", "90 000,00")]
    changed[0] = with_cell(changed[0], "Montant TVA", "18 000,00")
    changed[0] = with_cell(changed[0], "Montant TTC", "108 000,00")
    _plan, issues = _issues(seed, changed)
    assert [(line, column) for line, column, _r in issues] == [(2, "Montant HT")]
    assert "recorded with another value" in issues[0][2]
    with pytest.raises(AccountingRejected):
        apply_import(programme=seed, data=csv_bytes(changed), actor=officer)
    assert _snapshot() == before


def test_sites_and_contract_of_a_recorded_engagement_are_updated(world, seed, officer):
    apply_import(programme=seed, data=fixture("export_2022.csv"), actor=officer)
    supplier = Supplier.objects.get(name="Fibre Océane")
    Contract.objects.create(
        programme=seed,
        supplier=supplier,
        reference="MAPA-2021-07",
        title="Raccordement",
        notified_on=D(2022, 1, 10),
    )
    row = with_cell(with_cell(ORDER, "Sites", "Site A"), "N° marché", "mapa-2021-07")
    plan = apply_import(programme=seed, data=csv_bytes([row]), actor=officer)
    assert plan.counts()["orders_updated"] == 1
    order = Order.objects.get(number="E2022-001")
    assert list(order.sites.all()) == [world.a.school.site]
    assert order.contract is not None
    assert order.contract.reference == "MAPA-2021-07"
    assert AuditEvent.objects.filter(action="programme.order_updated").count() == 1


def test_a_contract_cannot_be_taken_over_its_maximum(seed, officer):
    apply_import(programme=seed, data=fixture("export_2022.csv"), actor=officer)
    Contract.objects.create(
        programme=seed,
        supplier=Supplier.objects.get(name="Fibre Océane"),
        reference="MAPA-2021-07",
        title="Raccordement",
        notified_on=D(2022, 1, 10),
        max_amount_ht=Decimal("90000.00"),
    )
    row = with_cell(ORDER, "N° marché", "MAPA-2021-07")
    _plan, issues = _issues(seed, [row])
    assert [(line, column) for line, column, _r in issues] == [(2, "N° marché")]
    assert "above its maximum of 90000.00" in issues[0][2]


def test_a_chorus_number_names_one_invoice(seed, officer):
    first = with_cell(PAID, "N° Chorus Pro", "CPP-NEW-1")
    second = with_cell(with_cell(first, "N° facture", "FO-77"), "Libellé", "Autre")
    _plan, issues = _issues(seed, [ORDER, first, second])
    assert [(line, column) for line, column, _r in issues] == [(4, "N° Chorus Pro")]
    assert "already on line 3" in issues[0][2]
    apply_import(programme=seed, data=fixture("export_2022.csv"), actor=officer)
    taken = with_cell(ROWS_2022[4], "N° Chorus Pro", "CPP-2022-000123")  # FO-2022-11's
    _plan, issues = _issues(seed, [ROWS_2022[1], ROWS_2022[2], taken])
    assert [(line, column) for line, column, _r in issues] == [(4, "N° Chorus Pro")]
    assert "already on invoice FO-2022-11" in issues[0][2]


def test_an_invoice_of_a_submitted_claim_cannot_change(seed, officer):
    apply_import(programme=seed, data=fixture("export_2022.csv"), actor=officer)
    claim = Claim.objects.create(
        programme=seed,
        number=1,
        status=Claim.Status.SUBMITTED,
        submitted_at=dt.datetime(2023, 1, 1, tzinfo=dt.UTC),
        total_ht=Decimal("30000.00"),
        total_ttc=Decimal("36000.00"),
        requested=Decimal("18000.00"),
    )
    Invoice.objects.filter(number="FO-2022-19").update(claim=claim)
    _plan, issues = _issues(seed, [ORDER, with_cell(ROWS_2022[5], "Date paiement", "20/11/2022")])
    assert [(line, column) for line, column, _r in issues] == [(3, "N° facture")]
    assert "submitted claim 1" in issues[0][2]


def test_dates_outside_the_window_are_accepted_and_flagged(seed, officer):
    late = with_cell(PAID, "Date paiement", "15/01/2024")
    plan = build_plan(seed, csv_bytes([ORDER, late]))
    assert plan.is_valid
    assert [(w.line, w.column) for w in plan.warnings] == [(3, "Date paiement")]
    apply_import(programme=seed, data=csv_bytes([ORDER, late]), actor=officer)
    event = AuditEvent.objects.get(action="programme.invoice_created")
    assert event.data["flags"] == ["payment_date_outside_window"]


def test_budget_lines_by_label_and_suppliers_by_siret(seed, officer):
    services.create_supplier(
        actor=officer,
        municipality=seed.municipality,
        name="FIBRE OCEANE SAS",
        siret="12345678900012",
    )
    row = with_cell(ORDER, "Ligne budgétaire", "raccordement de 12 ECOLES au MAN")
    plan = build_plan(seed, csv_bytes([row]))
    assert plan.is_valid, plan.all_issues()
    assert plan.orders[0].supplier_name == "FIBRE OCEANE SAS"
    assert plan.orders[0].budget_code == "1.1.1"
    assert plan.counts()["suppliers_created"] == 0


def test_invoices_recorded_count_towards_the_engagements_amount(seed, officer):
    apply_import(programme=seed, data=fixture("export_2022.csv"), actor=officer)
    apply_import(programme=seed, data=fixture("export_2023.csv"), actor=officer)
    # E2022-002 is now invoiced 11,500.00 of 11,500.00: 100.00 more is too much.
    plan = build_plan(seed, fixture("invoices_only.csv"))
    assert [(i.line, i.column) for i in plan.all_issues()] == [(2, "Total HT")]
    assert "11600.00 € excl. VAT invoiced for 11500.00 € ordered" in plan.all_issues()[0].reason


def test_header_aliases_accents_and_case_aside(seed):
    header = (
        "NUMÉRO D'ENGAGEMENT;Date de commande;RAISON SOCIALE;Code ligne budgétaire;"
        "Désignation;Total HT;Taux de TVA (%);TVA;Total TTC;Colonne inconnue"
    )
    row = "E-9;03/01/2022;Armor Réseaux;1.2.5;Bornes Wi-Fi;1 000,00;20 %;200,00;1 200,00;x"
    plan = build_plan(seed, csv_bytes([row], header))
    assert plan.is_valid, plan.all_issues()
    order = plan.orders[0]
    assert (order.record.number, order.budget_code, order.total_ht) == (
        "E-9",
        "1.2.5",
        Decimal("1000.00"),
    )
