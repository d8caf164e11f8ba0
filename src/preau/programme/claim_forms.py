"""Forms of the claims pages: validated here, applied by ``claims``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from preau.programme.models import Claim


class ClaimForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Claim.Kind.choices)
    title = forms.CharField(label=_("Title"), required=False, max_length=200)


class InvoiceIdsField(forms.Field):
    """Several invoice ids ticked in a list; which ones may go where is the service's
    business (it says why it refuses one)."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {"required": _("Choose at least one invoice.")}

    def to_python(self, value: Any) -> list[int]:
        values = value if isinstance(value, list | tuple) else ([value] if value else [])
        try:
            return [int(v) for v in values]
        except (TypeError, ValueError):
            raise ValidationError(_("Unknown invoice."), code="invalid") from None

    def validate(self, value: Any) -> None:
        if self.required and not value:
            raise ValidationError(self.error_messages["required"], code="required")


class InvoiceSelection(forms.Form):
    invoice = InvoiceIdsField(label=_("Invoices"))


class ReceiptForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Amount received (€)"), max_digits=14, decimal_places=2, min_value=0
    )
    received_on = forms.DateField(
        label=_("Received on"), widget=forms.DateInput(attrs={"type": "date"})
    )


def problems_of(form: forms.Form) -> str:
    return "; ".join(str(e) for errors in form.errors.values() for e in errors)
