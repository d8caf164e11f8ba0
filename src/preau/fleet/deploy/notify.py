"""Who hears of a deployment's failures, through ``preau.notifications``.

The technician who launched a deployment hears of its first failed device, not of each
one: the link opens the deployment's failed devices. After "retry the failed devices",
the next failure is news again.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from preau.fleet.models import DeploymentJob, JobStatus
from preau.notifications.registry import IMMEDIATE, register_kind
from preau.notifications.services import notify

KIND_FAILED = "fleet.deploy_failed"

register_kind(KIND_FAILED, gettext_lazy("Failed software deployments"), default_email=IMMEDIATE)


def tell_first_failure(job: DeploymentJob) -> int:
    """Notify the deployment's author if ``job`` is its only failed job; returns how many
    notifications were made (0 or 1)."""
    deployment = job.deployment
    author = deployment.created_by
    if author is None:
        return 0
    others = DeploymentJob.objects.filter(deployment=deployment, status=JobStatus.FAILED)
    if others.exclude(pk=job.pk).exists():
        return 0
    title = _("Deployment of %(package)s failed on %(device)s") % {
        "package": deployment.package.name,
        "device": job.device.hostname or job.device.deviceid,
    }
    url = reverse("fleet:deployment_detail", args=[deployment.pk]) + "?status=failed"
    return notify(
        recipients=[author],
        kind=KIND_FAILED,
        title=title,
        url=url,
        municipality_id=deployment.municipality_id,
    )
