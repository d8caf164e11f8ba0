"""Human labels of audit actions. Each app describes the actions it records."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.functional import Promise

_labels: dict[str, str | Promise] = {}


def describe(labels: Mapping[str, str | Promise]) -> None:
    _labels.update(labels)


def label(action: str) -> str:
    """The translated label of ``action``; the code itself when nobody described it."""
    return str(_labels.get(action, action))
