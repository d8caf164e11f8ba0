"""A package's files: stored by parts (``storage``), added and removed, audited on the
package; parts no other file uses are erased once the transaction commits."""

from __future__ import annotations

import re
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.http import HttpRequest
from django.utils.translation import gettext as _

from preau.core import audit
from preau.fleet.deploy import storage
from preau.fleet.deploy.editing import check_editable, lock
from preau.fleet.models import Package, PackageFile

DEFAULT_MAX_FILE_BYTES = 2 * 1024**3
_BAD_FILE_NAME = re.compile(r"[/\\\x00-\x1f]")


def max_file_bytes() -> int:
    return int(getattr(settings, "PREAU_FLEET_DEPLOY_MAX_FILE_BYTES", DEFAULT_MAX_FILE_BYTES))


def erase_unused(parts: list[str]) -> None:
    """Erase ``parts`` unless another package file (of any municipality) uses them:
    parts are content-addressed and shared."""
    wanted = set(parts)
    still_used: set[str] = set()
    for file_parts in PackageFile.objects.values_list("parts", flat=True).iterator():
        still_used.update(wanted.intersection(file_parts))
    storage.erase_parts(parts, still_used)


def _clean_file_name(package: Package, name: str) -> str:
    name = name.strip()
    if not name or name in (".", "..") or _BAD_FILE_NAME.search(name) or len(name) > 255:
        raise ValidationError({"file": _("A file name is 1 to 255 characters, without / or \\.")})
    if package.files.filter(name__iexact=name).exists():
        raise ValidationError(
            {"file": _("The package already has a file named “%(name)s”.") % {"name": name}}
        )
    return name


@transaction.atomic
def add_file(
    package: Package,
    stream: IO[bytes],
    *,
    name: str,
    size: int,
    uncompress: bool = False,
    actor: Any,
    request: HttpRequest | None = None,
) -> PackageFile:
    """Store an uploaded file by parts and add it to the package (``size`` is the upload's)."""
    locked = lock(package)
    check_editable(locked)
    name = _clean_file_name(locked, name)
    limit = max_file_bytes()
    if size > limit:
        raise ValidationError(
            {"file": _("The file is %(size)d bytes; the limit is %(limit)d bytes.")
             % {"size": size, "limit": limit}}
        )  # fmt: skip
    if size == 0:
        raise ValidationError({"file": _("The file is empty.")})
    stored = storage.store(stream)
    if stored.size > limit or stored.size == 0:  # the announced size was wrong
        erase_unused(stored.parts)
        raise ValidationError({"file": _("The file is empty or too large.")})
    last = locked.files.aggregate(last=Max("position"))["last"]
    package_file = PackageFile.objects.create(
        package=locked,
        position=0 if last is None else last + 1,
        name=name,
        sha512=stored.sha512,
        size=stored.size,
        parts=stored.parts,
        uncompress=uncompress,
    )
    locked.save(update_fields=["updated_at"])
    audit.record(
        "fleet.package_file_added",
        actor=actor,
        request=request,
        target=locked,
        file=name,
        size=stored.size,
        sha512=stored.sha512,
    )
    return package_file


@transaction.atomic
def remove_file(
    package_file: PackageFile, *, actor: Any, request: HttpRequest | None = None
) -> None:
    locked = lock(package_file.package)
    check_editable(locked)
    parts = list(package_file.parts)
    audit.record(
        "fleet.package_file_removed",
        actor=actor,
        request=request,
        target=locked,
        file=package_file.name,
    )
    package_file.delete()
    locked.save(update_fields=["updated_at"])
    transaction.on_commit(lambda: erase_unused(parts))
