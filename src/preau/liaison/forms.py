"""The cahier de liaison's forms: they parse; the services validate and write."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from preau.directory.models import Enrolment, SchoolClass
from preau.liaison.models import Acknowledgement, Question
from preau.liaison.services import MAX_OPTIONS, NoteInput


class DateInput(forms.DateInput):
    input_type = "date"


class NoteForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=20_000,
        help_text=_(
            "Plain text: a blank line starts a new paragraph. Simple HTML (bold, italics, "
            "lists, links) is kept; anything else is removed."
        ),
    )
    acknowledgement = forms.ChoiceField(
        label=_("Signature"),
        choices=Acknowledgement.choices,
        initial=Acknowledgement.NONE,
        widget=forms.RadioSelect,
    )
    question = forms.ChoiceField(
        label=_("Question to the families"),
        choices=Question.choices,
        initial=Question.NONE,
        widget=forms.RadioSelect,
    )
    options = forms.CharField(
        label=_("Options (one per line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Only for a choice: 2 to %(max)d options, e.g. “I will come”, “I will not come”."
        )
        % {"max": MAX_OPTIONS},
    )
    due_on = forms.DateField(label=_("Deadline"), required=False, widget=DateInput)
    attachment = forms.FileField(
        label=_("Attached PDF (optional)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )
    classes = forms.TypedMultipleChoiceField(
        label=_("Whole classes"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    pupils = forms.TypedMultipleChoiceField(
        label=_("Chosen pupils"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(
        self,
        *args: Any,
        classes: Sequence[SchoolClass],
        enrolments: Sequence[Enrolment],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["classes"].choices = [(c.pk, c.label) for c in classes]  # type: ignore[attr-defined]
        self.fields["pupils"].choices = [(e.pupil_id, str(e.pupil)) for e in enrolments]  # type: ignore[attr-defined]

    def to_input(self) -> NoteInput:
        data = self.cleaned_data
        return NoteInput(
            title=data["title"],
            body=data["body"],
            acknowledgement=data["acknowledgement"],
            question=data["question"],
            options=data["options"].splitlines(),
            due_on=data["due_on"],
            class_ids=data["classes"],
            pupil_ids=data["pupils"],
        )


class RespondForm(forms.Form):
    answer = forms.CharField(required=False, max_length=100)


class DeadlineForm(forms.Form):
    due_on = forms.DateField(label=_("New deadline"), required=False, widget=DateInput)
