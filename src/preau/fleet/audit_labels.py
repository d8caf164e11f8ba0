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
        "fleet.package_created": _("Software package created"),
        "fleet.package_changed": _("Software package renamed or described"),
        "fleet.package_duplicated": _("Software package duplicated"),
        "fleet.package_trashed": _("Software package put in the trash"),
        "fleet.package_restored": _("Software package restored"),
        "fleet.package_erased": _("Software package erased"),
        "fleet.package_file_added": _("File added to a package"),
        "fleet.package_file_removed": _("File removed from a package"),
        "fleet.package_check_added": _("Package check added"),
        "fleet.package_check_changed": _("Package check changed"),
        "fleet.package_check_removed": _("Package check removed"),
        "fleet.package_check_moved": _("Package check moved"),
        "fleet.package_action_added": _("Package action added"),
        "fleet.package_action_changed": _("Package action changed"),
        "fleet.package_action_removed": _("Package action removed"),
        "fleet.package_action_moved": _("Package action moved"),
        "fleet.deployment_created": _("Deployment launched"),
        "fleet.deployment_paused": _("Deployment paused"),
        "fleet.deployment_resumed": _("Deployment resumed"),
        "fleet.deployment_cancelled": _("Deployment cancelled"),
        "fleet.deployment_retried": _("Failed deployment jobs retried"),
    }
)
