from __future__ import annotations

from django import template
from django.utils.safestring import SafeString, mark_safe

from preau.homework import text

register = template.Library()


@register.filter
def homework_html(value: str) -> SafeString:
    """An entry's text, cleaned again on the way out (safe whatever wrote the row)."""
    return mark_safe(text.clean(value or ""))  # noqa: S308 - nh3 keeps only the safe subset
