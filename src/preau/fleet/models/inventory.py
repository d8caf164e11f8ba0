"""What inventory agents report: devices, their interfaces and software, the raw
payloads kept for replay, the agents' tags, and the events an admin should see."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from preau.directory.models import Municipality, Site
from preau.fleet.models.assets import Asset


class AgentTag(models.Model):
    """A TAG an agent presents (``--tag``) to say which site it is in."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="agent_tags")
    tag = models.CharField(_("tag"), max_length=100, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("agent tag")
        ordering = ["tag"]

    def __str__(self) -> str:
        return self.tag


class Device(models.Model):
    """A machine as its agent sees it, keyed on hardware identity (not DEVICEID)."""

    municipality = models.ForeignKey(
        Municipality, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    site = models.ForeignKey(
        Site, null=True, blank=True, on_delete=models.SET_NULL, related_name="devices"
    )
    asset = models.OneToOneField(
        Asset, null=True, blank=True, on_delete=models.SET_NULL, related_name="device"
    )
    deviceid = models.CharField(_("agent device id"), max_length=255, unique=True)
    hardware_uuid = models.CharField(_("hardware UUID"), max_length=64, blank=True, db_index=True)
    serial = models.CharField(_("serial number"), max_length=100, blank=True, db_index=True)
    hostname = models.CharField(_("host name"), max_length=255, blank=True)
    manufacturer = models.CharField(_("manufacturer"), max_length=150, blank=True)
    model = models.CharField(_("model"), max_length=150, blank=True)
    os_name = models.CharField(_("operating system"), max_length=200, blank=True)
    os_version = models.CharField(_("OS version"), max_length=100, blank=True)
    cpu = models.CharField(_("processor"), max_length=200, blank=True)
    cpu_cores = models.PositiveIntegerField(_("cores"), null=True, blank=True)
    memory_mb = models.PositiveIntegerField(_("memory (MB)"), null=True, blank=True)
    disks = models.JSONField(_("disks"), default=list, blank=True)
    # [{"name", "version", "enabled", "uptodate"}] from the inventory's ANTIVIRUS section.
    antivirus = models.JSONField(_("antivirus"), default=list, blank=True)
    agent = models.CharField(_("agent"), max_length=200, blank=True)
    tag = models.CharField(_("tag"), max_length=100, blank=True)
    ip_address = models.CharField(_("IP address"), max_length=45, blank=True)
    first_seen_at = models.DateTimeField(_("first seen"), auto_now_add=True)
    last_inventory_at = models.DateTimeField(_("last inventory"), null=True, blank=True)

    class Meta:
        verbose_name = _("device")
        ordering = ["hostname", "pk"]

    def __str__(self) -> str:
        return self.hostname or self.deviceid


class DeviceAlias(models.Model):
    """Every DEVICEID a device has used: a reinstall makes a new one."""

    device = models.ForeignKey(Device, on_delete=models.CASCADE, related_name="aliases")
    deviceid = models.CharField(max_length=255, unique=True)
    seen_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.deviceid


class NetworkInterface(models.Model):
    device = models.ForeignKey(Device, on_delete=models.CASCADE, related_name="interfaces")
    name = models.CharField(_("name"), max_length=100, blank=True)
    mac = models.CharField(_("MAC address"), max_length=17, blank=True, db_index=True)
    ip_address = models.CharField(_("IP address"), max_length=45, blank=True)
    virtual = models.BooleanField(default=False)

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return f"{self.name} {self.mac}"


class InstalledSoftware(models.Model):
    device = models.ForeignKey(Device, on_delete=models.CASCADE, related_name="software")
    name = models.CharField(_("name"), max_length=255)
    version = models.CharField(_("version"), max_length=100, blank=True)
    publisher = models.CharField(_("publisher"), max_length=255, blank=True)
    arch = models.CharField(_("architecture"), max_length=30, blank=True)

    class Meta:
        ordering = ["name", "version"]
        indexes = [models.Index(fields=["name"])]

    def __str__(self) -> str:
        return f"{self.name} {self.version}".strip()


class RawInventory(models.Model):
    """A payload as received (zlib or gzip), kept PREAU_FLEET_RAW_DAYS days for replay."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting")
        INGESTED = "ingested", _("ingested")
        FAILED = "failed", _("failed")

    class Dialect(models.TextChoices):
        XML = "xml", "OCS / FusionInventory XML"
        JSON = "json", "GLPI agent JSON"

    received_at = models.DateTimeField(auto_now_add=True, db_index=True)
    dialect = models.CharField(max_length=4, choices=Dialect.choices)
    deviceid = models.CharField(max_length=255)
    agent = models.CharField(max_length=200, blank=True)
    remote_addr = models.CharField(max_length=45, blank=True)
    encoding = models.CharField(max_length=5)  # zlib | gzip
    payload = models.BinaryField()
    size = models.PositiveIntegerField()  # decompressed bytes
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    device = models.ForeignKey(
        Device, null=True, blank=True, on_delete=models.SET_NULL, related_name="raw_inventories"
    )

    class Meta:
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.deviceid} {self.received_at:%Y-%m-%d %H:%M}"


class AgentEvent(models.Model):
    """Something an admin should know about an agent: a refusal, a bad payload, a failure."""

    class Kind(models.TextChoices):
        REFUSED = "refused", _("refused")
        INVALID = "invalid", _("invalid payload")
        FAILED = "failed", _("processing failed")

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    municipality = models.ForeignKey(
        Municipality, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    protocol = models.CharField(_("protocol"), max_length=20, blank=True)
    deviceid = models.CharField(_("agent device id"), max_length=255, blank=True)
    agent = models.CharField(_("agent"), max_length=200, blank=True)
    remote_addr = models.CharField(_("address"), max_length=45, blank=True)
    message = models.CharField(_("message"), max_length=500)

    class Meta:
        verbose_name = _("agent event")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind} {self.message}"
