"""A funded investment programme: its structure (axes, objectives, budget lines), its
funding plan and its dates. Every date, rate and share is data, never a constant.

Money is ``DecimalField(max_digits=14, decimal_places=2)``; VAT and TTC of a budget line
are computed (``preau.programme.money``), never stored, so they cannot drift from HT.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from preau.core.models import TimeStampedModel
from preau.directory.models import Municipality, Site
from preau.programme import money


class Programme(TimeStampedModel):
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="programmes"
    )
    name = models.CharField(_("name"), max_length=200)
    eligibility_start = models.DateField(_("eligible from"))
    eligibility_end = models.DateField(_("eligible until"))
    planned_start = models.DateField(_("planned start of works"), null=True, blank=True)
    planned_end = models.DateField(_("planned end of works"), null=True, blank=True)
    last_payment_date = models.DateField(_("last payment date"))
    final_claim_date = models.DateField(_("final claim date"))
    interim_cap_percent = models.DecimalField(
        _("interim payments cap (%)"), default=Decimal("80.00"), max_digits=5, decimal_places=2
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name"], name="programme_unique_name_per_municipality"
            ),
            models.CheckConstraint(
                condition=models.Q(eligibility_end__gte=models.F("eligibility_start")),
                name="programme_eligibility_window_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Axis(TimeStampedModel):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="axes")
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=300)

    class Meta:
        ordering = ["programme", "number"]
        verbose_name_plural = "axes"
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="axis_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class Objective(TimeStampedModel):
    axis = models.ForeignKey(Axis, on_delete=models.CASCADE, related_name="objectives")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title = models.CharField(_("title"), max_length=300)

    class Meta:
        ordering = ["axis", "position", "pk"]

    def __str__(self) -> str:
        return self.title


class BudgetLine(TimeStampedModel):
    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    label = models.CharField(_("label"), max_length=400)
    amount_ht = models.DecimalField(_("amount excl. VAT"), max_digits=14, decimal_places=2)
    vat_rate = models.DecimalField(
        _("VAT rate (%)"), default=Decimal("20.00"), max_digits=5, decimal_places=2
    )
    eligible = models.BooleanField(_("eligible"), default=True)
    fctva_recoverable = models.BooleanField(_("FCTVA recoverable"), default=True)
    # The grant agreement's expense heading ("Équipements informatiques", "Travaux"…) under
    # which a claim's statement of expenditure groups this line's invoices; blank = the
    # line's axis.
    heading = models.CharField(_("expense heading"), max_length=200, blank=True)

    class Meta:
        ordering = ["objective", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount_ht__gt=0), name="budget_line_amount_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(vat_rate__gte=0, vat_rate__lte=100),
                name="budget_line_vat_rate_range",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def vat(self) -> Decimal:
        return money.vat(self.amount_ht, self.vat_rate)

    @property
    def ttc(self) -> Decimal:
        return money.ttc(self.amount_ht, self.vat_rate)


class FundingSource(TimeStampedModel):
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="funding_sources"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    name = models.CharField(_("name"), max_length=200)
    share_percent = models.DecimalField(_("share (%)"), max_digits=5, decimal_places=2)

    class Meta:
        ordering = ["programme", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(share_percent__gt=0, share_percent__lte=100),
                name="funding_share_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.share_percent} %)"


class Supplier(TimeStampedModel):
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="suppliers"
    )
    name = models.CharField(_("name"), max_length=200)
    siret = models.CharField(_("SIRET"), max_length=14, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name"], name="supplier_unique_name_per_municipality"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Contract(TimeStampedModel):
    """A public contract (marché public) under which orders are placed."""

    class Procedure(models.TextChoices):
        MAPA = "mapa", _("Adapted procedure (MAPA)")
        OPEN = "open", _("Call for tenders")
        FRAMEWORK = "framework", _("Framework agreement")
        CENTRAL = "central", _("Central purchasing body (UGAP…)")
        OTHER = "other", _("Other")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="contracts")
    supplier = models.ForeignKey(Supplier, on_delete=models.RESTRICT, related_name="contracts")
    reference = models.CharField(_("contract reference"), max_length=60)
    title = models.CharField(_("subject"), max_length=300)
    procedure = models.CharField(
        _("procedure"), max_length=20, choices=Procedure.choices, default=Procedure.MAPA
    )
    notified_on = models.DateField(_("notified on"))
    max_amount_ht = models.DecimalField(
        _("maximum amount excl. VAT"), max_digits=14, decimal_places=2, null=True, blank=True
    )

    class Meta:
        ordering = ["programme", "notified_on", "reference"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "reference"], name="contract_unique_reference_per_programme"
            ),
            models.CheckConstraint(
                condition=models.Q(max_amount_ht__isnull=True) | models.Q(max_amount_ht__gt=0),
                name="contract_max_amount_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} — {self.title}"


class MoneyLine(models.Model):
    """One line of an order or invoice: HT, VAT rate, VAT and TTC as typed, checked by the
    services (VAT = HT × rate rounded half-up to the cent, TTC = HT + VAT)."""

    position = models.PositiveSmallIntegerField(_("position"), default=0)
    label = models.CharField(_("label"), max_length=400)
    amount_ht = models.DecimalField(_("amount excl. VAT"), max_digits=14, decimal_places=2)
    vat_rate = models.DecimalField(_("VAT rate (%)"), max_digits=5, decimal_places=2)
    vat_amount = models.DecimalField(_("VAT"), max_digits=14, decimal_places=2)
    amount_ttc = models.DecimalField(_("amount incl. VAT"), max_digits=14, decimal_places=2)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.label


class Order(TimeStampedModel):
    """A purchase order (bon de commande, engagement) charged to one budget line.

    RESTRICT, not PROTECT: an order's supplier or budget line, an invoice's order cannot
    be deleted on their own, but deleting the whole municipality (as
    ``preau demo --reset`` does) takes them all.
    """

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="orders")
    supplier = models.ForeignKey(Supplier, on_delete=models.RESTRICT, related_name="orders")
    budget_line = models.ForeignKey(BudgetLine, on_delete=models.RESTRICT, related_name="orders")
    contract = models.ForeignKey(
        Contract,
        on_delete=models.RESTRICT,
        related_name="orders",
        null=True,
        blank=True,
        verbose_name=_("public contract"),
    )
    number = models.CharField(_("order number"), max_length=50)
    order_date = models.DateField(_("order date"))
    sites = models.ManyToManyField(
        Site, related_name="programme_orders", blank=True, verbose_name=_("sites concerned")
    )

    class Meta:
        ordering = ["programme", "order_date", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "number"], name="order_unique_number_per_programme"
            ),
        ]

    def __str__(self) -> str:
        return self.number


class OrderLine(MoneyLine):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")

    class Meta(MoneyLine.Meta):
        ordering = ["order", "position", "pk"]


class Delivery(TimeStampedModel):
    """A delivery of an order and its acceptance (service fait, procès-verbal de
    réception): what the accountant needs before paying, and the funder before funding."""

    class Outcome(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted")
        RESERVED = "reserved", _("Accepted with reservations")
        REFUSED = "refused", _("Refused")

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="deliveries")
    delivered_on = models.DateField(_("delivered on"))
    accepted_on = models.DateField(_("acceptance report dated"), null=True, blank=True)
    reference = models.CharField(_("acceptance report reference"), max_length=60, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=Outcome.choices, default=Outcome.ACCEPTED
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["order", "delivered_on", "pk"]
        verbose_name_plural = "deliveries"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(accepted_on__isnull=True)
                | models.Q(accepted_on__gte=models.F("delivered_on")),
                name="delivery_accepted_after_delivered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order} — {self.delivered_on.isoformat()}"


class Claim(TimeStampedModel):
    """A payment claim to the funder (demande de paiement): its invoices while a draft,
    frozen into ``ClaimLine`` rows and totals when submitted; the amount received later."""

    class Kind(models.TextChoices):
        INTERIM = "interim", _("Interim claim")
        FINAL = "final", _("Final claim")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RECEIVED = "received", _("Payment received")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="claims")
    number = models.PositiveSmallIntegerField(_("number"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.INTERIM)
    title = models.CharField(_("title"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Frozen at submission: the eligible expenditure (HT and TTC) and the amount asked of
    # the funder (its share of the HT, capped for interim claims).
    total_ht = models.DecimalField(
        _("expenditure excl. VAT"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    total_ttc = models.DecimalField(
        _("expenditure incl. VAT"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    requested = models.DecimalField(
        _("amount requested"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    received_amount = models.DecimalField(
        _("amount received"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    received_on = models.DateField(_("received on"), null=True, blank=True)

    class Meta:
        ordering = ["programme", "number"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="claim_unique_number"),
            models.CheckConstraint(
                condition=models.Q(status="draft")
                | models.Q(
                    submitted_at__isnull=False,
                    total_ht__isnull=False,
                    total_ttc__isnull=False,
                    requested__isnull=False,
                ),
                name="claim_submitted_is_frozen",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="received")
                | models.Q(received_amount__isnull=False, received_on__isnull=False),
                name="claim_received_has_amount",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}" if self.title else str(self.number)

    @property
    def locked(self) -> bool:
        return self.status != self.Status.DRAFT


class Invoice(TimeStampedModel):
    """A supplier's invoice against an order; paid when the accountant's payment date is
    recorded. Dates outside the programme's eligibility window are kept, and flagged."""

    order = models.ForeignKey(Order, on_delete=models.RESTRICT, related_name="invoices")
    # CASCADE from the supplier gives the cascade path that deleting a whole municipality
    # needs; a supplier alone cannot go while it has orders (Order.supplier RESTRICT), and
    # every invoice has an order of its supplier.
    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="invoices")
    number = models.CharField(_("invoice number"), max_length=50)
    invoice_date = models.DateField(_("invoice date"))
    payment_date = models.DateField(_("payment date"), null=True, blank=True)
    mandate_number = models.CharField(_("mandate number"), max_length=50, blank=True)
    chorus_id = models.CharField(_("Chorus Pro number"), max_length=50, blank=True)
    # The claim that includes this invoice: one at most, so an invoice cannot be claimed
    # twice. Once that claim is submitted the invoice is frozen (services refuse changes).
    claim = models.ForeignKey(
        Claim, on_delete=models.RESTRICT, null=True, blank=True, related_name="invoices"
    )

    class Meta:
        ordering = ["invoice_date", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["supplier", "number"], name="invoice_unique_number_per_supplier"
            ),
            models.CheckConstraint(
                condition=models.Q(payment_date__isnull=True)
                | models.Q(payment_date__gte=models.F("invoice_date")),
                name="invoice_paid_after_invoiced",
            ),
        ]

    def __str__(self) -> str:
        return self.number


