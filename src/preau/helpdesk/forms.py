"""The helpdesk's forms: they parse and bound the input; services validate it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from preau.directory.models import School, Site
from preau.helpdesk import photos
from preau.helpdesk.models import Category, Status, Urgency
from preau.helpdesk.queries import AGES


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    widget = MultipleFileInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Photos (optional, up to 4)"))
        super().__init__(**kwargs)
        self.widget.attrs["accept"] = "image/jpeg,image/png,image/webp"

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


def uploads(files: list[UploadedFile]) -> list[photos.Upload]:
    limit = photos.max_photo_bytes() + 1  # read one byte more: the service says "too big"
    return [photos.Upload(f.name or "photo", f.read(limit)) for f in files]


class TicketForm(forms.Form):
    school = forms.ModelChoiceField(
        label=_("School"), queryset=School.objects.none(), empty_label=None
    )
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, initial=Urgency.NORMAL)
    title = forms.CharField(label=_("Summary"), max_length=150)
    description = forms.CharField(
        label=_("What happens?"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Where, since when, what you already tried, any message on the screen."),
    )
    photos = PhotosField()

    def __init__(self, *args: Any, schools: QuerySet[School], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["school"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = schools
        if schools.count() == 1:
            field.widget = forms.HiddenInput()
            field.initial = schools.first()


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Add a comment"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    photos = PhotosField()


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the problem not solved?"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class HandleForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False)
    assignee = forms.ModelChoiceField(
        label=_("Assigned to"),
        queryset=School.objects.none(),
        required=False,
        empty_label=_("nobody"),
    )
    body = forms.CharField(
        label=_("Comment"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    internal = forms.BooleanField(
        label=_("Internal note: technicians only, never shown to the school"), required=False
    )
    minutes = forms.IntegerField(
        label=_("Time spent (minutes)"), min_value=0, max_value=24 * 60, required=False
    )
    photos = PhotosField()

    def __init__(
        self, *args: Any, allowed: tuple[str, ...], handlers: QuerySet[Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        status = self.fields["status"]
        assert isinstance(status, forms.ChoiceField)
        status.choices = [("", _("(unchanged)"))] + [(s, Status(s).label) for s in allowed]
        assignee = self.fields["assignee"]
        assert isinstance(assignee, forms.ModelChoiceField)
        assignee.queryset = handlers
        assignee.label_from_instance = lambda u: u.get_full_name() or u.get_username()  # type: ignore[method-assign,assignment]


class QueueFilter(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("open")), ("all", _("all")), *list(Status.choices)],
    )
    site = forms.ModelChoiceField(
        label=_("Site"), queryset=Site.objects.none(), required=False, empty_label=_("all")
    )
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=[("", _("all")), *list(Category.choices)]
    )
    assignee = forms.ChoiceField(label=_("Assigned to"), required=False)
    age = forms.ChoiceField(
        label=_("Age"),
        required=False,
        choices=[("", _("any"))] + [(code, label) for code, label, _lo, _hi in AGES],
    )

    def __init__(self, *args: Any, sites: QuerySet[Site], handlers: QuerySet[Any], **kwargs: Any):
        super().__init__(*args, **kwargs)
        site = self.fields["site"]
        assert isinstance(site, forms.ModelChoiceField)
        site.queryset = sites
        assignee = self.fields["assignee"]
        assert isinstance(assignee, forms.ChoiceField)
        assignee.choices = [("", _("anyone")), ("me", _("me")), ("none", _("nobody"))] + [
            (str(u.pk), u.get_full_name() or u.get_username()) for u in handlers
        ]


class TargetsForm(forms.Form):
    """One pair of fields per category: first response and resolution, in hours."""

    def __init__(self, *args: Any, current: dict[str, tuple[int, int]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for category, label in Category.choices:
            response, resolution = current[category]
            self.fields[f"{category}_response"] = forms.IntegerField(
                label=_("%(category)s: first response (hours)") % {"category": label},
                min_value=1,
                max_value=24 * 365,
                initial=response,
            )
            self.fields[f"{category}_resolution"] = forms.IntegerField(
                label=_("%(category)s: resolution (hours)") % {"category": label},
                min_value=1,
                max_value=24 * 365,
                initial=resolution,
            )

    def rows(self) -> dict[str, tuple[int, int]]:
        data = self.cleaned_data
        return {c: (data[f"{c}_response"], data[f"{c}_resolution"]) for c in Category.values}
