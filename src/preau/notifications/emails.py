"""The e-mails: one notification, or several grouped by kind; text and HTML bodies.

A message is built for one recipient from their own notifications only, in their
language, with links back to the site and a one-click unsubscribe (RFC 8058).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import ngettext

from preau.accounts.models import User
from preau.notifications.delivery import Delivery
from preau.notifications.models import Notification
from preau.notifications.registry import IMMEDIATE, StrOrPromise, kinds
from preau.notifications.services import ALL_KINDS
from preau.notifications.tokens import make_token


def absolute(path: str) -> str:
    return settings.PUBLIC_URL + path


def unsubscribe_url(user_id: int, scope: str) -> str:
    return absolute(reverse("notifications:unsubscribe", args=[make_token(user_id, scope)]))


@dataclass(frozen=True)
class Group:
    kind: str
    label: StrOrPromise
    items: list[tuple[Notification, str]]  # each notification and its link
    unsubscribe_url: str


def _groups(user_id: int, notifications: Sequence[Notification]) -> list[Group]:
    labels = {k.code: k.label for k in kinds()}
    order = {code: i for i, code in enumerate(labels)}
    by_kind: dict[str, list[Notification]] = {}
    for n in notifications:
        by_kind.setdefault(n.kind, []).append(n)
    return [
        Group(
            kind,
            labels.get(kind, kind),
            [(n, absolute(reverse("notifications:open", args=[n.pk]))) for n in items],
            unsubscribe_url(user_id, kind),
        )
        for kind, items in sorted(by_kind.items(), key=lambda kv: order.get(kv[0], len(order)))
    ]


def build_message(
    user: User,
    notifications: Sequence[Notification],
    delivery: Delivery,
    modes: dict[str, str],
) -> EmailMultiAlternatives:
    """The e-mail telling ``user`` about ``notifications`` (theirs, oldest first)."""
    single = len(notifications) == 1 and modes.get(notifications[0].kind) == IMMEDIATE
    with translation.override(delivery.email_language):
        if single:
            subject = notifications[0].title
            one_click = unsubscribe_url(user.pk, notifications[0].kind)
        else:
            count = len(notifications)
            subject = ngettext(
                "%(count)d new notification on Préau", "%(count)d new notifications on Préau", count
            ) % {"count": count}
            one_click = unsubscribe_url(user.pk, ALL_KINDS)
        context = {
            "user": user,
            "single": single,
            "subject": subject,
            "groups": _groups(user.pk, notifications),
            "unsubscribe_all_url": unsubscribe_url(user.pk, ALL_KINDS),
            "preferences_url": absolute(reverse("notifications:preferences")),
            "timeline_url": absolute(reverse("notifications:timeline")),
            "language": delivery.email_language,
        }
        text = render_to_string("notifications/email/notifications.txt", context)
        html = render_to_string("notifications/email/notifications.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{one_click}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "List-Id": f"<notifications.{urlsplit(settings.PUBLIC_URL).hostname}>",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(html, "text/html")
    return message
