"""The agenda in the main navigation: everyone with a school, a class or a child."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from preau.agenda.access import has_agenda
from preau.core.navigation import NavEntry, register

register(NavEntry("agenda", _("Agenda"), "agenda:index", has_agenda, order=36))
