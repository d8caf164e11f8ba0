"""Forms of the fleet's pages. Every choice they offer comes from the access kernel, but
the programme's orders and invoices an asset links to: a technician links equipment to
its order without reading the programme, so the form offers the municipality's orders
and invoices by number, supplier and date only (amounts and payments stay behind the
programme's access rules)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from preau.accounts.models import User
from preau.core.access import CHANGE, restrict
from preau.directory.models import Membership, Municipality, Room, Site
from preau.fleet import lifecycle
from preau.fleet.asset_search import search_assets
from preau.fleet.models import Asset, AssetKind, AssetStatus
from preau.fleet.services import EDITABLE
from preau.programme.models import Invoice, Order

PAGE_SIZE = 50


def order_label(order: Order) -> str:
    """“BC-2025-001 — Supplier — 16/05/2025” (the supplier selected with the order)."""
    when = date_format(order.order_date, "SHORT_DATE_FORMAT")
    return f"{order.number} — {order.supplier.name} — {when}"


def invoice_label(invoice: Invoice) -> str:
    when = date_format(invoice.invoice_date, "SHORT_DATE_FORMAT")
    return f"{invoice.number} — {invoice.supplier.name} — {when} ({invoice.order.number})"


def municipality_orders(municipality_id: int) -> QuerySet[Order]:
    return (
        Order.objects.filter(programme__municipality_id=municipality_id)
        .select_related("supplier")
        .order_by("-order_date", "number")
    )


class AssetFilter(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    site = forms.ModelChoiceField(label=_("Site"), queryset=Site.objects.none(), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    order = forms.ModelChoiceField(
        label=_("Programme order"), queryset=Order.objects.none(), required=False
    )

    def __init__(self, data: Any, assets: QuerySet[Asset]) -> None:
        super().__init__(data)
        self.fields["site"].queryset = Site.objects.filter(  # type: ignore[attr-defined]
            pk__in=assets.values("site_id")
        ).order_by("name")
        # The orders of the assets the user sees: nothing about any other order shows.
        self.fields["order"].queryset = (  # type: ignore[attr-defined]
            Order.objects.filter(pk__in=assets.values("order_id"))
            .select_related("supplier")
            .order_by("-order_date", "number")
        )
        self.fields["order"].label_from_instance = order_label  # type: ignore[attr-defined]
        self.fields["kind"].choices = [("", _("All kinds")), *AssetKind.choices]  # type: ignore[attr-defined]
        self.fields["status"].choices = [("", _("All statuses")), *AssetStatus.choices]  # type: ignore[attr-defined]

    @property
    def is_filtered(self) -> bool:
        return self.is_valid() and any(self.cleaned_data.values())

    def apply(self, qs: QuerySet[Asset]) -> QuerySet[Asset]:
        if not self.is_valid():
            return qs
        data = self.cleaned_data
        if data["site"]:
            qs = qs.filter(site=data["site"])
        if data["kind"]:
            qs = qs.filter(kind=data["kind"])
        if data["status"]:
            qs = qs.filter(status=data["status"])
        if data["order"]:
            qs = qs.filter(order=data["order"])
        qs = search_assets(qs, data["q"])
        return qs


class AssetForm(forms.ModelForm):
    class Meta:
        model = Asset
        fields = EDITABLE
        widgets = {
            "purchase_date": forms.DateInput(attrs={"type": "date"}),
            "warranty_end": forms.DateInput(attrs={"type": "date"}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, municipality: Municipality, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        sites = restrict(user, Site).filter(municipality=municipality).order_by("name")
        self.fields["site"].queryset = sites  # type: ignore[attr-defined]
        self.fields["room"].queryset = Room.objects.filter(site__in=sites).select_related("site")  # type: ignore[attr-defined]
        self.fields["room"].label_from_instance = lambda r: f"{r.site.name} — {r.name}"  # type: ignore[attr-defined]
        staff = Membership.objects.filter(municipality=municipality).values("user_id")
        self.fields["assignee"].queryset = User.objects.filter(pk__in=staff).order_by(  # type: ignore[attr-defined]
            "last_name", "first_name"
        )
        cases = restrict(user, Asset, CHANGE).filter(
            municipality=municipality, kind=AssetKind.TABLET_CASE
        )
        if self.instance.pk:
            cases = cases.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = cases  # type: ignore[attr-defined]
        orders = municipality_orders(municipality.pk)
        self.fields["order"].queryset = orders  # type: ignore[attr-defined]
        self.fields["order"].label_from_instance = order_label  # type: ignore[attr-defined]
        self.fields["invoice"].queryset = (  # type: ignore[attr-defined]
            Invoice.objects.filter(order__in=orders)
            .select_related("supplier", "order")
            .order_by("-invoice_date", "number")
        )
        self.fields["invoice"].label_from_instance = invoice_label  # type: ignore[attr-defined]
        self.fields["order"].help_text = _(
            "The programme's order this equipment was bought with, if the programme has it."
        )
        self.fields["invoice"].help_text = _("One of that order's invoices.")
        self.fields["order_ref"].help_text = _(
            "Filled in from the programme order when one is chosen."
        )
        self.fields["invoice_ref"].help_text = _(
            "Filled in from the programme invoice when one is chosen."
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        order, invoice = data.get("order"), data.get("invoice")
        if invoice is not None and order is not None and invoice.order_id != order.pk:
            self.add_error(
                "invoice",
                _("Invoice %(invoice)s is not an invoice of order %(order)s.")
                % {"invoice": invoice.number, "order": order.number},
            )
        return data


class TransitionForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"))
    note = forms.CharField(label=_("Note"), required=False, max_length=300)

    def __init__(self, *args: Any, asset: Asset, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [  # type: ignore[attr-defined]
            (s, AssetStatus(s).label) for s in lifecycle.allowed(asset.status)
        ]


class AgentTagForm(forms.Form):
    site = forms.ModelChoiceField(label=_("Site"), queryset=Site.objects.none())
    tag = forms.CharField(label=_("Tag"), max_length=100)

    def __init__(self, *args: Any, sites: QuerySet[Site], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites  # type: ignore[attr-defined]
