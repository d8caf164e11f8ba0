"""An inventory in Préau's terms, whatever dialect it came in.

``None`` means "this category was not in the message": a partial inventory (GLPI agent)
updates only what it carries.
"""

from __future__ import annotations

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


def clean_mac(value: str) -> str:
    value = value.strip().lower().replace("-", ":")
    return value if len(value) == 17 else ""


def to_int(value: Any) -> int | None:
    try:
        number = int(float(str(value).strip()))
    except (TypeError, ValueError):
        return None
    return number if number >= 0 else None
