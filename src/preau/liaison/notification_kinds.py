"""The kinds of notification the cahier de liaison sends (imported from ``ready()``)."""

from django.utils.translation import gettext_lazy as _

from preau.notifications.registry import IMMEDIATE, register_kind

# A note to sign usually has a deadline of a day or two: by default, an e-mail at once.
register_kind("liaison.note", _("A note from school"), default_email=IMMEDIATE)
register_kind("liaison.reminder", _("A reminder of a note to sign"), default_email=IMMEDIATE)
