from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.password_validation import (
    password_validators_help_text_html,
    validate_password,
)
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.utils.translation import gettext_lazy as _

from preau.accounts.models import User
from preau.core.actions import label


class ActivationCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Activation code"),
        max_length=40,
        help_text=_("The 12 characters printed on your letter, e.g. K7QM-3XPA-9TRW."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )


class ChooseAccountForm(forms.Form):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text=_("You will type it to log in. Letters, digits and . - _ only."),
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        help_text=password_validators_help_text_html(),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, person: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.person = person  # unsaved: lets the validators compare with the names

    def clean_username(self) -> str:
        username: str = self.cleaned_data["username"].strip()
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("This username is already taken."))
        return username

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        elif first:
            self.person.username = cleaned.get("username", "")
            try:
                validate_password(first, self.person)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class LettersForm(forms.Form):
    MISSING = "missing"
    WITHOUT_ACCOUNT = "without_account"
    ALL = "all"

    who = forms.ChoiceField(
        label=_("Letters for"),
        choices=[
            (MISSING, _("Guardians without an account who have no valid code yet")),
            (WITHOUT_ACCOUNT, _("All guardians without an account (replaces codes already sent)")),
            (ALL, _("All guardians (those with an account get a reminder of their username)")),
        ],
        initial=MISSING,
        widget=forms.RadioSelect,
    )


class AuditFilterForm(forms.Form):
    person = forms.CharField(label=_("Person"), required=False, max_length=150)
    action = forms.ChoiceField(label=_("Action"), required=False)
    date_from = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    date_to = forms.DateField(
        label=_("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args: Any, actions: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        action_field = self.fields["action"]
        assert isinstance(action_field, forms.ChoiceField)
        action_field.choices = [("", _("All actions"))] + [(a, label(a)) for a in actions]
