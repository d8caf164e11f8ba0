"""The programme's evidence files: invoice scans, contracts, acceptance reports, photos.

``attach`` is the only way a file enters the programme: it checks what the file really
is (a "PDF" must start with ``%PDF-``; an image must open in Pillow, and is re-encoded so
that its metadata — GPS position, camera, author — is dropped), stores it through the
default storage under a random name, and audits it. ``trash`` puts a file aside; the
download view (``views_files``) never serves a trashed file.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from preau.core import uploads
from preau.programme.history import parent_key
from preau.programme.models import (
    Attachment,
    Claim,
    Contract,
    Delivery,
    Invoice,
    Order,
    Programme,
    SiteMilestone,
)
from preau.programme.services import ProgrammeError, record

MAX_BYTES = 20 * 1024 * 1024
# A photo of a poster needs no more; a bigger image is refused before it is decoded.
MAX_PIXELS = 60_000_000
PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"

PDF_ONLY = frozenset(
    {
        Attachment.Kind.INVOICE_SCAN,
        Attachment.Kind.ORDER,
        Attachment.Kind.CONTRACT,
        Attachment.Kind.ACCEPTANCE,
    }
)
EXTENSION = {PDF: ".pdf", JPEG: ".jpg", PNG: ".png"}
PNG_MODES = frozenset({"1", "L", "LA", "P", "RGB", "RGBA"})


@dataclass(frozen=True)
class CheckedFile:
    content: bytes
    content_type: str


def _read(upload: UploadedFile) -> bytes:
    """The upload's bytes; refused when empty or over ``MAX_BYTES`` (read no further)."""
    try:
        content = uploads.read_capped(upload, MAX_BYTES)
    except uploads.TooBig:
        raise ProgrammeError(
            _("The file is larger than %(mb)s MB.") % {"mb": MAX_BYTES // (1024 * 1024)}
        ) from None
    if not content:
        raise ProgrammeError(_("The file is empty (0 bytes)."))
    return content


def _reencoded_image(content: bytes) -> CheckedFile:
    """The image re-encoded by Pillow without its metadata (upright, as the camera meant
    it); refused if Pillow cannot open it, or it is neither a JPEG nor a PNG."""
    try:
        opened = uploads.open_image(
            content, formats=("JPEG", "PNG"), max_pixels=MAX_PIXELS, any_decoder=True
        )
    except uploads.NotAnImage as refused:
        if refused.format is None:
            raise ProgrammeError(_("The file is not an image that can be opened.")) from None
        raise ProgrammeError(_("Only JPEG and PNG images are accepted.")) from None
    except uploads.TooManyPixels:
        raise ProgrammeError(_("The image is too large (too many pixels).")) from None
    except uploads.UploadProblem:
        raise ProgrammeError(_("The file is not an image that can be opened.")) from None
    image = opened.image
    if opened.format == "JPEG":
        return CheckedFile(uploads.encode(image.convert("RGB"), "JPEG", quality=90), JPEG)
    if image.mode not in PNG_MODES:
        image = image.convert("RGBA")
    return CheckedFile(uploads.encode(image, "PNG"), PNG)


def check_file(kind: str, content: bytes) -> CheckedFile:
    """What the file really is, if ``kind`` accepts it; ``ProgrammeError`` otherwise."""
    if uploads.is_pdf(content):
        return CheckedFile(content, PDF)
    if kind in PDF_ONLY:
        raise ProgrammeError(
            _(
                "%(kind)s: a PDF is required, and this file is not one "
                "(it does not start with %%PDF-)."
            )
            % {"kind": Attachment.Kind(kind).label}
        )
    return _reencoded_image(content)


def _target(
    programme: Programme,
    contract: Contract | None,
    order: Order | None,
    delivery: Delivery | None,
    invoice: Invoice | None,
    milestone: SiteMilestone | None,
) -> models.Model:
    """The one record the file is attached to, checked to belong to ``programme``."""
    given = [t for t in (contract, order, delivery, invoice, milestone) if t is not None]
    if len(given) != 1:
        raise ProgrammeError(_("A file is attached to exactly one record."))
    owner: int | None
    if contract is not None:
        owner = contract.programme_id
    elif order is not None:
        owner = order.programme_id
    elif delivery is not None:
        owner = Order.objects.filter(pk=delivery.order_id).values_list("programme_id").get()[0]
    elif invoice is not None:
        owner = Order.objects.filter(pk=invoice.order_id).values_list("programme_id").get()[0]
    else:
        assert milestone is not None
        owner = milestone.programme_id
    if owner != programme.pk:
        raise ProgrammeError(_("This record does not belong to this programme."))
    return given[0]


def _safe_name(name: str) -> str:
    base = PurePath(name.replace("\\", "/")).name.strip() or "file"
    return "".join(c for c in base if c.isprintable())[:255] or "file"


def parent_of(attachment: Attachment) -> models.Model | None:
    """The record a file is attached to."""
    for name in ("contract", "order", "delivery", "invoice", "milestone"):
        if getattr(attachment, f"{name}_id") is not None:
            parent: models.Model = getattr(attachment, name)
            return parent
    return None


def attach(
    *,
    actor: Any,
    programme: Programme,
    kind: str,
    upload: UploadedFile,
    title: str = "",
    contract: Contract | None = None,
    order: Order | None = None,
    delivery: Delivery | None = None,
    invoice: Invoice | None = None,
    milestone: SiteMilestone | None = None,
) -> Attachment:
    """Check, store and record one file attached to one record of ``programme``."""
    if kind not in Attachment.Kind.values:
        raise ProgrammeError(_("Unknown kind of document."))
    target = _target(programme, contract, order, delivery, invoice, milestone)
    if invoice is not None:
        claim = Claim.objects.filter(invoices=invoice).first()
        if claim is not None and claim.locked:
            raise ProgrammeError(
                _(
                    "Invoice %(number)s is in submitted claim %(n)s: "
                    "its documents can no longer change."
                )
                % {"number": invoice.number, "n": claim.number}
            )
    original = _safe_name(upload.name or "")
    checked = check_file(kind, _read(upload))
    stored_name = f"{uuid.uuid4().hex}{EXTENSION[checked.content_type]}"
    attachment = Attachment(
        programme=programme,
        kind=kind,
        original_name=original,
        content_type=checked.content_type,
        size=len(checked.content),
        sha256=hashlib.sha256(checked.content).hexdigest(),
        title=title.strip()[:200],
        contract=contract,
        order=order,
        delivery=delivery,
        invoice=invoice,
        milestone=milestone,
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    attachment.file.save(stored_name, ContentFile(checked.content), save=False)
    try:
        with transaction.atomic():
            attachment.save()
            record(
                "programme.attachment_added",
                actor,
                attachment,
                programme.municipality_id,
                kind=kind,
                size=attachment.size,
                sha256=attachment.sha256,
                parent=parent_key(target),
            )
    except BaseException:
        default_storage.delete(attachment.file.name)
        raise
    return attachment


@transaction.atomic
def trash(actor: Any, attachment: Attachment) -> Attachment:
    """Put a file in the trash: no longer listed nor served, kept until erased.

    Refused for the scan of an invoice in a submitted claim (the claim's evidence)."""
    attachment = (
        Attachment.objects.select_for_update(of=("self",))
        .select_related("programme", "invoice__claim")
        .get(pk=attachment.pk)
    )
    if attachment.trashed_at is not None:
        raise ProgrammeError(_("This file is already in the trash."))
    claim = attachment.invoice.claim if attachment.invoice is not None else None
    if claim is not None and claim.locked:
        raise ProgrammeError(
            _("This file is evidence of submitted claim %(n)s; it cannot be trashed.")
            % {"n": claim.number}
        )
    attachment.trashed_at = timezone.now()
    attachment.save(update_fields=["trashed_at"])
    parent = parent_of(attachment)
    record(
        "programme.attachment_trashed",
        actor,
        attachment,
        attachment.programme.municipality_id,
        kind=attachment.kind,
        parent=parent_key(parent) if parent is not None else "",
    )
    return attachment
