"""The cahier de textes forms: they parse and bound the input; services validate it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from preau.directory.models import SchoolClass
from preau.homework import files, text
from preau.homework.models import Attachment, Subject
from preau.homework.services import MAX_ATTACHMENTS, EntryInput, Upload


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class EntryForm(forms.Form):
    date = forms.DateField(label=_("Day"), widget=DateInput())
    subject = forms.ChoiceField(label=_("Subject"), choices=Subject.choices)
    topic = forms.CharField(
        label=_("Topic"),
        max_length=100,
        required=False,
        help_text=_("Optional: e.g. Reading, Poetry, Fractions."),
    )
    done_text = forms.CharField(
        label=_("Done in class"),
        required=False,
        max_length=text.MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    todo_text = forms.CharField(
        label=_("To do"),
        required=False,
        max_length=text.MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Plain text; bold, italics, lists and links are kept."),
    )
    due_on = forms.DateField(label=_("Due on"), required=False, widget=DateInput())
    attachments = MultipleFileField(
        label=_("Attachments"),
        required=False,
        help_text=_("PDF, PNG, JPEG or WebP; up to %(max)d files.") % {"max": MAX_ATTACHMENTS},
        widget=MultipleFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg,.webp"}),
    )
    remove = forms.MultipleChoiceField(
        label=_("Remove these attachments"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, attachments: list[Attachment] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        remove = self.fields["remove"]
        assert isinstance(remove, forms.MultipleChoiceField)
        remove.choices = [(a.pk, a.original_name) for a in attachments or []]
        if not attachments:
            del self.fields["remove"]

    def clean_attachments(self) -> list[UploadedFile]:
        uploaded: list[UploadedFile] = self.cleaned_data["attachments"]
        limit = files.max_bytes()
        for item in uploaded:
            name = files.clean_name(item.name or "")
            if not item.size:
                raise forms.ValidationError(_("« %(name)s » is empty (0 bytes).") % {"name": name})
            if item.size > limit:
                raise forms.ValidationError(
                    _("« %(name)s » is larger than %(max)d MB.")
                    % {"name": name, "max": limit // 1048576}
                )
        if len(uploaded) > MAX_ATTACHMENTS:
            raise forms.ValidationError(
                _("At most %(max)d attachments per entry.") % {"max": MAX_ATTACHMENTS}
            )
        return uploaded

    def entry_input(self) -> EntryInput:
        data = self.cleaned_data
        return EntryInput(
            date=data["date"],
            subject=data["subject"],
            topic=data["topic"],
            done_text=data["done_text"],
            todo_text=data["todo_text"],
            due_on=data["due_on"],
        )

    def uploads(self) -> list[Upload]:
        return [Upload(f.read(), f.name or "") for f in self.cleaned_data["attachments"]]

    def removed_ids(self) -> list[int]:
        return [int(pk) for pk in self.cleaned_data.get("remove", [])]


class CopyWeekForm(forms.Form):
    target = forms.ModelChoiceField(
        label=_("Copy to the class"), queryset=SchoolClass.objects.none(), empty_label=None
    )

    def __init__(self, *args: Any, targets: QuerySet[SchoolClass], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["target"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = targets
