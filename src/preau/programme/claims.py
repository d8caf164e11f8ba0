"""Payment claims to the funder (demandes de paiement): every write, validated, audited.

A claim is a **draft** while invoices are added and removed; **submitting** it freezes
its invoices into ``ClaimLine`` rows and its totals (HT, TTC, amount requested), and
from then on no service changes it — except to record, once, the payment received.
An invoice belongs to one claim at most (``Invoice.claim``); taking it is a conditional
update under ``select_for_update``, so of two drafts racing for it one wins and the
other is told where it went. Flagged invoices (dated or paid outside the eligibility
window, or charged to an ineligible line) are never added: the service refuses them and
says why. What a claim asks and how the cap applies: ``claim_figures``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from preau.core import audit
from preau.programme import money
from preau.programme.claim_figures import (
    SUBMITTED,
    Candidates,
    ClaimRow,
    ClaimsSummary,
    Request,
    candidates,
    claims_summaries,
    claims_summary,
    draft_rows,
    eligible_budget_ht,
    funder_of,
    grant,
    refusal_reasons,
    request_for,
    row_reasons,
)
from preau.programme.models import Claim, ClaimLine, Invoice, Programme
from preau.programme.services import ProgrammeError, record

__all__ = [
    "Candidates",
    "ClaimsSummary",
    "add_invoices",
    "candidates",
    "claims_summaries",
    "claims_summary",
    "create_claim",
    "delete_claim",
    "preview_request",
    "record_receipt",
    "remove_invoices",
    "submit_claim",
    "update_claim",
]


TITLE_MAX = 200


def _money(value: Decimal) -> str:
    return number_format(value, 2, force_grouping=True)


def _locked(claim: Claim) -> Claim:
    """``claim`` re-read under a row lock, with its programme."""
    found = (
        Claim.objects.select_for_update(of=("self",))
        .select_related("programme")
        .filter(pk=claim.pk)
        .first()
    )
    if found is None:
        raise ProgrammeError(_("This claim no longer exists."))
    return found


def _locked_draft(claim: Claim) -> Claim:
    claim = _locked(claim)
    if claim.locked:
        raise ProgrammeError(
            _("Claim %(n)s was submitted on %(date)s: it is locked and cannot change.")
            % {
                "n": claim.number,
                "date": date_format(timezone.localtime(claim.submitted_at), "SHORT_DATE_FORMAT")
                if claim.submitted_at
                else "—",
            }
        )
    return claim


def _kind(kind: str) -> str:
    if kind not in Claim.Kind.values:
        raise ProgrammeError(_("Unknown kind of claim: %(kind)s.") % {"kind": kind})
    return kind


def _title(title: str) -> str:
    title = title.strip()
    if len(title) > TITLE_MAX:
        raise ProgrammeError(
            _("The title is too long (%(max)s characters at most).") % {"max": TITLE_MAX}
        )
    return title


def _check_final(programme: Programme, kind: str, exclude: int | None = None) -> None:
    """A programme has one final claim; nothing is claimed after it was submitted."""
    claims = programme.claims.all() if exclude is None else programme.claims.exclude(pk=exclude)
    if kind == Claim.Kind.FINAL and claims.filter(kind=Claim.Kind.FINAL).exists():
        raise ProgrammeError(_("This programme already has a final claim."))
    if claims.filter(kind=Claim.Kind.FINAL, status__in=SUBMITTED).exists():
        raise ProgrammeError(_("The final claim was submitted: no further claim can be made."))


@transaction.atomic
def create_claim(
    *, actor: Any, programme: Programme, kind: str = Claim.Kind.INTERIM, title: str = ""
) -> Claim:
    """A new draft claim, numbered after the programme's last one."""
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    kind, title = _kind(kind), _title(title)
    _check_final(programme, kind)
    last = programme.claims.aggregate(n=Max("number"))["n"] or 0
    claim = Claim.objects.create(
        programme=programme,
        number=last + 1,
        kind=kind,
        title=title,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    record("programme.claim_created", actor, claim, programme.municipality_id, kind=kind)
    return claim


@transaction.atomic
def update_claim(*, actor: Any, claim: Claim, kind: str, title: str) -> Claim:
    claim = _locked_draft(claim)
    claim.kind, claim.title = _kind(kind), _title(title)
    _check_final(claim.programme, claim.kind, exclude=claim.pk)
    claim.save(update_fields=["kind", "title", "updated_at"])
    record(
        "programme.claim_updated", actor, claim, claim.programme.municipality_id, kind=claim.kind
    )
    return claim


def _ids(invoice_ids: Iterable[int | str]) -> set[int]:
    try:
        ids = {int(i) for i in invoice_ids}
    except (TypeError, ValueError):
        raise ProgrammeError(_("Unknown invoice.")) from None
    if not ids:
        raise ProgrammeError(_("Choose at least one invoice."))
    return ids


def _name(invoice: Invoice) -> str:
    return _("Invoice %(number)s (%(supplier)s)") % {
        "number": invoice.number,
        "supplier": invoice.supplier.name,
    }


def _problems(invoices: Iterable[Invoice], claim: Claim) -> list[str]:
    """Why each of ``invoices`` may not be in ``claim`` (empty when all may)."""
    problems = []
    for invoice in invoices:
        if invoice.claim_id is not None and invoice.claim_id != claim.pk:
            number = Claim.objects.filter(pk=invoice.claim_id).values_list("number", flat=True)
            problems.append(
                _("%(invoice)s is already in claim %(claim)s.")
                % {"invoice": _name(invoice), "claim": number.first()}
            )
        elif invoice.payment_date is None:
            problems.append(_("%(invoice)s is not paid yet.") % {"invoice": _name(invoice)})
        elif reasons := refusal_reasons(invoice, claim.programme):
            problems.append(
                _("%(invoice)s cannot be claimed: %(reasons)s.")
                % {"invoice": _name(invoice), "reasons": ", ".join(str(r) for r in reasons)}
            )
    return problems


def _row_problems(rows: Iterable[ClaimRow], programme: Programme) -> list[str]:
    """:func:`_problems` of a claim's own rows (read as values, not models)."""
    problems = []
    for row in rows:
        name = _("Invoice %(number)s (%(supplier)s)") % {
            "number": row.invoice_number,
            "supplier": row.supplier,
        }
        if row.payment_date is None:
            problems.append(_("%(invoice)s is not paid yet.") % {"invoice": name})
        elif reasons := row_reasons(row, programme):
            problems.append(
                _("%(invoice)s cannot be claimed: %(reasons)s.")
                % {"invoice": name, "reasons": ", ".join(str(r) for r in reasons)}
            )
    return problems


@transaction.atomic
def add_invoices(*, actor: Any, claim: Claim, invoice_ids: Iterable[int | str]) -> int:
    """Add paid, eligible, unclaimed invoices to a draft; all or nothing. Returns how
    many were added (those already in this claim are left as they are)."""
    claim = _locked_draft(claim)
    ids = _ids(invoice_ids)
    invoices = list(
        Invoice.objects.select_for_update(of=("self",))
        .select_related("supplier", "order__budget_line")
        .filter(pk__in=ids, order__programme=claim.programme)
        .order_by("pk")
    )
    if len(invoices) != len(ids):
        raise ProgrammeError(_("Unknown invoice for this programme."))
    if problems := _problems(invoices, claim):
        raise ProgrammeError(" ".join(problems))
    new = [i.pk for i in invoices if i.claim_id is None]
    # Conditional: an invoice another draft took since it was read is not taken again.
    taken = Invoice.objects.filter(pk__in=new, claim__isnull=True).update(claim=claim)
    if taken != len(new):
        raise ProgrammeError(
            _("Another claim has just taken one of these invoices; nothing was added.")
        )
    if new:
        record(
            "programme.claim_invoices_added",
            actor,
            claim,
            claim.programme.municipality_id,
            invoices=[i.number for i in invoices if i.pk in new],
        )
    return len(new)


@transaction.atomic
def remove_invoices(*, actor: Any, claim: Claim, invoice_ids: Iterable[int | str]) -> int:
    claim = _locked_draft(claim)
    ids = _ids(invoice_ids)
    invoices = list(Invoice.objects.select_for_update(of=("self",)).filter(pk__in=ids, claim=claim))
    if len(invoices) != len(ids):
        raise ProgrammeError(
            _("Only invoices of claim %(n)s can be removed from it.") % {"n": claim.number}
        )
    Invoice.objects.filter(pk__in=ids, claim=claim).update(claim=None)
    record(
        "programme.claim_invoices_removed",
        actor,
        claim,
        claim.programme.municipality_id,
        invoices=[i.number for i in invoices],
    )
    return len(invoices)


def _request(programme: Programme, claim: Claim, total_ht: Decimal) -> Request:
    funder = funder_of(list(programme.funding_sources.all()))
    eligible_ht = eligible_budget_ht([programme.pk]).get(programme.pk, money.ZERO)
    return request_for(
        kind=claim.kind,
        total_ht=total_ht,
        funder=funder,
        grant_amount=grant(eligible_ht, funder),
        cap_percent=programme.interim_cap_percent,
        others=programme.claims.filter(status__in=SUBMITTED).exclude(pk=claim.pk),
    )


def preview_request(claim: Claim, total_ht: Decimal) -> Request:
    """What a draft would request if submitted now (no lock: an indication)."""
    return _request(claim.programme, claim, total_ht)


def _frozen(claim: Claim, position: int, row: ClaimRow) -> ClaimLine:
    assert row.payment_date is not None  # every invoice was checked to be paid
    return ClaimLine(
        claim=claim,
        invoice_id=row.invoice_id,
        position=position,
        heading=row.heading[:200],
        supplier=row.supplier,
        invoice_number=row.invoice_number,
        invoice_date=row.invoice_date,
        payment_date=row.payment_date,
        mandate_number=row.mandate_number,
        amount_ht=row.amount_ht,
        amount_ttc=row.amount_ttc,
    )


@transaction.atomic
def submit_claim(*, actor: Any, claim: Claim, submitted_at: dt.datetime | None = None) -> Claim:
    """Lock ``claim``: freeze its invoices and totals, compute the amount requested.

    Refused: an empty claim, a claim already submitted, invoices that are no longer
    claimable (their payment or dates changed since they were added), no funding plan.
    ``submitted_at`` (default now) may say when the claim was actually sent."""
    # The programme's row serialises submissions: the cap sees every earlier claim.
    programme = Programme.objects.select_for_update().get(pk=claim.programme_id)
    claim = _locked_draft(claim)
    submitted_at = submitted_at or timezone.now()
    if submitted_at > timezone.now():
        raise ProgrammeError(_("A claim cannot be submitted at a future date."))
    locked = list(
        Invoice.objects.select_for_update(of=("self",))
        .filter(claim=claim)
        .values_list("pk", flat=True)
    )
    if not locked:
        raise ProgrammeError(
            _("Claim %(n)s has no invoice: add invoices before submitting it.")
            % {"n": claim.number}
        )
    rows = draft_rows(claim)
    if problems := _row_problems(rows, programme):
        raise ProgrammeError(
            _("Claim %(n)s cannot be submitted: %(problems)s")
            % {"n": claim.number, "problems": " ".join(problems)}
        )
    if not programme.funding_sources.exists():
        raise ProgrammeError(_("The programme has no funding plan: nothing can be requested."))
    ClaimLine.objects.bulk_create(
        [_frozen(claim, position, row) for position, row in enumerate(rows, start=1)],
        batch_size=500,
    )
    claim.total_ht = money.total(row.amount_ht for row in rows)
    claim.total_ttc = money.total(row.amount_ttc for row in rows)
    request = _request(programme, claim, claim.total_ht)
    claim.requested = request.requested
    claim.status = Claim.Status.SUBMITTED
    claim.submitted_at = submitted_at
    claim.submitted_by = actor if getattr(actor, "is_authenticated", False) else None
    claim.save(
        update_fields=[
            "total_ht",
            "total_ttc",
            "requested",
            "status",
            "submitted_at",
            "submitted_by",
            "updated_at",
        ]
    )
    record(
        "programme.claim_submitted",
        actor,
        claim,
        programme.municipality_id,
        invoices=len(rows),
        total_ht=str(claim.total_ht),
        total_ttc=str(claim.total_ttc),
        share=str(request.share),
        requested=str(request.requested),
        capped=request.capped,
    )
    return claim


def _received_amount(value: Decimal | int | str) -> Decimal:
    if isinstance(value, float):
        raise ProgrammeError(_("The amount received must be an exact decimal, not a float."))
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise ProgrammeError(_("The amount received is not a number.")) from None
    if amount <= 0:
        raise ProgrammeError(_("The amount received must be greater than zero."))
    if amount != money.to_money(amount):
        raise ProgrammeError(_("An amount has at most two decimals (cents)."))
    return amount


@transaction.atomic
def record_receipt(
    *, actor: Any, claim: Claim, amount: Decimal | int | str, received_on: dt.date
) -> Claim:
    """Record the funder's payment of a submitted claim, once."""
    claim = _locked(claim)
    if claim.status == Claim.Status.DRAFT:
        raise ProgrammeError(
            _("Claim %(n)s is a draft: submit it before recording a payment.") % {"n": claim.number}
        )
    if claim.status == Claim.Status.RECEIVED:
        raise ProgrammeError(
            _("The payment of claim %(n)s was already recorded (%(date)s): it cannot change.")
            % {
                "n": claim.number,
                "date": date_format(claim.received_on, "SHORT_DATE_FORMAT")
                if claim.received_on
                else "—",
            }
        )
    value = _received_amount(amount)
    if claim.requested is not None and value > claim.requested:
        raise ProgrammeError(
            _("%(amount)s € is more than the %(requested)s € requested by claim %(n)s.")
            % {"amount": _money(value), "requested": _money(claim.requested), "n": claim.number}
        )
    if received_on > timezone.localdate():
        raise ProgrammeError(_("A payment cannot be received at a future date."))
    if claim.submitted_at and received_on < timezone.localdate(claim.submitted_at):
        raise ProgrammeError(_("The payment date is before the claim was submitted."))
    claim.received_amount, claim.received_on = value, received_on
    claim.status = Claim.Status.RECEIVED
    claim.save(update_fields=["received_amount", "received_on", "status", "updated_at"])
    record(
        "programme.claim_received",
        actor,
        claim,
        claim.programme.municipality_id,
        amount=str(value),
        received_on=received_on.isoformat(),
    )
    return claim


@transaction.atomic
def delete_claim(*, actor: Any, claim: Claim) -> None:
    """Delete a draft; its invoices become free to claim again."""
    claim = _locked_draft(claim)
    released = list(
        Invoice.objects.select_for_update(of=("self",))
        .filter(claim=claim)
        .values_list("number", flat=True)
    )
    Invoice.objects.filter(claim=claim).update(claim=None)
    record(
        "programme.claim_deleted",
        actor,
        claim,
        claim.programme.municipality_id,
        number=claim.number,
        released=released,
    )
    claim.delete()


def record_export(*, actor: Any, claim: Claim, kind: str, request: Any = None) -> None:
    """Audit a download of a claim's statement (pdf, xlsx) or scans (zip)."""
    audit.record(
        "programme.claim_exported",
        actor=actor,
        request=request,
        target=claim,
        municipality_id=claim.programme.municipality_id,
        format=kind,
        status=claim.status,
    )
