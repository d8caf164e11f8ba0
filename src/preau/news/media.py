"""The writes of a post's photos and attachments, and the photo-consent checks.

Files are checked and re-encoded before anything is written (``images.py``); each
photo then has to say who appears in it: the pupils tagged (from the post's audience),
or "no pupil can be recognised". A photo that says neither, or that tags a pupil
without photo consent, keeps its post from being published, and is never shown to
families (``access.py``) — so consent withdrawn after publication hides it at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from preau.core import audit
from preau.directory.models import Pupil
from preau.news import storage
from preau.news.audience import audience_pupils
from preau.news.consent import pupils_without_consent
from preau.news.errors import NewsError
from preau.news.images import Encoded, UploadRefused, check_pdf, reencode_photo
from preau.news.models import Attachment, Photo, Post

MAX_PHOTOS = 20
MAX_ATTACHMENTS = 5
CAPTION_MAX = 200


@dataclass(frozen=True)
class Upload:
    """A file as received: its name (for messages) and its bytes."""

    name: str
    data: bytes


@dataclass
class Prepared:
    photos: list[tuple[str, Encoded]] = field(default_factory=list)
    pdfs: list[tuple[str, bytes]] = field(default_factory=list)


def _short(name: str) -> str:
    return (name or "?").rsplit("/", 1)[-1][:200]


def prepare(
    photos: Sequence[Upload], attachments: Sequence[Upload], post: Post | None = None
) -> Prepared:
    """Check and re-encode every file first; one refused file refuses them all."""
    have_photos = post.photos.count() if post is not None and post.pk else 0
    have_pdfs = post.attachments.count() if post is not None and post.pk else 0
    if have_photos + len(photos) > MAX_PHOTOS:
        raise NewsError(_("A post holds at most %(n)s photos.") % {"n": MAX_PHOTOS})
    if have_pdfs + len(attachments) > MAX_ATTACHMENTS:
        raise NewsError(_("A post holds at most %(n)s attachments.") % {"n": MAX_ATTACHMENTS})
    prepared = Prepared()
    errors: list[str] = []
    for upload in photos:
        try:
            prepared.photos.append((_short(upload.name), reencode_photo(upload.name, upload.data)))
        except UploadRefused as refused:
            errors.append(str(refused))
    for upload in attachments:
        try:
            check_pdf(upload.name, upload.data)
            prepared.pdfs.append((_pdf_name(upload.name), upload.data))
        except UploadRefused as refused:
            errors.append(str(refused))
    if errors:
        raise NewsError(" ".join(errors))
    return prepared


def _pdf_name(name: str) -> str:
    base = _short(name).replace("\\", "_").strip() or "document"
    return base if base.lower().endswith(".pdf") else f"{base[:195]}.pdf"


@contextmanager
def cleanup_on_failure() -> Iterator[list[str]]:
    """The names of files stored inside the block, deleted again if it fails."""
    stored: list[str] = []
    try:
        yield stored
    except BaseException:
        storage.delete_now(stored)
        raise


def save_prepared(post: Post, prepared: Prepared, stored: list[str]) -> list[Photo]:
    """Store the files and their rows (inside the caller's transaction)."""
    start = (post.photos.aggregate(m=Max("position"))["m"] or 0) + 1
    photos: list[Photo] = []
    for offset, (name, encoded) in enumerate(prepared.photos):
        image = storage.store(post.municipality_id, "photos", encoded.data, "jpg")
        stored.append(image)
        photos.append(
            Photo.objects.create(
                post=post,
                image=image,
                width=encoded.width,
                height=encoded.height,
                size=len(encoded.data),
                original_name=name,
                position=start + offset,
            )
        )
    for name, data in prepared.pdfs:
        file = storage.store(post.municipality_id, "files", data, "pdf")
        stored.append(file)
        Attachment.objects.create(post=post, file=file, filename=name, size=len(data))
    ids = [p.pk for p in photos]
    if ids:
        transaction.on_commit(lambda: _enqueue_thumbnails(ids))
    return photos


def _enqueue_thumbnails(photo_ids: list[int]) -> None:
    from preau.news.tasks import make_thumbnails

    make_thumbnails(photo_ids)


def _record(action: str, actor: Any, target: Any, request: HttpRequest | None, **data: Any) -> None:
    audit.record(action, actor=actor, target=target, request=request, **data)


def add_media(
    *,
    actor: Any,
    post: Post,
    photos: Sequence[Upload] = (),
    attachments: Sequence[Upload] = (),
    request: HttpRequest | None = None,
) -> list[Photo]:
    if not photos and not attachments:
        raise NewsError(_("Choose at least one photo or PDF file to add."))
    prepared = prepare(photos, attachments, post)
    with cleanup_on_failure() as stored, transaction.atomic():
        added = save_prepared(post, prepared, stored)
        _record(
            "news.media_added",
            actor,
            post,
            request,
            photos=len(prepared.photos),
            attachments=len(prepared.pdfs),
        )
    return added


def update_photo(
    *,
    actor: Any,
    photo: Photo,
    caption: str,
    pupil_ids: Iterable[int],
    no_pupils: bool,
    request: HttpRequest | None = None,
) -> list[str]:
    """Describe a photo and say who is in it; returns what still keeps it from families."""
    caption = " ".join(caption.split())
    if len(caption) > CAPTION_MAX:
        raise NewsError(
            _("A photo's description has at most %(n)s characters.") % {"n": CAPTION_MAX}
        )
    wanted = set(pupil_ids)
    if no_pupils and wanted:
        raise NewsError(
            _(
                "Either tag the pupils who appear in the photo, or say that no pupil can be "
                "recognised in it, not both."
            )
        )
    allowed = set(audience_pupils(photo.post).filter(pk__in=wanted).values_list("pk", flat=True))
    if wanted - allowed:
        raise NewsError(_("Only pupils of the post's audience can be tagged in its photos."))
    with transaction.atomic():
        photo.caption = caption
        photo.no_pupils = no_pupils
        photo.save(update_fields=["caption", "no_pupils"])
        photo.pupils.set(allowed)
        _record(
            "news.photo_tagged", actor, photo.post, request, photo=photo.pk, pupils=len(allowed)
        )
    return photo_problems(photo.post).get(photo.pk, [])


def remove_photo(*, actor: Any, photo: Photo, request: HttpRequest | None = None) -> None:
    with transaction.atomic():
        _record("news.photo_removed", actor, photo.post, request, photo=photo.pk)
        names = [photo.image.name, photo.thumbnail.name]
        photo.delete()
        storage.delete_after_commit(names)


def remove_attachment(
    *, actor: Any, attachment: Attachment, request: HttpRequest | None = None
) -> None:
    with transaction.atomic():
        _record(
            "news.attachment_removed", actor, attachment.post, request, file=attachment.filename
        )
        name = attachment.file.name
        attachment.delete()
        storage.delete_after_commit([name])


# Consent ----------------------------------------------------------------------------


def photo_label(number: int, photo: Photo) -> str:
    name = photo.caption or photo.original_name
    if name:
        return _("Photo %(n)s (“%(name)s”)") % {"n": number, "name": name}
    return _("Photo %(n)s") % {"n": number}


def photo_problems(post: Post) -> dict[int, list[str]]:
    """For each photo that may not be shown to families, why, and what to do."""
    photos = list(post.photos.prefetch_related("pupils").order_by("position", "pk"))
    refused = pupils_without_consent(p.pk for photo in photos for p in photo.pupils.all())
    problems: dict[int, list[str]] = {}
    for number, photo in enumerate(photos, start=1):
        label = photo_label(number, photo)
        tagged = sorted(photo.pupils.all(), key=lambda p: p.first_name)
        if not tagged and not photo.no_pupils:
            problems.setdefault(photo.pk, []).append(
                _(
                    "%(photo)s: say who appears in it — tag the pupils, or tick “No pupil can "
                    "be recognised”."
                )
                % {"photo": label}
            )
        for pupil in tagged:
            if pupil.pk in refused:
                problems.setdefault(photo.pk, []).append(_consent_message(label, pupil))
    return problems


def _consent_message(label: str, pupil: Pupil) -> str:
    return _(
        "%(photo)s shows %(first_name)s, whose parents have not agreed to photos being "
        "published. Remove the photo, or untag %(first_name)s after blurring them out "
        "(remove the photo and add the blurred one)."
    ) % {"photo": label, "first_name": pupil.first_name}


def consent_problems(post: Post) -> list[str]:
    return [message for messages in photo_problems(post).values() for message in messages]


def tell_authors_of_hidden_photos(pupil: Pupil) -> int:
    """After a withdrawal, tell each author whose published photo of the child is hidden."""
    from preau.notifications.services import notify

    posts = (
        Post.objects.filter(photos__pupils=pupil, status=Post.Status.PUBLISHED)
        .exclude(author__isnull=True)
        .select_related("author")
        .distinct()
    )
    told = 0
    for post in posts:
        if post.author is None:
            continue
        told += notify(
            recipients=[post.author],
            kind="news.photo_hidden",
            title=_(
                "Photo consent withdrawn for %(first_name)s: a photo of “%(title)s” is now "
                "hidden from families."
            )
            % {"first_name": pupil.first_name, "title": post.title},
            url=reverse("news:edit", args=[post.pk]),
            municipality_id=post.municipality_id,
        )
    return told
