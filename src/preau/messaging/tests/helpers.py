"""Small helpers of the messaging tests: write through the services as a persona."""

from __future__ import annotations

from typing import Any

from preau.messaging import services
from preau.messaging.models import Conversation


def start(
    sender: Any,
    *recipients: Any,
    subject: str = "Bonjour",
    body: str = "Un message.",
    **kwargs: Any,
) -> Conversation:
    return services.start_conversation(
        sender,
        recipient_ids=[r.pk for r in recipients],
        subject=subject,
        body=body,
        **kwargs,
    )[0]
