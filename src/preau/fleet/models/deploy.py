"""Software deployment: packages (files + checks + actions), their deployments to a
target (sites, rooms, asset kinds, devices) and one job per device with its status.

FusionInventory agents fetch jobs through the Deploy task protocol
(``preau.fleet.deploy.protocol``); a package's files are stored split into parts,
content-addressed by sha512 (``preau.fleet.deploy.storage``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from preau.core.models import TimeStampedModel
from preau.directory.models import Municipality, Room, Site
from preau.fleet.models.inventory import Device


class Package(TimeStampedModel):
    """What to install: files sent to the device, checks run first, then actions."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Trash before delete: a trashed package is hidden and offered to nobody; it can be
    # restored, or erased for good when no deployment uses it.
    trashed_at = models.DateTimeField(_("put in the trash"), null=True, blank=True)

    class Meta:
        verbose_name = _("package")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name"], name="fleet_package_name_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name


class PackageFile(models.Model):
    """A file of a package, stored as parts named by their sha512 (the agent's layout)."""

    package = models.ForeignKey(Package, on_delete=models.CASCADE, related_name="files")
    position = models.PositiveIntegerField(default=0)
    name = models.CharField(_("file name"), max_length=255)
    sha512 = models.CharField(max_length=128)
    size = models.BigIntegerField(_("size (bytes)"))
    # The sha512 of each part, in order: what the agent downloads one by one.
    parts = models.JSONField(default=list)
    uncompress = models.BooleanField(
        _("uncompress"), default=False, help_text=_("unpack the archive on the device")
    )

    class Meta:
        verbose_name = _("package file")
        ordering = ["package", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["package", "name"], name="fleet_pkgfile_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class PackageCheck(models.Model):
    """A check run before the actions (FusionInventory's ``checks``)."""

    class Kind(models.TextChoices):
        FILE_EXISTS = "fileExists", _("file exists")
        FILE_MISSING = "fileMissing", _("file is missing")
        DIRECTORY_EXISTS = "directoryExists", _("folder exists")
        DIRECTORY_MISSING = "directoryMissing", _("folder is missing")
        FILE_SHA512 = "fileSHA512", _("file has this sha512")
        FREE_SPACE = "freespaceGreater", _("free space greater than (MB)")

    class OnFail(models.TextChoices):
        SKIP = "skip", _("skip the job (already done)")
        ERROR = "error", _("fail the job")
        WARNING = "warning", _("warn and go on")
        INFO = "info", _("note and go on")

    package = models.ForeignKey(Package, on_delete=models.CASCADE, related_name="checks")
    position = models.PositiveIntegerField(default=0)
    kind = models.CharField(_("check"), max_length=20, choices=Kind.choices)
    path = models.CharField(_("path"), max_length=500)
    value = models.CharField(_("value"), max_length=128, blank=True)
    on_fail = models.CharField(
        _("when the check fails"), max_length=10, choices=OnFail.choices, default=OnFail.ERROR
    )

    class Meta:
        ordering = ["package", "position", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.path}"


class PackageAction(models.Model):
    """One step on the device, in order: run a command, copy, move, make or delete."""

    class Kind(models.TextChoices):
        CMD = "cmd", _("run a command")
        COPY = "copy", _("copy")
        MOVE = "move", _("move")
        MKDIR = "mkdir", _("create a folder")
        DELETE = "delete", _("delete")

    package = models.ForeignKey(Package, on_delete=models.CASCADE, related_name="actions")
    position = models.PositiveIntegerField(default=0)
    kind = models.CharField(_("action"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("label"), max_length=150, blank=True)
    # cmd: the command line; copy/move: the source; mkdir/delete: the path.
    command = models.TextField(_("command or path"))
    # copy/move: where to.
    target = models.CharField(_("destination"), max_length=500, blank=True)
    # cmd: the exit codes that mean success, comma-separated.
    ok_codes = models.CharField(_("success exit codes"), max_length=60, default="0", blank=True)

    class Meta:
        ordering = ["package", "position", "pk"]

    def __str__(self) -> str:
        return self.name or f"{self.kind} {self.command[:40]}"


class Deployment(TimeStampedModel):
    """A package sent to a target. The target is resolved when an agent asks for jobs,
    so a device that appears later in a targeted room gets the package too."""

    class State(models.TextChoices):
        ACTIVE = "active", _("active")
        PAUSED = "paused", _("paused")
        CANCELLED = "cancelled", _("cancelled")

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    package = models.ForeignKey(Package, on_delete=models.PROTECT, related_name="deployments")
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.ACTIVE)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    sites = models.ManyToManyField(Site, blank=True, related_name="+", verbose_name=_("sites"))
    rooms = models.ManyToManyField(Room, blank=True, related_name="+", verbose_name=_("rooms"))
    # Asset kinds (AssetKind values); empty means every kind.
    kinds = models.JSONField(_("asset kinds"), default=list, blank=True)
    devices = models.ManyToManyField(
        Device, blank=True, related_name="+", verbose_name=_("devices")
    )

    class Meta:
        verbose_name = _("deployment")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.package} ({self.created_at:%Y-%m-%d})"


class JobStatus(models.TextChoices):
    WAITING = "waiting", _("waiting")
    DOWNLOADING = "downloading", _("downloading")
    RUNNING = "running", _("running")
    SUCCEEDED = "succeeded", _("succeeded")
    FAILED = "failed", _("failed")
    SKIPPED = "skipped", _("skipped (already done)")
    CANCELLED = "cancelled", _("cancelled")


class DeploymentJob(models.Model):
    """A deployment on one device: what its agent was told and what it reported."""

    deployment = models.ForeignKey(Deployment, on_delete=models.CASCADE, related_name="jobs")
    device = models.ForeignKey(Device, on_delete=models.CASCADE, related_name="deploy_jobs")
    uuid = models.CharField(max_length=36, unique=True)
    status = models.CharField(
        _("status"), max_length=12, choices=JobStatus.choices, default=JobStatus.WAITING
    )
    # The agent's last reported step (checking, downloading, prepare, processing) and message.
    step = models.CharField(_("step"), max_length=20, blank=True)
    message = models.CharField(_("message"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("deployment job")
        ordering = ["deployment", "device__hostname", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["deployment", "device"], name="fleet_job_device_unique")
        ]
        indexes = [models.Index(fields=["device", "status"])]

    def __str__(self) -> str:
        return f"{self.deployment_id}/{self.device_id} {self.status}"


class DeploymentJobEvent(models.Model):
    """One ``setStatus`` from the agent: the step, ok/ko, and its message (output)."""

    job = models.ForeignKey(DeploymentJob, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    step = models.CharField(max_length=20, blank=True)
    status = models.CharField(max_length=10, blank=True)
    message = models.TextField(blank=True)

    class Meta:
        ordering = ["job", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.job_id} {self.step} {self.status}"
