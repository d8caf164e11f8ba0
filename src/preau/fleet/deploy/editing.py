"""Whether a package's contents may change now, and its row lock: shared by the package,
file and step services.

While a deployment of a package is active or paused its files, checks and actions are
frozen: agents are running them, so a change would make devices of one deployment run
different things (duplicate the package to change it).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from preau.fleet.models import Deployment, Package

LIVE_STATES = (Deployment.State.ACTIVE, Deployment.State.PAUSED)


def lock(package: Package) -> Package:
    return Package.objects.select_for_update().get(pk=package.pk)


def in_use(package: Package) -> bool:
    """Whether an active or paused deployment sends this package."""
    return package.deployments.filter(state__in=LIVE_STATES).exists()


def check_editable(package: Package) -> None:
    """Refuse to change the contents of a trashed package or of one being deployed."""
    if package.trashed_at is not None:
        raise ValidationError(_("This package is in the trash: restore it to change it."))
    if in_use(package):
        raise ValidationError(
            _(
                "“%(name)s” is being deployed: cancel its deployments, or duplicate it "
                "and change the copy."
            )
            % {"name": package.name}
        )
