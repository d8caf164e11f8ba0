"""Forms of the compliance pages: a rule, and the filters of the devices' list.

The rule form checks through the service's own ``clean_rule`` so that a page and the
service refuse the same things with the same words. Filter choices come from the kernel.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from preau.directory.models import Site
from preau.fleet.compliance import dashboard
from preau.fleet.compliance.services import ComplianceError, clean_rule
from preau.fleet.models import Asset, AssetKind, ComplianceRule, ComplianceStatus, Device

Kind = ComplianceRule.Kind


class RuleForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    kind = forms.ChoiceField(label=_("Rule"), choices=Kind.choices)
    value = forms.CharField(
        label=_("Threshold"),
        required=False,
        max_length=200,
        help_text=_(
            "Operating system: the minimum version (12, 12.7, 10.0.19045). Inventory: the "
            "number of days. Free disk: a percentage. Antivirus: names to look for, separated "
            "by commas (also matched against installed software, for Linux); empty accepts "
            "any antivirus the agent reports. Software: names that must all be installed. "
            "Warranty: nothing."
        ),
    )
    os_name = forms.CharField(
        label=_("Operating system"),
        required=False,
        max_length=100,
        help_text=_(
            "Operating system rules only: apply to systems whose name contains this "
            "(e.g. Windows, Debian); empty for every system."
        ),
    )
    asset_kinds = forms.MultipleChoiceField(
        label=_("Asset kinds"),
        required=False,
        choices=AssetKind.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every device, including those linked to no asset."),
    )
    severity = forms.ChoiceField(label=_("Severity"), choices=ComplianceRule.Severity.choices)
    enabled = forms.BooleanField(label=_("Enabled"), required=False, initial=True)

    @classmethod
    def for_rule(cls, rule: ComplianceRule, data: Any = None) -> RuleForm:
        initial = {name: getattr(rule, name) for name in cls.base_fields}
        return cls(data, initial=initial)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        try:
            return clean_rule(data)
        except ComplianceError as exc:
            field = exc.field if exc.field in self.fields else None
            self.add_error(field, str(exc))
            return data


STATUS_CHOICES = [
    (dashboard.FAILING, _("Needs attention or critical")),
    (ComplianceStatus.CRITICAL, _("Critical")),
    (ComplianceStatus.WARNING, _("Needs attention")),
    (ComplianceStatus.OK, _("Compliant")),
    (dashboard.PENDING, _("Not evaluated yet")),
    (dashboard.NEVER, _("Never inventoried (assets)")),
    ("all", _("All devices")),
]


class DeviceFilter(forms.Form):
    q = forms.CharField(label=_("Host name"), required=False, max_length=100)
    site = forms.ChoiceField(label=_("Site"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    status = forms.ChoiceField(label=_("Compliance"), required=False, choices=STATUS_CHOICES)
    rule = forms.ChoiceField(label=_("Failed rule"), required=False)

    def __init__(
        self,
        data: Any,
        devices: QuerySet[Device],
        assets: QuerySet[Asset],
        rules: QuerySet[ComplianceRule] | None,
    ) -> None:
        super().__init__(data)
        sites = Site.objects.filter(
            Q(pk__in=devices.values("site_id")) | Q(pk__in=assets.values("site_id"))
        ).order_by("name")
        self.fields["site"].choices = [  # type: ignore[attr-defined]
            ("", _("All sites")), *((str(s.pk), s.name) for s in sites),
            (dashboard.NONE, _("No site")),
        ]  # fmt: skip
        self.fields["kind"].choices = [  # type: ignore[attr-defined]
            ("", _("All kinds")), *AssetKind.choices, (dashboard.NONE, _("not registered")),
        ]  # fmt: skip
        if rules is None:
            del self.fields["rule"]
        else:
            self.fields["rule"].choices = [  # type: ignore[attr-defined]
                ("", _("Any rule")), *((str(r.pk), r.name) for r in rules),
            ]  # fmt: skip

    def value(self, name: str) -> str:
        return str(self.cleaned_data.get(name) or "") if self.is_valid() else ""

    @property
    def chosen_status(self) -> str:
        return self.value("status") or dashboard.FAILING

    @property
    def is_filtered(self) -> bool:
        return self.is_bound and any(self.data.get(name) for name in self.fields)

    def apply(self, devices: QuerySet[Device]) -> QuerySet[Device]:
        site, kind, status = self.value("site"), self.value("kind"), self.chosen_status
        if site:
            devices = (
                devices.filter(site__isnull=True)
                if site == "none"
                else devices.filter(site_id=int(site))
            )
        if kind:
            devices = (
                devices.filter(asset__isnull=True)
                if kind == "none"
                else devices.filter(asset__kind=kind)
            )
        if status == dashboard.FAILING:
            devices = devices.filter(compliance__status__in=["warning", "critical"])
        elif status == dashboard.PENDING:
            devices = devices.filter(compliance__isnull=True)
        elif status in ComplianceStatus.values:
            devices = devices.filter(compliance__status=status)
        for word in self.value("q").split()[:5]:
            devices = devices.filter(hostname__icontains=word)
        rule = self.value("rule")
        return _failing(devices, int(rule)) if rule.isdigit() else devices

    def apply_assets(self, assets: QuerySet[Asset]) -> QuerySet[Asset]:
        """The "never inventoried" list: assets, filtered by site and kind alike."""
        site, kind = self.value("site"), self.value("kind")
        assets = dashboard.never_inventoried(assets)
        if site:
            assets = (
                assets.filter(site__isnull=True)
                if site == "none"
                else assets.filter(site_id=int(site))
            )
        if kind == "none":
            return assets.none()
        return assets.filter(kind=kind) if kind else assets


def _failing(devices: QuerySet[Device], rule: int) -> QuerySet[Device]:
    """Devices whose verdict lists ``rule``: read in Python, as SQLite cannot look inside a
    JSON list (one light query of ids and failures)."""
    failures = devices.filter(compliance__isnull=False).values_list("pk", "compliance__failures")
    ids = [pk for pk, found in failures if any(f.get("rule") == rule for f in found or [])]
    return devices.filter(pk__in=ids)
