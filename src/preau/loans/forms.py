"""Loans forms: they parse and bound the input; services validate it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from preau.directory.models import SchoolClass
from preau.fleet.models import Asset
from preau.loans.models import Condition


class BookingForm(forms.Form):
    school_class = forms.ModelChoiceField(
        label=_("Class"), queryset=SchoolClass.objects.none(), empty_label=None
    )
    date = forms.DateField(
        label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    start = forms.TimeField(
        label=_("From"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    end = forms.TimeField(
        label=_("Until"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )

    def __init__(self, *args: Any, classes: QuerySet[SchoolClass], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["school_class"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = classes
        field.label_from_instance = lambda c: f"{c.label} — {c.school.name}"  # type: ignore[method-assign,assignment]

    def times(self) -> tuple[dt.datetime, dt.datetime]:
        """The slot in the server's time zone (Europe/Paris), aware."""
        data = self.cleaned_data
        start = timezone.make_aware(dt.datetime.combine(data["date"], data["start"]))
        end = timezone.make_aware(dt.datetime.combine(data["date"], data["end"]))
        return start, end


class CheckInForm(forms.Form):
    condition = forms.ChoiceField(
        label=_("Condition"),
        choices=Condition.choices,
        widget=forms.RadioSelect,
        initial=Condition.OK,
    )
    items_returned = forms.IntegerField(
        label=_("Tablets returned in the case"), min_value=0, required=False
    )
    note = forms.CharField(
        label=_("What is damaged or missing?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, items_out: int | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if items_out is None:
            del self.fields["items_returned"]
        else:
            field = self.fields["items_returned"]
            assert isinstance(field, forms.IntegerField)
            field.max_value = items_out
            field.initial = items_out
            field.required = True
            field.help_text = _("%(n)d were lent.") % {"n": items_out}


class LoanableForm(forms.Form):
    asset = forms.ModelChoiceField(label=_("Equipment"), queryset=Asset.objects.none())
    note = forms.CharField(label=_("Note for borrowers"), required=False, max_length=300)

    def __init__(self, *args: Any, assets: QuerySet[Asset], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["asset"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = assets
        field.label_from_instance = lambda a: f"{a} — {a.site.name if a.site else ''}"  # type: ignore[method-assign,assignment]
