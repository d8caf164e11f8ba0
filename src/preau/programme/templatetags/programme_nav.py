"""The programme's sub-navigation, shown on every page about one programme.

The pages pass the programme under different names (the programme itself, or the claim,
order, invoice or contract being shown); the tag finds it in the template context.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from preau.programme.models import Programme

register = template.Library()

SECTIONS = (
    ("detail", _("Overview")),
    ("structure", _("Structure")),
    ("contracts", _("Contracts")),
    ("orders", _("Orders")),
    ("invoices", _("Invoices")),
    ("claims", _("Claims")),
    ("indicators", _("Indicators")),
    ("rollout", _("Rollout")),
    ("import_accounting", _("Import")),
)
_PATHS = (
    "programme",
    "p.programme",
    "claim.programme",
    "order.programme",
    "invoice.order.programme",
    "contract.programme",
    "delivery.order.programme",
)


def _find(context: template.Context) -> Programme | None:
    for path in _PATHS:
        value: Any = context
        for name in path.split("."):
            try:
                value = value[name] if isinstance(value, template.Context) else getattr(value, name)
            except (KeyError, AttributeError):
                value = None
            if value is None:
                break
        if isinstance(value, Programme):
            return value
    return None


@register.inclusion_tag("programme/_subnav.html", takes_context=True)
def programme_subnav(context: template.Context) -> dict[str, Any]:
    programme = _find(context)
    if programme is None:
        return {"links": []}
    path = context["request"].path
    links = []
    for name, label in SECTIONS:
        url = reverse(f"programme:{name}", args=[programme.pk])
        current = path == url or (name != "detail" and path.startswith(url))
        links.append({"url": url, "label": label, "current": current})
    return {"links": links, "programme": programme}
