from django.utils.translation import gettext_lazy as _

from preau.core.actions import describe

describe(
    {
        "fleet.asset_created": _("Asset registered"),
        "fleet.asset_changed": _("Asset changed"),
        "fleet.asset_status": _("Asset status changed"),
        "fleet.delivery_imported": _("Delivery imported into the fleet"),
        "fleet.labels_printed": _("Asset labels printed"),
        "fleet.agent_tag_added": _("Agent tag added"),
        "fleet.agent_tag_removed": _("Agent tag removed"),
    }
)
