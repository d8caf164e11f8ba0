"""An inventory in Préau's terms, whatever dialect it came in.

``None`` means "this category was not in the message": a partial inventory (GLPI agent)
updates only what it carries.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Interface:
    name: str
    mac: str
    ip_address: str = ""
    virtual: bool = False


@dataclass(frozen=True)
class Software:
    name: str
    version: str = ""
    publisher: str = ""
    arch: str = ""


@dataclass
class Inventory:
    deviceid: str
    tag: str = ""
    partial: bool = False
    hostname: str | None = None
    hardware_uuid: str | None = None
    serial: str | None = None
    manufacturer: str | None = None
    model: str | None = None
    os_name: str | None = None
    os_version: str | None = None
    cpu: str | None = None
    cpu_cores: int | None = None
    memory_mb: int | None = None
    ip_address: str | None = None
    disks: list[dict[str, Any]] | None = None
    interfaces: list[Interface] | None = None
    software: list[Software] | None = None
    # [{"name", "version", "enabled", "uptodate"}]: the ANTIVIRUS section (Windows agents).
    antivirus: list[dict[str, Any]] | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def physical_macs(self) -> list[str]:
        """MACs that identify the hardware: no loopback, no virtual or all-zero ones."""
        return sorted(
            {
                i.mac
                for i in self.interfaces or []
                if i.mac and not i.virtual and i.mac != "00:00:00:00:00:00"
            }
        )


MAX_ANTIVIRUS = 20
_BUILD = re.compile(r"^\d+(?:\.\d+){1,3}$")


def os_version(name: str, version: str, kernel: str) -> str:
    """Windows agents give the release ("22H2") as the version; its build ("10.0.19045",
    the kernel version) is what a minimum version compares with: keep both."""
    if "windows" in name.lower() and _BUILD.match(kernel) and not _BUILD.match(version):
        return f"{kernel} ({version})" if version else kernel
    return version


def antivirus_entry(
    name: str, version: str, enabled: bool | None, uptodate: bool | None
) -> dict[str, Any]:
    return {"name": name[:200], "version": version[:100], "enabled": enabled, "uptodate": uptodate}


def flag(value: Any) -> bool | None:
    """An agent's yes/no: JSON booleans, or "1"/"0" (XML); None when not said."""
    if isinstance(value, bool):
        return value
    text = str(value if value is not None else "").strip().lower()
    if text in ("1", "true", "yes"):
        return True
    if text in ("0", "false", "no"):
        return False
    return None


def clean_mac(value: str) -> str:
    value = value.strip().lower().replace("-", ":")
    return value if len(value) == 17 else ""


def to_int(value: Any) -> int | None:
    try:
        number = int(float(str(value).strip()))
    except (TypeError, ValueError):
        return None
    return number if number >= 0 else None
