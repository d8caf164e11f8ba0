from django.utils.translation import gettext_lazy as _

from preau.core.actions import describe

describe(
    {
        "agenda.event_created": _("Agenda event added"),
        "agenda.event_updated": _("Agenda event changed"),
        "agenda.event_deleted": _("Agenda event deleted"),
        "agenda.feed_link_created": _("Private calendar feed link made"),
        "agenda.feed_link_revoked": _("Private calendar feed link revoked"),
        "agenda.ics_uploaded": _("Calendar file uploaded for import"),
        "agenda.ics_imported": _("Calendar file imported"),
    }
)
