"""Forms of the deployment pages. Every choice they offer comes from the access kernel;
the services check everything again (a form is one caller among others)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from preau.core.access import restrict
from preau.core.search import fold
from preau.directory.models import Room, Site
from preau.fleet.deploy.progress import STATUS_CHOICES
from preau.fleet.models import AssetKind, Device, Package, PackageAction, PackageCheck


class PackageFilter(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    trash = forms.BooleanField(label=_("Show the trash"), required=False)

    def apply(self, qs: QuerySet[Package]) -> QuerySet[Package]:
        if not self.is_valid():
            return qs.filter(trashed_at__isnull=True)
        qs = qs.filter(trashed_at__isnull=not self.cleaned_data["trash"])
        for word in self.cleaned_data["q"].split()[:5]:
            qs = qs.filter(name__fold__contains=fold(word))
        return qs


class PackageForm(forms.ModelForm):
    class Meta:
        model = Package
        fields = ["name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class FileForm(forms.Form):
    file = forms.FileField(label=_("File"))
    uncompress = forms.BooleanField(label=_("Unpack the archive on the device"), required=False)


class CheckForm(forms.ModelForm):
    class Meta:
        model = PackageCheck
        fields = ["kind", "path", "value", "on_fail"]
        help_texts = {
            "path": _("For example C:\\Program Files\\LibreOffice\\program\\soffice.exe"),
            "value": _("Only for “file has this sha512” and “free space greater than”."),
        }


class ActionForm(forms.ModelForm):
    class Meta:
        model = PackageAction
        fields = ["kind", "name", "command", "target", "ok_codes"]
        widgets = {"command": forms.Textarea(attrs={"rows": 2, "spellcheck": "false"})}
        help_texts = {
            "command": _(
                "For a command, the command line, e.g. msiexec /i LibreOffice.msi /qn; "
                "otherwise the path to copy, move, create or delete."
            ),
            "target": _("Only to copy or move."),
            "ok_codes": _(
                "Only for a command: e.g. 0 or 0,3010. Blank: any exit code is a success."
            ),
        }


class DeploymentForm(forms.Form):
    sites = forms.ModelMultipleChoiceField(
        label=_("Sites"),
        queryset=Site.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    rooms = forms.ModelMultipleChoiceField(
        label=_("Rooms"),
        queryset=Room.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8, "aria-describedby": "rooms-help"}),
    )
    kinds = forms.MultipleChoiceField(
        label=_("Asset kinds"),
        choices=AssetKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    devices = forms.ModelMultipleChoiceField(
        label=_("Devices"),
        queryset=Device.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8, "aria-describedby": "devices-help"}),
    )

    def __init__(self, *args: Any, package: Package, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        municipality = package.municipality_id
        sites = restrict(user, Site).filter(municipality_id=municipality).order_by("name")
        rooms = Room.objects.filter(site__in=sites).select_related("site")
        devices = restrict(user, Device).filter(municipality_id=municipality).select_related("site")
        self.fields["sites"].queryset = sites  # type: ignore[attr-defined]
        self.fields["rooms"].queryset = rooms.order_by("site__name", "name")  # type: ignore[attr-defined]
        self.fields["devices"].queryset = devices.order_by("hostname", "pk")  # type: ignore[attr-defined]
        self.fields["devices"].label_from_instance = _device_label  # type: ignore[attr-defined]

    def target(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in ("sites", "rooms", "kinds", "devices")}


def _device_label(device: Device) -> str:
    name = device.hostname or device.deviceid
    return f"{name} ({device.site.name})" if device.site else name


class StatusFilter(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *STATUS_CHOICES]
    )
