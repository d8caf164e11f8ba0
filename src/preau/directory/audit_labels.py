from django.utils.translation import gettext_lazy as _

from preau.core.actions import describe

describe(
    {
        "pupil.viewed": _("Pupil record viewed"),
        "onde.upload": _("ONDE files uploaded"),
        "onde.import": _("ONDE import applied"),
        "onde.import.rejected": _("ONDE import refused"),
        "role.granted": _("Role granted"),
        "role.revoked": _("Role removed"),
        "user.created": _("Staff account created"),
        "municipality.created": _("Municipality registered"),
    }
)
