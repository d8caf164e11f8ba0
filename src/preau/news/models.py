"""Class, school and city news: posts with photos and attachments, their history and
comments, and guardians' photo-consent choices.

A post speaks to one audience: a class, a school, or every school of a municipality.
It is visible to that audience once it is published *and* its ``publish_at`` has
passed (scheduled posts need no job to appear; a periodic task only announces them).
Photos and attachments live in Django's default storage and are served only through
views that ask the access kernel; nothing is reachable from a public media URL.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from preau.core.models import TimeStampedModel
from preau.directory.models import Guardian, Municipality, Pupil, School, SchoolClass
from preau.news.images import THUMB_SIDE


class Audience(models.TextChoices):
    CLASS = "class", _("a class")
    SCHOOL = "school", _("a school")
    MUNICIPALITY = "municipality", _("every school of the city")


class Post(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")  # live once publish_at has passed

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey(
        School, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    school_class = models.ForeignKey(
        SchoolClass, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    audience = models.CharField(_("audience"), max_length=12, choices=Audience.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"), blank=True, help_text=_("What the author typed."))
    html = models.TextField(blank=True, help_text="The text as sanitised HTML (nh3).")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    publish_at = models.DateTimeField(_("published on"), null=True, blank=True)
    announced_at = models.DateTimeField(null=True, blank=True)
    comments_enabled = models.BooleanField(_("comments allowed"), default=False)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)

    class Meta:
        ordering = ["-publish_at", "-pk"]
        verbose_name = _("post")
        indexes = [
            models.Index(fields=["school_class", "status", "publish_at"]),
            models.Index(fields=["school", "audience", "status", "publish_at"]),
            models.Index(fields=["municipality", "audience", "status", "publish_at"]),
            models.Index(fields=["status", "announced_at", "publish_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                name="news_post_audience_matches",
                condition=(
                    Q(audience="class", school_class__isnull=False, school__isnull=False)
                    | Q(audience="school", school__isnull=False, school_class__isnull=True)
                    | Q(audience="municipality", school__isnull=True, school_class__isnull=True)
                ),
            ),
            models.CheckConstraint(
                name="news_post_published_has_date",
                condition=Q(status="draft") | Q(publish_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_live(self) -> bool:
        return (
            self.status == self.Status.PUBLISHED
            and self.publish_at is not None
            and self.publish_at <= timezone.now()
        )

    @property
    def is_scheduled(self) -> bool:
        return (
            self.status == self.Status.PUBLISHED
            and self.publish_at is not None
            and self.publish_at > timezone.now()
        )


def live() -> Q:
    """The posts their audience may read now."""
    return Q(status=Post.Status.PUBLISHED, publish_at__lte=timezone.now())


class Photo(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(max_length=255)
    thumbnail = models.FileField(max_length=255, blank=True)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    size = models.PositiveIntegerField(help_text="Bytes of the re-encoded image.")
    caption = models.CharField(_("description"), max_length=200, blank=True)
    original_name = models.CharField(_("file name"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    no_pupils = models.BooleanField(_("no pupil can be recognised"), default=False)
    pupils = models.ManyToManyField(
        Pupil, related_name="news_photos", blank=True, verbose_name=_("pupils in the photo")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["post", "position", "pk"]
        verbose_name = _("photo")

    def __str__(self) -> str:
        return self.caption or f"photo {self.pk}"

    @property
    def thumb_width(self) -> int:
        return max(1, round(self.width * self._thumb_scale))

    @property
    def thumb_height(self) -> int:
        return max(1, round(self.height * self._thumb_scale))

    @property
    def _thumb_scale(self) -> float:
        return min(1.0, THUMB_SIDE / max(self.width, self.height, 1))

    @property
    def municipality_id(self) -> int:
        return self.post.municipality_id


class Attachment(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(max_length=255)
    filename = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["post", "pk"]
        verbose_name = _("attachment")

    def __str__(self) -> str:
        return self.filename

    @property
    def municipality_id(self) -> int:
        return self.post.municipality_id


class PostRevision(models.Model):
    """What a post said before an edit, and who changed it when."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    title = models.CharField(max_length=200)
    text = models.TextField(blank=True)
    html = models.TextField(blank=True)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    edited_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-edited_at", "-pk"]
        verbose_name = _("revision")

    def __str__(self) -> str:
        return f"{self.title} ({self.edited_at:%Y-%m-%d %H:%M})"


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("awaiting approval")
        VISIBLE = "visible", _("visible")
        HIDDEN = "hidden", _("hidden by the author")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_name = models.CharField(max_length=200)
    text = models.TextField(_("comment"), max_length=2000)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.VISIBLE)
    created_at = models.DateTimeField(default=timezone.now)
    moderated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("comment")
        indexes = [models.Index(fields=["post", "status"])]

    def __str__(self) -> str:
        return f"{self.author_name}: {self.text[:40]}"

    @property
    def municipality_id(self) -> int:
        return self.post.municipality_id


class PhotoConsentChoice(models.Model):
    """A guardian's own choice about photos of their child, made in Préau.

    It outlives ONDE re-imports (which rewrite ``Pupil.consent_photo`` from the school's
    file): see ``preau.news.consent`` for how choices and ONDE combine.
    """

    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="+")
    guardian = models.ForeignKey(Guardian, on_delete=models.CASCADE, related_name="+")
    granted = models.BooleanField()
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("photo consent choice")
        constraints = [
            models.UniqueConstraint(fields=["pupil", "guardian"], name="news_one_choice_each")
        ]

    def __str__(self) -> str:
        return f"{self.pupil_id}/{self.guardian_id}: {self.granted}"

    @property
    def municipality_id(self) -> int:
        return self.pupil.municipality_id
