"""Template helpers of the news."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString, mark_safe

from preau.news.richtext import sanitize

register = template.Library()


@register.filter
def post_html(value: str) -> SafeString:
    """A post's stored HTML, sanitised again as it is shown (defence in depth: the
    stored text was already cleaned on save; nh3 costs microseconds)."""
    return mark_safe(sanitize(value or ""))  # noqa: S308  (sanitised by nh3 just above)
