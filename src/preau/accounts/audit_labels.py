from django.utils.translation import gettext_lazy as _

from preau.core.actions import describe

describe(
    {
        "login": _("Logged in"),
        "logout": _("Logged out"),
        "login_failed": _("Failed login"),
        "login_rate_limited": _("Login refused: too many attempts"),
        "activation.letters": _("Activation letters generated"),
        "activation.reminders": _("Username reminders generated"),
        "activation.redeemed": _("Family account activated"),
        "activation.failed": _("Wrong activation code"),
        "activation.rate_limited": _("Activation refused: too many attempts"),
        "api_token.created": _("API token created"),
        "api_token.revoked": _("API token revoked"),
        "audit.exported": _("Audit log exported"),
    }
)
