from django.utils.translation import gettext_lazy as _

from preau.core.actions import describe

describe(
    {
        "news.post_created": _("News post created"),
        "news.post_edited": _("News post edited"),
        "news.post_published": _("News post published"),
        "news.post_scheduled": _("News post scheduled"),
        "news.post_unpublished": _("News post back to draft"),
        "news.post_deleted": _("News post deleted"),
        "news.media_added": _("Photos or files added to a post"),
        "news.photo_tagged": _("Photo described and pupils tagged"),
        "news.photo_removed": _("Photo removed from a post"),
        "news.attachment_removed": _("File removed from a post"),
        "news.comment_added": _("Comment added"),
        "news.comment_moderated": _("Comment moderated"),
        "news.comment_deleted": _("Comment deleted"),
        "news.photo_consent_changed": _("Photo consent changed by a guardian"),
    }
)
