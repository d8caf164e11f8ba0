"""HTML forms of the directory: they validate what a person sends before a service runs."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from preau.directory.models import School, SchoolClass
from preau.directory.onde.errors import OndeFileError
from preau.directory.onde.reading import check_size


class OndeUploadForm(forms.Form):
    pupils_file = forms.FileField(
        label=_("Pupils file"),
        help_text=_("The CSV exported from ONDE, e.g. CSVExtraction.csv."),
    )
    guardians_file = forms.FileField(
        label=_("Guardians file (optional)"),
        required=False,
        help_text=_("The CSV of legal guardians. Without it, guardians are left unchanged."),
    )

    def clean_pupils_file(self) -> UploadedFile:
        return self._sized(self.cleaned_data["pupils_file"], "pupils")

    def clean_guardians_file(self) -> UploadedFile | None:
        upload = self.cleaned_data.get("guardians_file")
        return None if upload is None else self._sized(upload, "guardians")

    def _sized(self, upload: UploadedFile, file: str) -> UploadedFile:
        # Checked on the size Django already knows: a huge file is never read into memory.
        try:
            check_size(file, upload.size or 0)
        except OndeFileError as exc:
            raise forms.ValidationError(exc.message, code="size") from None
        return upload


def read_upload(upload: UploadedFile) -> bytes:
    return b"".join(upload.chunks())


class GrantRoleForm(forms.Form):
    """Attach a person (existing account, or a new one) to a role and a scope."""

    username = forms.CharField(label=_("Username"), max_length=150)
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Family name"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    create = forms.BooleanField(label=_("Create this account if it does not exist"), required=False)
    role = forms.ChoiceField(label=_("Role"))
    school: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("School"), queryset=School.objects.none(), required=False
    )
    school_class: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Class"), queryset=SchoolClass.objects.none(), required=False
    )

    def __init__(
        self,
        *args: object,
        roles: list[tuple[str, str]],
        schools: object,
        classes: object,
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["role"].choices = roles  # type: ignore[attr-defined]
        self.fields["school"].queryset = schools  # type: ignore[attr-defined]
        self.fields["school_class"].queryset = classes  # type: ignore[attr-defined]
        self.fields["school_class"].label_from_instance = (  # type: ignore[attr-defined]
            lambda c: f"{c.label} — {c.school.name}"
        )
