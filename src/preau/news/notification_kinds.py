"""The kinds of notification the news sends (registered from ``NewsConfig.ready``)."""

from django.utils.translation import gettext_lazy as _

from preau.notifications.registry import DIGEST, IMMEDIATE, register_kind

register_kind("news.published", _("New post"), default_email=DIGEST)
register_kind("news.comment_pending", _("Comment awaiting approval"), default_email=DIGEST)
register_kind(
    "news.photo_hidden", _("Photo hidden after a consent change"), default_email=IMMEDIATE
)
