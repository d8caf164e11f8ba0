"""Forms of the programme pages: validated here, applied by the services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from preau.programme.models import Milestone, SiteMilestone


class MilestoneForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=SiteMilestone.Status.choices)
    planned_on = forms.DateField(
        label=_("Planned on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    done_on = forms.DateField(
        label=_("Done on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
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
