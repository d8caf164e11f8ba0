"""The messaging forms: they check the shape of the input; the services decide the rest
(the communication matrix, the files' contents)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from preau.messaging.files import MAX_FILES
from preau.messaging.models import SUBJECT_MAX
from preau.messaging.moderation import NOTE_MAX, REASON_MAX
from preau.messaging.roles import ALL_PAIRS, PLURAL, SHORT, Cell, Reach, can_be_moderated
from preau.messaging.services import MAX_RECIPIENTS
from preau.messaging.text import BODY_MAX

ACCEPT = "application/pdf,image/jpeg,image/png,image/webp,image/gif,.pdf,.jpg,.jpeg,.png,.webp,.gif"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files at once; their contents are checked by ``files.check_file``."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT, "multiple": True}))
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        uploads = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if len(uploads) > MAX_FILES:
            raise forms.ValidationError(
                _("A message takes at most %(count)d attachments."), params={"count": MAX_FILES}
            )
        return uploads


class RecipientsField(forms.Field):
    """User ids; whether the sender may write to them is the service's decision."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[int]:
        values = value if isinstance(value, list | tuple) else ([value] if value else [])
        try:
            ids = list(dict.fromkeys(int(v) for v in values))
        except (TypeError, ValueError):
            raise forms.ValidationError(_("Choose recipients from the list.")) from None
        if not ids:
            raise forms.ValidationError(_("Choose at least one recipient."))
        if len(ids) > MAX_RECIPIENTS:
            raise forms.ValidationError(
                _("A message goes to at most %(count)d people."), params={"count": MAX_RECIPIENTS}
            )
        return ids


def _body(required: bool = False) -> forms.CharField:
    return forms.CharField(
        label=_("Message"),
        required=required,
        strip=False,
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
    )


class ComposeForm(forms.Form):
    to = RecipientsField(label=_("To"))
    subject = forms.CharField(label=_("Subject"), required=False, max_length=SUBJECT_MAX)
    body = _body()
    attachments = MultipleFileField(label=_("Attachments (PDF or photos)"))
    together = forms.BooleanField(
        label=_(
            "One conversation for everyone: the families will see each other's names and "
            "replies (otherwise each family gets its own copy)"
        ),
        required=False,
    )


class ReplyForm(forms.Form):
    body = _body()
    attachments = MultipleFileField(label=_("Attachments (PDF or photos)"))


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=NOTE_MAX)


class ReportForm(forms.Form):
    reason = forms.CharField(
        label=_("What is wrong with this message? (optional)"),
        required=False,
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def cell_field(pair: tuple[str, str]) -> str:
    return f"cell_{pair[0]}_{pair[1]}"


def moderated_field(pair: tuple[str, str]) -> str:
    return f"mod_{pair[0]}_{pair[1]}"


class MatrixForm(forms.Form):
    """One choice per pair of parties: a reach, or "" to inherit the level above."""

    def __init__(
        self,
        *args: Any,
        inherited: dict[tuple[str, str], Cell],
        stored: dict[tuple[str, str], Cell],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.pairs = list(ALL_PAIRS)
        self.inherited = inherited
        for pair in self.pairs:
            above = inherited[pair]
            # In brackets: inherited (from the default, or the city's choice for a school).
            inherit_label = _("(%(reach)s)") % {"reach": SHORT[above.reach]}
            current = stored.get(pair)
            self.fields[cell_field(pair)] = forms.ChoiceField(
                label=_("%(sender)s → %(recipient)s")
                % {"sender": PLURAL[pair[0]], "recipient": PLURAL[pair[1]]},
                choices=[("", inherit_label), *((r, SHORT[r]) for r in Reach.values)],
                required=False,
                initial=current.reach if current else "",
            )
            if can_be_moderated(pair[0]):
                self.fields[moderated_field(pair)] = forms.BooleanField(
                    label=_("moderated"),
                    required=False,
                    initial=(current or above).moderated,
                )

    def cells(self) -> dict[tuple[str, str], Cell | None]:
        found: dict[tuple[str, str], Cell | None] = {}
        for pair in self.pairs:
            reach = self.cleaned_data.get(cell_field(pair)) or ""
            moderated = bool(self.cleaned_data.get(moderated_field(pair)))
            if reach:
                found[pair] = Cell(reach, moderated)
            elif moderated != self.inherited[pair].moderated:
                # Only the moderation box changed: keep the inherited reach, at this level.
                found[pair] = Cell(self.inherited[pair].reach, moderated)
            else:
                found[pair] = None
        return found
