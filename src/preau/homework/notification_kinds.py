"""The kinds of notification the cahier de textes sends (see ``preau.notifications``)."""

from django.utils.translation import gettext_lazy as _

from preau.notifications.registry import register_kind

# Homework is rarely urgent: by default families get it in their daily digest.
register_kind("homework.new", _("Homework"), default_email="digest")
