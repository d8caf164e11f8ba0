"""The agenda's forms: they parse and bound the input; services validate it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from preau.agenda.ics_import import MAX_ICS_BYTES
from preau.agenda.models import Event
from preau.agenda.services import DESCRIPTION_MAX, PLACE_MAX, TITLE_MAX, Audience, EventInput


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%H:%M", **kwargs)


class EventForm(forms.Form):
    audience = forms.ChoiceField(label=_("For"))
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    category = forms.ChoiceField(label=_("Kind"), choices=Event.Category.choices)
    all_day = forms.BooleanField(label=_("All day"), required=False, initial=True)
    starts_on = forms.DateField(label=_("From"), widget=DateInput())
    start_time = forms.TimeField(
        label=_("Start time"), required=False, widget=TimeInput(), help_text=_("If not all day.")
    )
    ends_on = forms.DateField(
        label=_("Until"), required=False, widget=DateInput(), help_text=_("Empty: the same day.")
    )
    end_time = forms.TimeField(label=_("End time"), required=False, widget=TimeInput())
    place = forms.CharField(label=_("Place"), max_length=PLACE_MAX, required=False)
    description = forms.CharField(
        label=_("Description"),
        max_length=DESCRIPTION_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, audiences: list[tuple[Audience, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.audiences = {audience.key: audience for audience, _label in audiences}
        field = self.fields["audience"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(audience.key, label) for audience, label in audiences]

    def chosen_audience(self) -> Audience:
        return self.audiences[self.cleaned_data["audience"]]

    def event_input(self) -> EventInput:
        data = self.cleaned_data
        return EventInput(
            title=data["title"],
            category=data["category"],
            all_day=data["all_day"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            start_time=data["start_time"],
            end_time=data["end_time"],
            place=data["place"],
            description=data["description"],
        )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Calendar file (.ics)"),
        help_text=_("Up to %(max)d KB and 500 events.") % {"max": MAX_ICS_BYTES // 1024},
        widget=forms.ClearableFileInput(attrs={"accept": ".ics,text/calendar"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_ICS_BYTES:
            raise forms.ValidationError(
                _("The file weighs %(size)d KB; the limit is %(max)d KB.")
                % {"size": upload.size // 1024, "max": MAX_ICS_BYTES // 1024}
            )
        return upload
