"""The one error class of the news app."""

from __future__ import annotations


class NewsError(ValueError):
    """Input the news cannot take; the message says which field or file, and why."""
