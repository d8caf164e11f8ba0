"""Photo consent: may a photo showing this pupil be shown to families?

The school's answer comes from ONDE ("Autorisation photo", ``Pupil.consent_photo``). A
guardian may change it in Préau (``PhotoConsentChoice``, one row per guardian and
child), and that choice wins over ONDE, because the next ONDE import rewrites
``Pupil.consent_photo`` from the school's file and would otherwise silently undo it:

- if any guardian of the child withdrew consent in Préau, there is no consent;
- else, if a guardian granted it in Préau, there is consent;
- else ONDE's answer stands.

A "no" from one guardian is enough, as for the paper form. ``Pupil.consent_photo`` is
rewritten after each choice (there is no directory service for it), so the directory's
pages show the consent in force.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from preau.directory.models import Pupil
from preau.news.models import PhotoConsentChoice


def without_consent() -> Q:
    """Pupils whose photos may not be shown (a filter on ``Pupil``)."""
    withdrawn = PhotoConsentChoice.objects.filter(granted=False).values("pupil_id")
    granted = PhotoConsentChoice.objects.filter(granted=True).values("pupil_id")
    return Q(pk__in=withdrawn) | (Q(consent_photo=False) & ~Q(pk__in=granted))


def pupils_without_consent(pupil_ids: Iterable[int]) -> set[int]:
    ids = list(pupil_ids)
    if not ids:
        return set()
    return set(Pupil.objects.filter(without_consent(), pk__in=ids).values_list("pk", flat=True))


def pupils_without_consent_qs() -> QuerySet[Pupil]:
    return Pupil.objects.filter(without_consent())


def effective(pupil: Pupil) -> bool:
    """The consent in force for one pupil."""
    choices = set(PhotoConsentChoice.objects.filter(pupil=pupil).values_list("granted", flat=True))
    if False in choices:
        return False
    if True in choices:
        return True
    return pupil.consent_photo


def write_pupil_consent(pupil: Pupil) -> bool:
    """Copy the consent in force to ``Pupil.consent_photo``; return it.

    The directory has no service that writes this field, so the news app, which owns
    the guardians' choices, keeps it in step (called inside the service's transaction).
    """
    value = effective(pupil)
    if pupil.consent_photo != value:
        Pupil.objects.filter(pk=pupil.pk).update(consent_photo=value)
        pupil.consent_photo = value
    return value
