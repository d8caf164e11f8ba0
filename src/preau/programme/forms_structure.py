"""Forms of the structure pages: the programme, its axes, objectives, budget lines,
funding plan, and the municipality's suppliers. Validated here; the services apply
them and check the rules again."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from preau.programme.forms import DecimalInput, date_field
from preau.programme.models import Axis, Objective


class ProgrammeForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    eligibility_start = date_field(_("Eligible from"))
    eligibility_end = date_field(_("Eligible until"))
    planned_start = date_field(_("Planned start of works"), required=False)
    planned_end = date_field(_("Planned end of works"), required=False)
    last_payment_date = date_field(_("Last payment date"))
    final_claim_date = date_field(_("Final claim date"))
    interim_cap_percent = DecimalInput(
        label=_("Interim payments cap (%)"),
        help_text=_("Share of the grant that interim claims may reach, e.g. 80."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("eligibility_start"), data.get("eligibility_end")
        if start and end and end < start:
            self.add_error("eligibility_end", _("The eligibility window ends before it starts."))
        planned_start, planned_end = data.get("planned_start"), data.get("planned_end")
        if planned_start and planned_end and planned_end < planned_start:
            self.add_error("planned_end", _("The planned end of works is before their start."))
        cap = data.get("interim_cap_percent")
        if cap is not None and cap > Decimal(100):
            self.add_error("interim_cap_percent", _("At most 100 %."))
        return data


class AxisForm(forms.Form):
    number = forms.IntegerField(label=_("Number"), min_value=1, max_value=99)
    title = forms.CharField(label=_("Title"), max_length=300)


class ObjectiveForm(forms.Form):
    axis: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Axis"), queryset=Axis.objects.none()
    )
    title = forms.CharField(label=_("Title"), max_length=300)
    position = forms.IntegerField(
        label=_("Position"), min_value=0, max_value=999, required=False, initial=0
    )

    def __init__(self, *args: Any, axes: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["axis"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = axes


def _objective_label(objective: Objective) -> str:
    return f"{objective.axis.number}. {objective.title}"


class BudgetLineForm(forms.Form):
    objective: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Objective"), queryset=Objective.objects.none()
    )
    label = forms.CharField(label=_("Label"), max_length=400)
    amount_ht = DecimalInput(label=_("Amount excl. VAT (€)"))
    vat_rate = DecimalInput(label=_("VAT rate (%)"), positive=False, initial=Decimal("20.00"))
    eligible = forms.BooleanField(label=_("Eligible"), required=False, initial=True)
    fctva_recoverable = forms.BooleanField(
        label=_("VAT recovered through the FCTVA"), required=False, initial=True
    )
    heading = forms.CharField(
        label=_("Expense heading"),
        max_length=200,
        required=False,
        help_text=_("The grant agreement's heading for claims; blank = the axis."),
    )

    def __init__(self, *args: Any, objectives: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["objective"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = objectives
        field.label_from_instance = _objective_label  # type: ignore[method-assign, assignment]

    def clean_vat_rate(self) -> Decimal:
        rate: Decimal | None = self.cleaned_data.get("vat_rate")
        if rate is None or not Decimal(0) <= rate <= Decimal(100):
            raise forms.ValidationError(_("A VAT rate lies between 0 and 100 %."))
        return rate


class FundingSourceForm(forms.Form):
    name = forms.CharField(label=_("Source"), max_length=200)
    share_percent = DecimalInput(label=_("Share (%)"))


FundingFormSet = forms.formset_factory(FundingSourceForm, extra=2, can_delete=True)


class SupplierForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    siret = forms.CharField(
        label=_("SIRET"), max_length=20, required=False, help_text=_("14 digits, optional.")
    )


class NoFieldsForm(forms.Form):
    """The form of a page that is all in its formset (the funding plan)."""
