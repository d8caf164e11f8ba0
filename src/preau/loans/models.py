"""Loans: assets a school may book (the shared tablet cases), bookings and their returns."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from preau.core.models import TimeStampedModel
from preau.directory.models import Municipality, School, SchoolClass
from preau.fleet.models import Asset


class Loanable(TimeStampedModel):
    """An asset the city lends to classes (the fleet has no such flag: kept here)."""

    asset = models.OneToOneField(Asset, on_delete=models.CASCADE, related_name="loanable")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    active = models.BooleanField(_("can be booked"), default=True)
    note = models.CharField(_("note for borrowers"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("loanable asset")
        ordering = ["asset__site__name", "asset__serial", "pk"]

    def __str__(self) -> str:
        return str(self.asset)


class Condition(models.TextChoices):
    OK = "ok", _("complete and in working order")
    DAMAGED = "damaged", _("damaged")
    MISSING = "missing", _("missing items")


class Booking(TimeStampedModel):
    class Status(models.TextChoices):
        BOOKED = "booked", _("booked")
        CHECKED_OUT = "checked_out", _("checked out")
        RETURNED = "returned", _("returned")
        CANCELLED = "cancelled", _("cancelled")

    loanable = models.ForeignKey(Loanable, on_delete=models.CASCADE, related_name="bookings")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="bookings")
    school_class = models.ForeignKey(
        SchoolClass, on_delete=models.PROTECT, related_name="bookings", verbose_name=_("class")
    )
    borrower = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="bookings"
    )
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.BOOKED)
    checked_out_at = models.DateTimeField(_("checked out"), null=True, blank=True)
    checked_out_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The asset's status before it went "on loan", to put it back at the return.
    asset_status_before = models.CharField(max_length=20, blank=True)
    items_out = models.PositiveSmallIntegerField(_("items lent"), null=True, blank=True)
    returned_at = models.DateTimeField(_("returned"), null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    condition = models.CharField(
        _("condition"), max_length=10, choices=Condition.choices, blank=True
    )
    items_returned = models.PositiveSmallIntegerField(_("items returned"), null=True, blank=True)
    condition_note = models.TextField(_("note on the condition"), blank=True)
    overdue_notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("booking")
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["loanable", "starts_at", "ends_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="loans_booking_ends_after",
            )
        ]

    def __str__(self) -> str:
        return f"{self.loanable_id} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def active(self) -> bool:
        return self.status in (self.Status.BOOKED, self.Status.CHECKED_OUT)
