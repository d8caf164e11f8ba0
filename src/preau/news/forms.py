"""Forms of the news pages: validated here, applied by the services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from preau.news.comments import COMMENT_MAX
from preau.news.services import TEXT_MAX, TITLE_MAX

TEXT_HELP = _(
    "Leave a blank line between paragraphs. Start lines with “- ” for a list. "
    "**bold**, *italic*; web addresses become links."
)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files at once; each is checked by the services (type, size, content)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        files = data if isinstance(data, (list, tuple)) else [data] if data else []
        return [f for f in files if isinstance(f, UploadedFile)]


class PostForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    text = forms.CharField(
        label=_("Text"),
        required=False,
        max_length=TEXT_MAX,
        help_text=TEXT_HELP,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    comments_enabled = forms.BooleanField(
        label=_("Allow families to comment (you moderate)"), required=False
    )


class MediaForm(forms.Form):
    photos = MultipleFileField(
        label=_("Photos"),
        help_text=_("JPEG, PNG or WebP. Location and camera data are removed."),
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}),
    )
    attachments = MultipleFileField(
        label=_("PDF documents"),
        widget=MultipleFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )


class NewPostForm(PostForm, MediaForm):
    pass


class PhotoForm(forms.Form):
    caption = forms.CharField(
        label=_("Description (read aloud to people who cannot see the photo)"),
        max_length=200,
        required=False,
    )
    pupils = forms.TypedMultipleChoiceField(
        label=_("Pupils who appear in the photo"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    no_pupils = forms.BooleanField(label=_("No pupil can be recognised"), required=False)

    def __init__(self, *args: Any, choices: Iterable[tuple[int, str]] = (), **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["pupils"].choices = list(choices)  # type: ignore[attr-defined]


class PublishForm(forms.Form):
    publish_at = forms.DateTimeField(
        label=_("Publish on"),
        required=False,
        help_text=_("Leave empty to publish now."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    def clean_publish_at(self) -> dt.datetime | None:
        value: dt.datetime | None = self.cleaned_data.get("publish_at")
        if value is not None and timezone.is_naive(value):
            value = timezone.make_aware(value)
        return value


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Your comment"), max_length=COMMENT_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )


class ConsentForm(forms.Form):
    granted = forms.TypedChoiceField(
        label=_("Photos where my child can be recognised"),
        coerce=lambda value: value == "yes",
        choices=[
            ("yes", _("may be published for the class, the school and their families")),
            ("no", _("must not be published")),
        ],
        widget=forms.RadioSelect,
    )
