"""Small template helpers of the UI shell: current navigation entry, pagination."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template
from django.core.paginator import Page

register = template.Library()


@register.simple_tag
def current_nav_url(entries: Iterable[Any], path: str) -> str:
    """The URL of the entry the page belongs to: the longest one that prefixes ``path``.

    The home page ("/") only matches itself, or every page would belong to it.
    """
    best = ""
    for entry in entries:
        url = entry.url
        matches = path == url if url == "/" else path.startswith(url)
        if matches and len(url) > len(best):
            best = url
    return best


@register.inclusion_tag("includes/pagination.html", takes_context=True)
def pagination(context: template.Context, page_obj: Page[Any]) -> dict[str, Any]:
    # The request travels with the context, so {% querystring %} keeps the filters.
    return {"page_obj": page_obj, "request": context.get("request")}
