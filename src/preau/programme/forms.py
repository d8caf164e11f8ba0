"""Forms of the programme pages: validated here, applied by the services."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from preau.programme.models import Attachment, Milestone, SiteMilestone


class MilestoneForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=SiteMilestone.Status.choices)
    planned_on = forms.DateField(
        label=_("Planned on"),
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    done_on = forms.DateField(
        label=_("Done on"),
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    quantity = forms.IntegerField(label=_("Quantity"), required=False, min_value=1)
    evidence = forms.CharField(
        label=_("Evidence"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RolloutFilter(forms.Form):
    kind = forms.ChoiceField(
        label=_("Milestone"),
        required=False,
        choices=[("", _("All milestones")), *Milestone.choices],
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *SiteMilestone.Status.choices],
    )


def parse_decimal(text: str) -> Decimal:
    """A number as a person types it in France or elsewhere: "1 234,56", "1234.56",
    "1.234,56", "1,234.56" → ``Decimal("1234.56")``. Never through a float."""
    cleaned = "".join(text.split()).replace("\u202f", "").replace("\u00a0", "").replace("€", "")
    if "," in cleaned and "." in cleaned:
        decimal_mark = "," if cleaned.rfind(",") > cleaned.rfind(".") else "."
        thousands = "." if decimal_mark == "," else ","
        cleaned = cleaned.replace(thousands, "")
        if decimal_mark == ",":
            cleaned = cleaned.replace(",", ".")
    elif cleaned.count(",") == 1:
        cleaned = cleaned.replace(",", ".")
    if not _NUMBER.fullmatch(cleaned):
        raise ValueError(text)
    return Decimal(cleaned)


# Money columns hold 14 digits, two after the point.
MAX_DIGITS_BEFORE_POINT = 12
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")


class DecimalInput(forms.CharField):
    """A decimal typed the French way or the English way, up to ``places`` decimals."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})

    def __init__(self, *, places: int = 2, positive: bool = True, **kwargs: Any) -> None:
        self.places = places
        self.positive = positive
        kwargs.setdefault("max_length", 30)
        super().__init__(**kwargs)

    def clean(self, value: Any) -> Decimal | None:
        text = super().clean(value)
        if not text:
            return None
        try:
            number = parse_decimal(text)
        except (ValueError, InvalidOperation):
            raise forms.ValidationError(
                _("Enter a number such as 1 234,56."), code="invalid"
            ) from None
        if self.positive and number <= 0:
            raise forms.ValidationError(_("Enter an amount greater than zero."), code="min")
        if number.adjusted() >= MAX_DIGITS_BEFORE_POINT:
            raise forms.ValidationError(_("This number is too large."), code="max")
        exponent = number.as_tuple().exponent
        if isinstance(exponent, int) and -exponent > self.places:
            raise forms.ValidationError(
                _("At most %(n)s decimals.") % {"n": self.places}, code="places"
            )
        return number.quantize(Decimal(1).scaleb(-self.places))

    def has_changed(self, initial: Any, data: Any) -> bool:
        """Changed when the number differs: "20,00" shown for an initial 20 is no change
        (an untouched extra line stays blank and is left out)."""
        try:
            return _as_decimal(initial) != _as_decimal(data)
        except (ValueError, InvalidOperation):
            return True

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Decimal):
            return format_decimal(value)
        return value


def _as_decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, Decimal) else parse_decimal(str(value))


def format_decimal(value: Decimal) -> str:
    """``Decimal("1234.50")`` → "1234,50" in French, "1234.50" in English (no grouping,
    so that it reads back the same)."""
    text = f"{value:f}"
    return text.replace(".", ",") if get_language_prefix() == "fr" else text


def get_language_prefix() -> str:
    return (get_language() or "en").split("-")[0]


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of document"), choices=Attachment.Kind.choices)
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF for scans, contracts and reports; JPEG or PNG for photos; 20 MB at most."),
    )
    title = forms.CharField(label=_("Title (optional)"), max_length=200, required=False)

    def __init__(self, *args: Any, kinds: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if kinds is not None:
            field = self.fields["kind"]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [(k, Attachment.Kind(k).label) for k in kinds]


def date_field(label: Any, required: bool = True, **kwargs: Any) -> forms.DateField:
    """A date typed in the browser's date picker (ISO), or by hand ("31/12/2023")."""
    return forms.DateField(
        label=label,
        required=required,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        **kwargs,
    )


def kept_forms(formset: forms.BaseFormSet[Any]) -> list[forms.Form]:
    """The rows of a valid formset to save: every row shown filled (changed or not) and
    the extra rows typed in, but not those ticked for deletion."""
    initial = formset.initial_form_count()
    return [
        form
        for i, form in enumerate(formset.forms)
        if (i < initial or form.has_changed()) and not form.cleaned_data.get("DELETE")
    ]
