"""The messaging app's error: input it cannot take, with a message for the person."""

from __future__ import annotations


class MessagingError(ValueError):
    """Bad input or a forbidden write; ``str(error)`` says what and why."""


class Refused(MessagingError):
    """The communication matrix forbids this message (the refusal is audited)."""
