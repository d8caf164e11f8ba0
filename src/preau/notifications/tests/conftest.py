"""A real SMTP server for the notifications tests, and two kinds to notify about."""

from __future__ import annotations

import email
import email.policy
import socket
import threading
from collections.abc import Iterator
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from preau.notifications.registry import DIGEST, IMMEDIATE, register_kind

NOTE = "tests.note"
NEWS = "tests.news"
register_kind(NOTE, "Notes to sign", default_email=IMMEDIATE)
register_kind(NEWS, "Class news", default_email=DIGEST)


class _Handler:
    def __init__(self) -> None:
        self.received: list[tuple[list[str], bytes]] = []
        self.lock = threading.Lock()
        self.data_calls = 0
        self.defer_data_calls: set[int] = set()  # answer "451 try later" to these DATA

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        if address.startswith("refused"):
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            self.data_calls += 1
            if self.data_calls in self.defer_data_calls:
                return "451 4.3.0 Temporary failure, try again later"
            self.received.append((list(envelope.rcpt_tos), bytes(envelope.content)))
        return "250 Message accepted for delivery"


class Mailbox:
    """What the SMTP server received, parsed back as e-mail messages."""

    def __init__(self, handler: _Handler) -> None:
        self._handler = handler

    def defer(self, *data_calls: int) -> None:
        """Make the server answer "try later" to these DATA commands (1 = the first)."""
        self._handler.defer_data_calls.update(data_calls)

    @property
    def messages(self) -> list[EmailMessage]:
        with self._handler.lock:
            raw = [content for _rcpt, content in self._handler.received]
        return [email.message_from_bytes(content, policy=email.policy.default) for content in raw]

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]

    def envelopes(self) -> list[list[str]]:
        with self._handler.lock:
            return [rcpt for rcpt, _content in self._handler.received]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def smtp(settings: Any) -> Iterator[Mailbox]:
    handler = _Handler()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    try:
        yield Mailbox(handler)
    finally:
        controller.stop()


def text_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content())


def html_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("html",))
    assert part is not None
    return str(part.get_content())