class InvoiceLine(MoneyLine):
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")

    class Meta(MoneyLine.Meta):
        ordering = ["invoice", "position", "pk"]


class ClaimLine(models.Model):
    """One invoice of a submitted claim as it was declared: what the exports of a
    submitted claim print, whatever happens afterwards."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="lines")
    invoice = models.ForeignKey(Invoice, on_delete=models.RESTRICT, related_name="claim_lines")
    position = models.PositiveIntegerField(_("position"))
    heading = models.CharField(_("expense heading"), max_length=200)
    supplier = models.CharField(_("supplier"), max_length=200)
    invoice_number = models.CharField(_("invoice number"), max_length=50)
    invoice_date = models.DateField(_("invoice date"))
    payment_date = models.DateField(_("payment date"))
    mandate_number = models.CharField(_("mandate number"), max_length=50, blank=True)
    amount_ht = models.DecimalField(_("amount excl. VAT"), max_digits=14, decimal_places=2)
    amount_ttc = models.DecimalField(_("amount incl. VAT"), max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["claim", "position"]
        constraints = [
            models.UniqueConstraint(fields=["claim", "position"], name="claim_line_position"),
            models.UniqueConstraint(fields=["invoice"], name="claim_line_invoice_once"),
        ]

    def __str__(self) -> str:
        return self.invoice_number


class Milestone(models.TextChoices):
    """The steps of equipping one school site, in the order works usually run."""

    FIBRE = "fibre", _("Fibre / MAN connection")
    CABLING = "cabling", _("Cabling")
    ELECTRICAL = "electrical", _("Electrical works")
    UPS = "ups", _("UPS")
    SWITCH = "switch", _("Managed switch")
    WIFI = "wifi", _("Wi-Fi")
    THIN_CLIENTS = "thin_clients", _("Thin clients")
    TEACHER_LAPTOPS = "teacher_laptops", _("Teacher laptops")
    DISPLAYS = "displays", _("Interactive displays")
    TABLETS = "tablets", _("Tablets")
    ACCEPTANCE = "acceptance", _("Acceptance report")
    POSTER = "poster", _("Publicity poster photo")


class SiteMilestone(models.Model):
    """One milestone of one school site's rollout: planned and actual dates, status, the
    quantity installed (outlets, devices…) and a note on the evidence."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        BLOCKED = "blocked", _("Blocked")

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="site_milestones"
    )
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="programme_milestones")
    kind = models.CharField(_("milestone"), max_length=20, choices=Milestone.choices)
    planned_on = models.DateField(_("planned on"), null=True, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    quantity = models.PositiveIntegerField(_("quantity"), null=True, blank=True)
    evidence = models.TextField(_("evidence"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["programme", "site", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "site", "kind"], name="site_milestone_unique_kind"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="done") | models.Q(done_on__isnull=False),
                name="site_milestone_done_has_date",
            ),
            models.CheckConstraint(
                condition=models.Q(quantity__isnull=True) | models.Q(quantity__gt=0),
                name="site_milestone_quantity_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.site} — {self.get_kind_display()}"

    @property
    def kind_number(self) -> int:
        """The milestone's number in the checklist, shown on the timeline and its legend."""
        return Milestone.values.index(self.kind) + 1


class Attachment(models.Model):
    """A file kept as evidence: an invoice scan, a contract, an acceptance report, a photo
    of works or of the publicity poster. Attached to one record of the chain or of the
    rollout; trashed before it is erased."""

    class Kind(models.TextChoices):
        INVOICE_SCAN = "invoice_scan", _("Invoice scan")
        ORDER = "order", _("Purchase order")
        CONTRACT = "contract", _("Contract document")
        ACCEPTANCE = "acceptance", _("Acceptance report")
        PHOTO = "photo", _("Photo")
        PUBLICITY = "publicity", _("Publicity proof")
        OTHER = "other", _("Other document")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    file = models.FileField(_("file"), upload_to="programme/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    title = models.CharField(_("title"), max_length=200, blank=True)
    contract = models.ForeignKey(
        Contract, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    order = models.ForeignKey(
        Order, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    delivery = models.ForeignKey(
        Delivery, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    invoice = models.ForeignKey(
        Invoice, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    milestone = models.ForeignKey(
        SiteMilestone, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    trashed_at = models.DateTimeField(_("in the trash since"), null=True, blank=True)

    class Meta:
        ordering = ["programme", "uploaded_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(size__gt=0), name="attachment_not_empty"),
        ]

    def __str__(self) -> str:
        return self.title or self.original_name


class IndicatorValue(models.Model):
    """A value typed by hand for an indicator where the records do not (yet) tell it, with
    where it comes from. Computed indicators live in ``indicators.py``."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="indicator_values"
    )
    code = models.CharField(_("indicator"), max_length=40)
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    target = models.DecimalField(
        _("target"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    source = models.CharField(_("source"), max_length=300)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["programme", "code"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="indicator_value_once"),
            models.CheckConstraint(condition=models.Q(value__gte=0), name="indicator_value_gte_0"),
        ]

    def __str__(self) -> str:
        return f"{self.code} = {self.value}"
