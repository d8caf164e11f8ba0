from django.utils.translation import gettext_lazy as _

from preau.core.actions import describe

describe(
    {
        "notifications.preferences_changed": _("Notification preferences changed"),
        "notifications.unsubscribed": _("Unsubscribed from notification e-mails"),
    }
)
