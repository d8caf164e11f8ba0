"""Every write to packages: create, rename, duplicate, trash, restore, erase — validated,
transactional, audited.

A package is locked (``select_for_update``) for each change, so two admins editing it at
once queue up; while it is being deployed its contents are frozen (``editing``). Files
are in ``services_files``, checks and actions in ``services_steps``, deployments in
``services_deployments``.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from preau.core import audit
from preau.directory.models import Municipality
from preau.fleet.deploy.editing import in_use, lock
from preau.fleet.deploy.services_files import erase_unused
from preau.fleet.models import (
    Deployment,
    Package,
    PackageAction,
    PackageCheck,
    PackageFile,
)


def _clean_name(municipality_id: int, name: str, exclude: int | None = None) -> str:
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the package a name.")})
    if len(name) > 150:
        raise ValidationError({"name": _("A package name is at most 150 characters.")})
    taken = Package.objects.filter(municipality_id=municipality_id, name__iexact=name)
    if exclude is not None:
        taken = taken.exclude(pk=exclude)
    if taken.exists():
        raise ValidationError(
            {"name": _("A package named “%(name)s” already exists (perhaps in the trash).")
             % {"name": name}}
        )  # fmt: skip
    return name


@transaction.atomic
def create_package(
    municipality: Municipality,
    *,
    name: str,
    description: str = "",
    actor: Any,
    request: HttpRequest | None = None,
) -> Package:
    package = Package.objects.create(
        municipality=municipality,
        name=_clean_name(municipality.pk, name),
        description=description.strip(),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit.record("fleet.package_created", actor=actor, request=request, target=package)
    return package


@transaction.atomic
def update_package(
    package: Package,
    *,
    name: str,
    description: str = "",
    actor: Any,
    request: HttpRequest | None = None,
) -> Package:
    locked = lock(package)
    if locked.trashed_at is not None:
        raise ValidationError(_("This package is in the trash: restore it to change it."))
    before = {"name": locked.name, "description": locked.description}
    locked.name = _clean_name(locked.municipality_id, name, exclude=locked.pk)
    locked.description = description.strip()
    changed = sorted(k for k, v in before.items() if getattr(locked, k) != v)
    if changed:
        locked.save(update_fields=["name", "description", "updated_at"])
        audit.record(
            "fleet.package_changed", actor=actor, request=request, target=locked, fields=changed
        )
    return locked


def _copy_name(package: Package) -> str:
    names = set(
        Package.objects.filter(municipality_id=package.municipality_id).values_list(
            "name", flat=True
        )
    )
    lowered = {n.lower() for n in names}
    for n in range(1, 1000):
        suffix = _(" (copy)") if n == 1 else _(" (copy %(n)d)") % {"n": n}
        candidate = package.name[: 150 - len(suffix)] + suffix
        if candidate.lower() not in lowered:
            return candidate
    raise ValidationError(_("Too many copies of this package already."))


_Row = TypeVar("_Row", PackageFile, PackageCheck, PackageAction)


def _copied(rows: QuerySet[_Row], package: Package) -> list[_Row]:
    copies = list(rows)
    for row in copies:
        row.pk = None
        row.package = package
    return copies


@transaction.atomic
def duplicate_package(
    package: Package, *, actor: Any, request: HttpRequest | None = None
) -> Package:
    """A copy with the same files (no bytes copied: parts are shared), checks and actions."""
    source = lock(package)
    if source.trashed_at is not None:
        raise ValidationError(_("This package is in the trash: restore it to copy it."))
    copy = Package.objects.create(
        municipality_id=source.municipality_id,
        name=_copy_name(source),
        description=source.description,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    PackageFile.objects.bulk_create(_copied(source.files.all(), copy))
    PackageCheck.objects.bulk_create(_copied(source.checks.all(), copy))
    PackageAction.objects.bulk_create(_copied(source.actions.all(), copy))
    audit.record(
        "fleet.package_duplicated", actor=actor, request=request, target=copy, source=source.pk
    )
    return copy


@transaction.atomic
def trash_package(package: Package, *, actor: Any, request: HttpRequest | None = None) -> Package:
    locked = lock(package)
    if locked.trashed_at is not None:
        return locked
    if in_use(locked):
        raise ValidationError(
            _("“%(name)s” is being deployed: cancel its deployments before trashing it.")
            % {"name": locked.name}
        )
    locked.trashed_at = timezone.now()
    locked.save(update_fields=["trashed_at", "updated_at"])
    audit.record("fleet.package_trashed", actor=actor, request=request, target=locked)
    return locked


@transaction.atomic
def restore_package(package: Package, *, actor: Any, request: HttpRequest | None = None) -> Package:
    locked = lock(package)
    if locked.trashed_at is None:
        return locked
    locked.trashed_at = None
    locked.save(update_fields=["trashed_at", "updated_at"])
    audit.record("fleet.package_restored", actor=actor, request=request, target=locked)
    return locked


@transaction.atomic
def erase_package(package: Package, *, actor: Any, request: HttpRequest | None = None) -> None:
    """Erase a trashed package for good, with its cancelled deployments' history."""
    locked = lock(package)
    if locked.trashed_at is None:
        raise ValidationError(_("Put the package in the trash before erasing it."))
    if in_use(locked):
        raise ValidationError(
            _("A deployment still sends “%(name)s”: cancel it first.") % {"name": locked.name}
        )
    parts = [p for f in locked.files.all() for p in f.parts]
    deployments = Deployment.objects.filter(package=locked)
    audit.record(
        "fleet.package_erased",
        actor=actor,
        request=request,
        target=locked,
        deployments=deployments.count(),
        files=locked.files.count(),
    )
    deployments.delete()
    locked.delete()
    transaction.on_commit(lambda: erase_unused(parts))
