"""Forms of the chain pages: contracts, orders and their lines, deliveries, invoices,
payments, and the list filters. The choices they offer come from the access kernel
(passed in by the views); the services check every rule again."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from preau.programme import money
from preau.programme.forms import DecimalInput, date_field, kept_forms
from preau.programme.models import Contract, Delivery
from preau.programme.services import LineInput


def _choices(form: forms.Form, name: str, queryset: QuerySet[Any], label: Any = None) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = queryset
    if label is not None:
        field.label_from_instance = label  # type: ignore[method-assign]


class ContractForm(forms.Form):
    reference = forms.CharField(label=_("Contract reference"), max_length=60)
    title = forms.CharField(label=_("Subject"), max_length=300)
    supplier: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Holder (supplier)"), queryset=None
    )
    procedure = forms.ChoiceField(label=_("Procedure"), choices=Contract.Procedure.choices)
    notified_on = date_field(_("Notified on"))
    max_amount_ht = DecimalInput(
        label=_("Maximum amount excl. VAT (€)"), required=False, help_text=_("Optional.")
    )

    def __init__(self, *args: Any, suppliers: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "supplier", suppliers)


class OrderForm(forms.Form):
    number = forms.CharField(label=_("Order number"), max_length=50)
    supplier: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Supplier"), queryset=None
    )
    contract: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Public contract"), queryset=None, required=False, empty_label=_("None")
    )
    budget_line: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Budget line"), queryset=None
    )
    order_date = date_field(_("Order date"))
    sites: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(
        label=_("Sites concerned"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self,
        *args: Any,
        suppliers: QuerySet[Any],
        contracts: QuerySet[Any],
        lines: QuerySet[Any],
        sites: QuerySet[Any],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "supplier", suppliers)
        _choices(self, "contract", contracts)
        _choices(self, "budget_line", lines, lambda line: line.label)
        _choices(self, "sites", sites)


class LineForm(forms.Form):
    """One order or invoice line. VAT and TTC may be left blank: they are then computed
    (HT × rate rounded half-up to the cent; HT + VAT). Typed, they must match."""

    label = forms.CharField(label=_("Label"), max_length=400)
    amount_ht = DecimalInput(label=_("Excl. VAT"))
    vat_rate = DecimalInput(label=_("VAT rate (%)"), positive=False, initial=Decimal("20.00"))
    vat_amount = DecimalInput(label=_("VAT"), positive=False, required=False)
    amount_ttc = DecimalInput(label=_("Incl. VAT"), required=False)

    def clean_vat_rate(self) -> Decimal:
        rate: Decimal | None = self.cleaned_data.get("vat_rate")
        if rate is None or not Decimal(0) <= rate <= Decimal(100):
            raise forms.ValidationError(_("A VAT rate lies between 0 and 100 %."))
        return rate

    def line_input(self) -> LineInput:
        data = self.cleaned_data
        ht, rate = data["amount_ht"], data["vat_rate"]
        vat = data.get("vat_amount")
        vat = money.vat(ht, rate) if vat is None else vat
        ttc = data.get("amount_ttc")
        return LineInput(
            label=data["label"],
            amount_ht=ht,
            vat_rate=rate,
            vat_amount=vat,
            amount_ttc=ht + vat if ttc is None else ttc,
        )


LineFormSet = forms.formset_factory(LineForm, extra=2, can_delete=True, max_num=200)


def line_inputs(formset: forms.BaseFormSet[LineForm]) -> list[LineInput]:
    """The lines typed in ``formset`` (valid), blank and deleted rows left out."""
    return [form.line_input() for form in kept_forms(formset) if isinstance(form, LineForm)]


def line_initial(lines: Any) -> list[dict[str, Any]]:
    return [
        {
            "label": line.label,
            "amount_ht": line.amount_ht,
            "vat_rate": line.vat_rate,
            "vat_amount": line.vat_amount,
            "amount_ttc": line.amount_ttc,
        }
        for line in lines
    ]


class DeliveryForm(forms.Form):
    delivered_on = date_field(_("Delivered on"))
    accepted_on = date_field(_("Acceptance report dated"), required=False)
    reference = forms.CharField(
        label=_("Acceptance report reference"), max_length=60, required=False
    )
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Delivery.Outcome.choices)
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        delivered, accepted = data.get("delivered_on"), data.get("accepted_on")
        if delivered and accepted and accepted < delivered:
            self.add_error("accepted_on", _("The acceptance report is dated before the delivery."))
        return data


class InvoiceForm(forms.Form):
    order: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Order"), queryset=None, help_text=_("The supplier is the order's.")
    )
    number = forms.CharField(label=_("Invoice number"), max_length=50)
    chorus_id = forms.CharField(label=_("Chorus Pro number"), max_length=50, required=False)
    invoice_date = date_field(_("Invoice date"))
    payment_date = date_field(_("Payment date"), required=False)
    mandate_number = forms.CharField(label=_("Mandate number"), max_length=50, required=False)

    def __init__(self, *args: Any, orders: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "order", orders, lambda o: f"{o.number} — {o.supplier.name}")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        invoiced, paid = data.get("invoice_date"), data.get("payment_date")
        if invoiced and paid and paid < invoiced:
            self.add_error("payment_date", _("The payment date is before the invoice date."))
        return data


class PaymentForm(forms.Form):
    payment_date = date_field(_("Payment date"))
    mandate_number = forms.CharField(label=_("Mandate number"), max_length=50, required=False)


class OrderFilter(forms.Form):
    supplier: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Supplier"), queryset=None, required=False, empty_label=_("All suppliers")
    )
    budget_line: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Budget line"), queryset=None, required=False, empty_label=_("All lines")
    )
    site: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Site"), queryset=None, required=False, empty_label=_("All sites")
    )

    def __init__(self, *args: Any, suppliers: Any, lines: Any, sites: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "supplier", suppliers)
        _choices(self, "budget_line", lines, lambda line: line.label)
        _choices(self, "site", sites)


class InvoiceFilter(forms.Form):
    STATUSES = (
        ("", _("All invoices")),
        ("paid", _("Paid")),
        ("unpaid", _("Not paid")),
        ("flagged", _("Outside the eligibility window")),
        ("claimed", _("In a claim")),
        ("unclaimed", _("In no claim")),
    )
    status = forms.ChoiceField(label=_("Show"), choices=STATUSES, required=False)
    supplier: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Supplier"), queryset=None, required=False, empty_label=_("All suppliers")
    )

    def __init__(self, *args: Any, suppliers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "supplier", suppliers)
