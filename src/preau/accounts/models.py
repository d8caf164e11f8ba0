from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from preau.directory.models import Guardian, Membership, Pupil


class User(AbstractUser):
    """A person who logs in. What they may reach comes from the directory, not from here."""

    class Meta:
        verbose_name = _("user")

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username

    @property
    def home_municipality_id(self) -> int | None:
        """The municipality whose city admins see this person's audit records.

        Staff belong to their memberships' municipality, families to their guardian or
        pupil record's; someone with no link at all belongs to none.
        """
        for model in (Membership, Guardian, Pupil):
            found = (
                model.objects.filter(user_id=self.pk)
                .values_list("municipality_id", flat=True)
                .first()
            )
            if found is not None:
                return int(found)
        return None


class ActivationCode(models.Model):
    """A one-time code printed on a guardian's activation letter.

    Only a keyed hash of the code is stored, so a database leak does not give accounts
    away; the clear code exists once, in the PDF handed to the family.
    """

    guardian = models.ForeignKey(
        "directory.Guardian", on_delete=models.CASCADE, related_name="activation_codes"
    )
    code_digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("activation code")

    def __str__(self) -> str:
        return f"activation code for guardian #{self.guardian_id}"

    @property
    def is_usable(self) -> bool:
        return self.used_at is None and self.revoked_at is None and self.expires_at > timezone.now()


class ApiToken(models.Model):
    """A personal token for the API (``Authorization: Bearer <token>``); stored hashed."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=8)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
