"""Payment claims: candidates, adding and removing invoices, submission (frozen lines,
totals, amount requested, cap), locking, receipt, deletion, audit."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from preau.core.models import AuditEvent
from preau.programme import claims, money, services
from preau.programme.claim_figures import claimed_per_line
from preau.programme.models import BudgetLine, Claim, ClaimLine, Invoice, Programme
from preau.programme.seed import load_demo_spending
from preau.programme.services import ProgrammeError

FLAGGED = "SC-23-0412"  # paid in January 2024, after the window
UNPAID = "PL-2023-88"


@pytest.fixture(autouse=True)
def english():
    """Messages are matched in English, the source language, whatever is translated."""
    with translation.override("en"):
        yield


@pytest.fixture
def spending(seed: Programme) -> Programme:
    load_demo_spending(seed)
    return seed


def inv(programme: Programme, number: str) -> Invoice:
    return Invoice.objects.get(order__programme=programme, number=number)


def ids(programme: Programme, *numbers: str) -> list[int]:
    return [inv(programme, n).pk for n in numbers]


def draft_with(programme: Programme, actor, *numbers: str, kind: str = "interim") -> Claim:
    claim = claims.create_claim(actor=actor, programme=programme, kind=kind)
    if numbers:
        claims.add_invoices(actor=actor, claim=claim, invoice_ids=ids(programme, *numbers))
    return claim


def test_funding_shares_grant_and_cap_of_the_seed(seed):
    summary = claims.claims_summary(seed)
    assert summary.funder is not None
    assert summary.funder.name == "REACT-EU"
    assert summary.eligible_ht == Decimal("1826000.00")
    assert summary.grant == Decimal("1095600.00")  # 60 % of 1,826,000
    assert summary.interim_cap == Decimal("876480.00")  # 80 % of the grant
    assert summary.requested == summary.received == summary.claimed_ht == money.ZERO
    assert not summary.cap_reached
    assert summary.alerts == []


def test_claims_are_numbered_per_programme(world, spending, officer):
    first = claims.create_claim(actor=officer, programme=spending, title=" First ")
    second = claims.create_claim(actor=officer, programme=spending)
    other = claims.create_claim(
        actor=None,
        programme=services.create_programme(
            actor=None,
            municipality=world.vannes,
            name="Other",
            eligibility_start=dt.date(2020, 1, 1),
            eligibility_end=dt.date(2023, 12, 31),
            last_payment_date=dt.date(2023, 12, 31),
            final_claim_date=dt.date(2024, 6, 30),
        ),
    )
    assert (first.number, second.number, other.number) == (1, 2, 1)
    assert first.title == "First"
    assert first.status == Claim.Status.DRAFT
    assert first.created_by == officer


def test_candidates_flagged_apart_with_reasons(spending):
    found = claims.candidates(spending)
    assert [r.invoice_number for r in found.claimable] == [
        # axis 1: Armor Réseaux, Fibre Océane (by date); axis 2: Bureautique, Salles
        "AR-2022-007",
        "AR-2022-031",
        "FO-21-118",
        "FO-22-051",
        "BO-5531",
        "SC-23-0190",
    ]
    assert [(f.row.invoice_number, [str(r) for r in f.reasons]) for f in found.flagged] == [
        (FLAGGED, ["paid outside the eligibility window"])
    ]
    assert found.unpaid == 1
    assert found.claimable_ht == Decimal("757100.00")


def test_eligibility_window_edges(world, spending, officer):
    line = BudgetLine.objects.get(label="Travaux de câblage électrique")
    supplier = services.create_supplier(actor=None, municipality=world.lorient, name="Élec")
    order = services.create_order(
        actor=None,
        programme=spending,
        supplier=supplier,
        budget_line=line,
        number="BC-E",
        order_date=dt.date(2020, 1, 15),
        lines=[services.LineInput("Travaux", "4000.00", "20.00", "800.00", "4800.00")],
    )

    def bill(number: str, on: dt.date, paid: dt.date) -> None:
        services.create_invoice(
            actor=None,
            order=order,
            number=number,
            invoice_date=on,
            payment_date=paid,
            lines=[services.LineInput("Travaux", "1000.00", "20.00", "200.00", "1200.00")],
        )

    bill("E-FIRST", dt.date(2020, 2, 1), dt.date(2020, 2, 1))  # first day: in
    bill("E-LAST", dt.date(2023, 12, 31), dt.date(2023, 12, 31))  # last day: in
    bill("E-BEFORE", dt.date(2020, 1, 31), dt.date(2020, 2, 3))  # dated the day before
    bill("E-AFTER", dt.date(2023, 12, 31), dt.date(2024, 1, 1))  # paid the day after
    found = claims.candidates(spending)
    claimable = {r.invoice_number for r in found.claimable}
    flagged = {f.row.invoice_number: [str(r) for r in f.reasons] for f in found.flagged}
    assert {"E-FIRST", "E-LAST"} <= claimable
    assert set(flagged) == {"E-BEFORE", "E-AFTER", FLAGGED}
    assert len(flagged["E-BEFORE"]) == 1
    assert len(flagged["E-AFTER"]) == 1
    assert flagged["E-BEFORE"] != flagged["E-AFTER"]
    claim = draft_with(spending, officer, "E-FIRST", "E-LAST")
    for number in ("E-BEFORE", "E-AFTER"):
        with pytest.raises(ProgrammeError, match=number):
            claims.add_invoices(actor=officer, claim=claim, invoice_ids=ids(spending, number))
    assert claim.invoices.count() == 2


def test_flagged_unpaid_and_ineligible_invoices_are_never_added(spending, officer):
    claim = draft_with(spending, officer)
    before = AuditEvent.objects.count()
    with pytest.raises(ProgrammeError, match=rf"{FLAGGED}.*eligib"):
        claims.add_invoices(actor=officer, claim=claim, invoice_ids=ids(spending, FLAGGED))
    with pytest.raises(ProgrammeError, match=rf"{UNPAID}.*not paid"):
        claims.add_invoices(actor=officer, claim=claim, invoice_ids=ids(spending, UNPAID))
    # All or nothing: a good invoice beside a flagged one is not added either.
    with pytest.raises(ProgrammeError, match=FLAGGED):
        claims.add_invoices(
            actor=officer, claim=claim, invoice_ids=ids(spending, "FO-21-118", FLAGGED)
        )
    BudgetLine.objects.filter(label__startswith="PC portables").update(eligible=False)
    with pytest.raises(ProgrammeError, match=r"BO-5531.*not eligible"):
        claims.add_invoices(actor=officer, claim=claim, invoice_ids=ids(spending, "BO-5531"))
    assert "BO-5531" in {f.row.invoice_number for f in claims.candidates(spending).flagged}
    assert not Invoice.objects.filter(claim=claim).exists()
    assert AuditEvent.objects.count() == before
    with pytest.raises(ProgrammeError, match="Unknown invoice"):
        claims.add_invoices(actor=officer, claim=claim, invoice_ids=[999_999])
    with pytest.raises(ProgrammeError, match="at least one"):
        claims.add_invoices(actor=officer, claim=claim, invoice_ids=[])


def test_an_invoice_cannot_be_claimed_twice(spending, officer):
    first = draft_with(spending, officer, "FO-21-118")
    second = draft_with(spending, officer)
    with pytest.raises(ProgrammeError, match=r"FO-21-118.*already in claim 1"):
        claims.add_invoices(
            actor=officer, claim=second, invoice_ids=ids(spending, "AR-2022-007", "FO-21-118")
        )
    assert inv(spending, "FO-21-118").claim_id == first.pk
    assert inv(spending, "AR-2022-007").claim_id is None  # nothing partial
    # Adding again to the same claim changes nothing; the invoice is no candidate now.
    again = claims.add_invoices(actor=officer, claim=first, invoice_ids=ids(spending, "FO-21-118"))
    assert again == 0
    assert "FO-21-118" not in {r.invoice_number for r in claims.candidates(spending).claimable}


def test_remove_and_delete_release_invoices(spending, officer):
    claim = draft_with(spending, officer, "FO-21-118", "AR-2022-007", "BO-5531")
    other = draft_with(spending, officer, "FO-22-051")
    with pytest.raises(ProgrammeError, match="Only invoices of claim 1"):
        claims.remove_invoices(actor=officer, claim=claim, invoice_ids=ids(spending, "FO-22-051"))
    assert (
        claims.remove_invoices(actor=officer, claim=claim, invoice_ids=ids(spending, "BO-5531"))
        == 1
    )
    assert inv(spending, "BO-5531").claim_id is None
    claims.delete_claim(actor=officer, claim=claim)
    assert not Claim.objects.filter(pk=claim.pk).exists()
    assert Invoice.objects.filter(order__programme=spending, claim__isnull=False).count() == 1
    assert inv(spending, "FO-22-051").claim_id == other.pk
    event = AuditEvent.objects.filter(action="programme.claim_deleted").get()
    assert sorted(event.data["released"]) == ["AR-2022-007", "FO-21-118"]


def test_submission_freezes_lines_in_order_and_totals(spending, officer):
    claim = draft_with(spending, officer, "SC-23-0190", "FO-21-118", "AR-2022-031", "AR-2022-007")
    claim = claims.submit_claim(actor=officer, claim=claim)
    assert claim.status == Claim.Status.SUBMITTED
    assert claim.locked
    assert claim.submitted_by == officer
    assert claim.submitted_at is not None
    lines = list(ClaimLine.objects.filter(claim=claim))
    assert [(x.position, x.invoice_number) for x in lines] == [
        (1, "AR-2022-007"),
        (2, "AR-2022-031"),
        (3, "FO-21-118"),
        (4, "SC-23-0190"),
    ]
    first = lines[0]
    assert first.heading.startswith("1. Infrastructures numériques")
    assert lines[3].heading.startswith("2. Équipements numériques")
    assert (first.supplier, first.invoice_date, first.payment_date, first.mandate_number) == (
        "Armor Réseaux",
        dt.date(2022, 2, 10),
        dt.date(2022, 3, 18),
        "M-2022-103",
    )
    assert (first.amount_ht, first.amount_ttc) == (Decimal("118500.00"), Decimal("142200.00"))
    assert claim.total_ht == Decimal("479900.00") == sum(x.amount_ht for x in lines)
    assert claim.total_ttc == Decimal("575880.00")
    assert claim.requested == Decimal("287940.00")  # 60 %, under the 876,480.00 cap
    event = AuditEvent.objects.filter(action="programme.claim_submitted").get()
    assert event.data["capped"] is False
    assert event.data["requested"] == "287940.00"
    # The frozen lines stay what was declared, whatever happens to the invoice row.
    Invoice.objects.filter(number="FO-21-118").update(mandate_number="CHANGED")
    assert ClaimLine.objects.get(invoice_number="FO-21-118").mandate_number == "M-2022-101"
    assert claimed_per_line([spending.pk])[inv(spending, "FO-21-118").order.budget_line_id] == (
        Decimal("150000.00"),
        Decimal("180000.00"),
    )


def test_an_empty_claim_cannot_be_submitted(spending, officer):
    claim = draft_with(spending, officer)
    with pytest.raises(ProgrammeError, match="no invoice"):
        claims.submit_claim(actor=officer, claim=claim)
    claim.refresh_from_db()
    assert claim.status == Claim.Status.DRAFT


def test_submission_rechecks_invoices_changed_since_added(spending, officer):
    claim = draft_with(spending, officer, "FO-21-118")
    Invoice.objects.filter(number="FO-21-118").update(payment_date=dt.date(2024, 2, 1))
    with pytest.raises(ProgrammeError, match=r"FO-21-118.*eligib"):
        claims.submit_claim(actor=officer, claim=claim)
    assert not ClaimLine.objects.exists()


@pytest.mark.parametrize("status", ["submitted", "received"])
def test_a_submitted_claim_cannot_change(spending, officer, status):
    claim = claims.submit_claim(actor=officer, claim=draft_with(spending, officer, "FO-21-118"))
    if status == "received":
        claims.record_receipt(
            actor=officer, claim=claim, amount="90000.00", received_on=timezone.localdate()
        )
    free = ids(spending, "AR-2022-007")
    attempts = [
        lambda: claims.update_claim(actor=officer, claim=claim, kind="final", title="x"),
        lambda: claims.add_invoices(actor=officer, claim=claim, invoice_ids=free),
        lambda: claims.remove_invoices(
            actor=officer, claim=claim, invoice_ids=ids(spending, "FO-21-118")
        ),
        lambda: claims.submit_claim(actor=officer, claim=claim),
        lambda: claims.delete_claim(actor=officer, claim=claim),
    ]
    for attempt in attempts:
        with pytest.raises(ProgrammeError, match="locked and cannot change"):
            attempt()
    if status == "received":
        with pytest.raises(ProgrammeError, match="already recorded"):
            claims.record_receipt(
                actor=officer, claim=claim, amount="1.00", received_on=timezone.localdate()
            )
    fresh = Claim.objects.get(pk=claim.pk)
    assert (fresh.kind, fresh.status, fresh.total_ht) == ("interim", status, Decimal("150000.00"))
    assert list(fresh.invoices.values_list("number", flat=True)) == ["FO-21-118"]
    assert fresh.lines.count() == 1
    assert inv(spending, "AR-2022-007").claim_id is None


def test_receipt_is_checked_and_recorded_once(spending, officer):
    claim = draft_with(spending, officer, "FO-21-118")
    today = timezone.localdate()
    with pytest.raises(ProgrammeError, match="draft"):
        claims.record_receipt(actor=officer, claim=claim, amount="1.00", received_on=today)
    claim = claims.submit_claim(actor=officer, claim=claim)
    bad = [
        ("0", today, "greater than zero"),
        ("10.001", today, "two decimals"),
        ("abc", today, "not a number"),
        ("90000.01", today, "more than"),
        ("100.00", today + dt.timedelta(days=1), "future"),
        ("100.00", today - dt.timedelta(days=1), "before the claim was submitted"),
    ]
    for amount, on, message in bad:
        with pytest.raises(ProgrammeError, match=message):
            claims.record_receipt(actor=officer, claim=claim, amount=amount, received_on=on)
    with pytest.raises(ProgrammeError, match="float"):
        claims.record_receipt(actor=officer, claim=claim, amount=1.5, received_on=today)  # type: ignore[arg-type]
    claim = claims.record_receipt(actor=officer, claim=claim, amount="89999.99", received_on=today)
    assert (claim.status, claim.received_amount, claim.received_on) == (
        Claim.Status.RECEIVED,
        Decimal("89999.99"),
        today,
    )
    summary = claims.claims_summary(spending)
    assert (summary.claimed_ht, summary.requested, summary.received) == (
        Decimal("150000.00"),
        Decimal("90000.00"),
        Decimal("89999.99"),
    )


def test_interim_cap_then_final_claim_within_the_grant(spending, officer):
    # 10 % of the 1,095,600.00 grant: interim claims may ask 109,560.00 in all.
    Programme.objects.filter(pk=spending.pk).update(interim_cap_percent=Decimal("10.00"))
    spending.refresh_from_db()
    first = claims.submit_claim(actor=officer, claim=draft_with(spending, officer, "FO-21-118"))
    assert first.requested == Decimal("90000.00")  # 60 % of 150,000, under the cap
    second = claims.submit_claim(actor=officer, claim=draft_with(spending, officer, "AR-2022-007"))
    assert second.requested == Decimal("19560.00")  # 71,100.00 capped to what is left
    third = claims.submit_claim(actor=officer, claim=draft_with(spending, officer, "AR-2022-031"))
    assert third.requested == money.ZERO
    summary = claims.claims_summary(spending)
    assert summary.interim_requested == summary.interim_cap == Decimal("109560.00")
    assert summary.cap_reached
    assert summary.cap_used_percent == Decimal("100.00")
    assert [c.number for c in summary.capped] == [2, 3]
    assert any("cap" in alert for alert in summary.alerts)
    event = AuditEvent.objects.filter(action="programme.claim_submitted", target_id=str(second.pk))
    assert event.get().data["capped"] is True
    final = claims.submit_claim(
        actor=officer, claim=draft_with(spending, officer, "FO-22-051", kind="final")
    )
    assert final.requested == Decimal("90000.00")  # the interim cap does not apply
    with pytest.raises(ProgrammeError, match="final claim was submitted"):
        claims.create_claim(actor=officer, programme=spending)


def test_one_final_claim(spending, officer):
    draft_with(spending, officer, kind="final")
    with pytest.raises(ProgrammeError, match="already has a final claim"):
        claims.create_claim(actor=officer, programme=spending, kind="final")
    interim = draft_with(spending, officer)
    with pytest.raises(ProgrammeError, match="already has a final claim"):
        claims.update_claim(actor=officer, claim=interim, kind="final", title="")
    with pytest.raises(ProgrammeError, match="Unknown kind"):
        claims.create_claim(actor=officer, programme=spending, kind="other")


def test_final_claim_never_exceeds_the_grant(spending, officer):
    # Only the MAN line (cut to 200,000.00) is eligible: a grant of 120,000.00.
    lines = BudgetLine.objects.filter(objective__axis__programme=spending)
    lines.exclude(label__startswith="Raccordement").update(eligible=False)
    lines.filter(label__startswith="Raccordement").update(amount_ht=Decimal("200000.00"))
    assert claims.claims_summary(spending).grant == Decimal("120000.00")
    first = claims.submit_claim(actor=officer, claim=draft_with(spending, officer, "FO-21-118"))
    assert first.requested == Decimal("90000.00")  # under the 96,000.00 interim cap
    final = claims.submit_claim(
        actor=officer, claim=draft_with(spending, officer, "FO-22-051", kind="final")
    )
    assert final.requested == Decimal("30000.00")  # 90,000.00 capped to the grant's rest
    summary = claims.claims_summary(spending)
    assert summary.requested == summary.grant
    assert [c.number for c in summary.capped] == [2]


def test_requested_is_rounded_half_up(spending, officer):
    services.set_funding_plan(
        actor=None, programme=spending, shares=[("REACT-EU", "50.00"), ("Ville", "50.00")]
    )
    line = BudgetLine.objects.get(label="Travaux de câblage électrique")
    supplier = services.create_supplier(actor=None, municipality=spending.municipality, name="S")
    order = services.create_order(
        actor=None,
        programme=spending,
        supplier=supplier,
        budget_line=line,
        number="BC-R",
        order_date=dt.date(2022, 1, 3),
        lines=[services.LineInput("x", "100.01", "20.00", "20.00", "120.01")],
    )
    services.create_invoice(
        actor=None,
        order=order,
        number="R-1",
        invoice_date=dt.date(2022, 2, 1),
        payment_date=dt.date(2022, 3, 1),
        lines=[services.LineInput("x", "100.01", "20.00", "20.00", "120.01")],
    )
    claim = claims.submit_claim(actor=officer, claim=draft_with(spending, officer, "R-1"))
    assert claim.requested == Decimal("50.01")  # 50.005 half-up (half-even would say 50.00)


def test_every_write_is_audited(spending, officer):
    claim = draft_with(spending, officer, "FO-21-118", "AR-2022-007")
    claims.update_claim(actor=officer, claim=claim, kind="interim", title="T")
    claims.remove_invoices(actor=officer, claim=claim, invoice_ids=ids(spending, "AR-2022-007"))
    claims.submit_claim(actor=officer, claim=claim)
    claims.record_receipt(
        actor=officer, claim=claim, amount="90000.00", received_on=timezone.localdate()
    )
    claims.delete_claim(actor=officer, claim=draft_with(spending, officer))
    actions = list(
        AuditEvent.objects.filter(action__startswith="programme.claim")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == [
        "programme.claim_created",
        "programme.claim_invoices_added",
        "programme.claim_updated",
        "programme.claim_invoices_removed",
        "programme.claim_submitted",
        "programme.claim_received",
        "programme.claim_created",
        "programme.claim_deleted",
    ]
    event = AuditEvent.objects.filter(action="programme.claim_invoices_added").get()
    assert event.actor == officer
    assert event.municipality_id == spending.municipality_id
    assert sorted(event.data["invoices"]) == ["AR-2022-007", "FO-21-118"]
