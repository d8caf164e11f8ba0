"""The fleet's sub-navigation, shown on every fleet page: what the user may open."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from preau.fleet.access import fleet_municipalities

register = template.Library()

# (url name, label, staff only): staff are the municipality's technicians and admins.
SECTIONS = (
    ("asset_list", _("Assets"), False),
    ("device_list", _("Devices"), False),
    ("compliance_dashboard", _("Compliance"), False),
    ("package_list", _("Deployment"), True),
    ("agents", _("Agents"), True),
)


@register.inclusion_tag("fleet/_subnav.html", takes_context=True)
def fleet_subnav(context: template.Context) -> dict[str, Any]:
    request = context["request"]
    staff = bool(fleet_municipalities(request.user))
    links = []
    for name, label, staff_only in SECTIONS:
        if staff_only and not staff:
            continue
        url = reverse(f"fleet:{name}")
        current = request.path.startswith(url) if name != "asset_list" else request.path == url
        links.append({"url": url, "label": label, "current": current})
    return {"links": links}
