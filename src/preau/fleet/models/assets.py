"""Assets: every piece of equipment the city owns, and what happened to each."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from preau.core.models import TimeStampedModel
from preau.directory.models import Municipality, Room, Site


class AssetKind(models.TextChoices):
    LAPTOP = "laptop", _("laptop")
    DESKTOP = "desktop", _("fixed PC")
    THIN_CLIENT = "thin_client", _("thin client")
    MONITOR = "monitor", _("monitor")
    TABLET = "tablet", _("tablet")
    TABLET_CASE = "tablet_case", _("tablet case")
    DISPLAY = "display", _("interactive display")
    SWITCH = "switch", _("switch")
    WIFI_AP = "wifi_ap", _("Wi-Fi access point")
    UPS = "ups", _("UPS")
    PRINTER = "printer", _("printer")
    OTHER = "other", _("other")


class AssetStatus(models.TextChoices):
    ORDERED = "ordered", _("ordered")
    IN_STOCK = "in_stock", _("in stock")
    DEPLOYED = "deployed", _("deployed")
    ON_LOAN = "on_loan", _("on loan")
    IN_REPAIR = "in_repair", _("in repair")
    RETIRED = "retired", _("retired")
    RECYCLED = "recycled", _("recycled")


class Asset(TimeStampedModel):
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=AssetKind.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=AssetStatus.choices, default=AssetStatus.IN_STOCK
    )
    # The code printed in the label's QR: /fleet/a/<code>.
    code = models.CharField(_("label code"), max_length=12, unique=True)
    serial = models.CharField(_("serial number"), max_length=100, blank=True)
    mac_address = models.CharField(_("MAC address"), max_length=17, blank=True)
    manufacturer = models.CharField(_("manufacturer"), max_length=100, blank=True)
    model = models.CharField(_("model"), max_length=150, blank=True)
    supplier_name = models.CharField(_("supplier"), max_length=150, blank=True)
    order_ref = models.CharField(_("order reference"), max_length=60, blank=True)
    invoice_ref = models.CharField(_("invoice reference"), max_length=60, blank=True)
    # The programme's order this asset was bought with (its number is order_ref).
    order = models.ForeignKey(
        "programme.Order",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assets",
        verbose_name=_("programme order"),
    )
    invoice = models.ForeignKey(
        "programme.Invoice",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assets",
        verbose_name=_("programme invoice"),
    )
    purchase_date = models.DateField(_("purchase date"), null=True, blank=True)
    warranty_end = models.DateField(_("warranty end"), null=True, blank=True)
    site = models.ForeignKey(
        Site, null=True, blank=True, on_delete=models.PROTECT, related_name="assets"
    )
    room = models.ForeignKey(
        Room, null=True, blank=True, on_delete=models.SET_NULL, related_name="assets"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="fleet_assets",
        verbose_name=_("assigned to"),
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contents",
        verbose_name=_("inside"),
        help_text=_("e.g. the case a tablet belongs to"),
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("asset")
        ordering = ["kind", "serial", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "serial"],
                condition=~Q(serial=""),
                name="fleet_asset_serial_unique",
            )
        ]
        indexes = [models.Index(fields=["municipality", "site", "kind", "status"])]

    def __str__(self) -> str:
        label = " ".join(part for part in (self.manufacturer, self.model) if part)
        ident = self.serial or self.code
        return f"{self.get_kind_display()} {label} ({ident})".replace("  ", " ")


class AssetEvent(models.Model):
    """One change to an asset: who, when, what (field → [before, after])."""

    class Kind(models.TextChoices):
        CREATED = "created", _("registered")
        CHANGED = "changed", _("changed")
        STATUS = "status", _("status changed")
        IMPORTED = "imported", _("imported from a delivery")
        DEVICE = "device", _("linked to an inventoried device")

    asset = models.ForeignKey(Asset, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    changes = models.JSONField(default=dict, blank=True)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.asset_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"
