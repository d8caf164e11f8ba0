"""The preferences form: an e-mail choice per kind, then digest time and quiet hours."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from preau.notifications.delivery import Delivery
from preau.notifications.models import EmailMode
from preau.notifications.registry import kinds

KIND_PREFIX = "kind__"


def _hour_label(hour: int) -> str:
    return f"{hour:02d}:00"


class PreferencesForm(forms.Form):
    emails_enabled = forms.BooleanField(
        label=_("Send me e-mails about notifications"),
        required=False,
        help_text=_("Unticked, you still see everything here, but get no e-mail at all."),
    )
    digest_hour = forms.TypedChoiceField(
        label=_("Daily digest time"),
        choices=[(h, _hour_label(h)) for h in range(24)],
        coerce=int,
        help_text=_("The digest groups the day's unread notifications in one e-mail."),
    )
    quiet_hours = forms.BooleanField(label=_("Quiet hours"), required=False)
    quiet_start = forms.TimeField(
        label=_("Quiet from"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    quiet_end = forms.TimeField(
        label=_("Quiet until"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    quiet_weekends = forms.BooleanField(label=_("Quiet all weekend"), required=False)
    language = forms.ChoiceField(
        label=_("Language of e-mails"),
        choices=[("", _("The site's default language")), *settings.LANGUAGES],
        required=False,
    )

    def __init__(self, *args: Any, modes: dict[str, str], delivery: Delivery, **kwargs: Any):
        kwargs.setdefault(
            "initial",
            {
                "emails_enabled": delivery.emails_enabled,
                "digest_hour": delivery.digest_hour,
                "quiet_hours": delivery.quiet.enabled,
                "quiet_start": delivery.quiet.start,
                "quiet_end": delivery.quiet.end,
                "quiet_weekends": delivery.quiet.weekends,
                "language": delivery.language,
            },
        )
        super().__init__(*args, **kwargs)
        for kind in kinds():
            name = KIND_PREFIX + kind.code
            self.fields[name] = forms.ChoiceField(
                label=kind.label,
                choices=EmailMode.choices,
                widget=forms.RadioSelect,
                initial=modes.get(kind.code, kind.default_email),
                required=False,  # a kind left out keeps its current choice
            )

    def kind_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith(KIND_PREFIX)]

    def modes(self) -> dict[str, str]:
        return {
            name.removeprefix(KIND_PREFIX): value
            for name, value in self.cleaned_data.items()
            if name.startswith(KIND_PREFIX) and value
        }
