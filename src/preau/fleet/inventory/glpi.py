"""The GLPI agent's JSON dialect: CONTACT, then INVENTORY (full or partial).

Inventories are validated against the GLPI project's JSON schema (draft-07, in
``schema/``) before anything is stored.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft7Validator

from preau.fleet.inventory.messages import (
    MAX_ANTIVIRUS,
    Interface,
    Inventory,
    Software,
    antivirus_entry,
    clean_mac,
    flag,
    os_version,
    to_int,
)
from preau.fleet.inventory.xml import MessageError, check_deviceid

_SCHEMA = Path(__file__).parent / "schema" / "inventory.schema.json"


@dataclass(frozen=True)
class JsonMessage:
    action: str  # contact, inventory, …
    deviceid: str
    data: dict[str, Any]

    @property
    def tag(self) -> str:
        tag = self.data.get("tag")
        return tag if isinstance(tag, str) else ""

    @property
    def partial(self) -> bool:
        return self.data.get("partial") is True


@cache
def _validator() -> Draft7Validator:
    return Draft7Validator(json.loads(_SCHEMA.read_text()))


def parse(text: bytes) -> JsonMessage:
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise MessageError(f"not valid JSON ({exc})") from None
    if not isinstance(data, dict):
        raise MessageError("the message is not a JSON object")
    action = data.get("action")
    if not isinstance(action, str) or not action:
        raise MessageError("no action in the message")
    deviceid = data.get("deviceid")
    if not isinstance(deviceid, str):
        raise MessageError("no deviceid in the message")
    return JsonMessage(action.lower(), check_deviceid(deviceid), data)


def validate_inventory(message: JsonMessage) -> None:
    error = next(iter(_validator().iter_errors(message.data)), None)
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "(document)"
        raise MessageError(f"inventory fails the schema at {where}: {error.message[:200]}")


def to_inventory(message: JsonMessage) -> Inventory:
    content: dict[str, Any] = message.data.get("content") or {}
    inventory = Inventory(deviceid=message.deviceid, tag=message.tag, partial=message.partial)
    hardware = content.get("hardware")
    if isinstance(hardware, dict):
        inventory.hostname = _s(hardware.get("name"))
        inventory.hardware_uuid = _s(hardware.get("uuid")).upper()
        inventory.memory_mb = to_int(hardware.get("memory"))
    bios = content.get("bios")
    if isinstance(bios, dict):
        inventory.serial = _s(bios.get("ssn"))
        inventory.manufacturer = _s(bios.get("smanufacturer") or bios.get("mmanufacturer"))
        inventory.model = _s(bios.get("smodel"))
    system = content.get("operatingsystem")
    if isinstance(system, dict):
        inventory.os_name = _s(system.get("full_name") or system.get("name"))
        inventory.os_version = os_version(
            inventory.os_name, _s(system.get("version")), _s(system.get("kernel_version"))
        )
    cpus = content.get("cpus")
    if isinstance(cpus, list) and cpus:
        inventory.cpu = _s(cpus[0].get("name"))
        inventory.cpu_cores = sum(to_int(c.get("core")) or 0 for c in cpus) or None
    drives = content.get("drives")
    if isinstance(drives, list):
        inventory.disks = [
            {
                "mount": _s(d.get("type") or d.get("letter")),
                "volume": _s(d.get("volumn")),
                "filesystem": _s(d.get("filesystem")),
                "total_mb": to_int(d.get("total")),
                "free_mb": to_int(d.get("free")),
            }
            for d in drives
        ]
    networks = content.get("networks")
    if isinstance(networks, list):
        inventory.interfaces = [
            Interface(
                name=_s(n.get("description"))[:100],
                mac=clean_mac(_s(n.get("mac"))),
                ip_address=_s(n.get("ipaddress"))[:45],
                virtual=bool(n.get("virtualdev")) or n.get("type") == "loopback",
            )
            for n in networks
        ]
    softwares = content.get("softwares")
    if isinstance(softwares, list):
        inventory.software = [
            Software(
                name=_s(s.get("name"))[:255],
                version=_s(s.get("version"))[:100],
                publisher=_s(s.get("publisher"))[:255],
                arch=_s(s.get("arch"))[:30],
            )
            for s in softwares
            if _s(s.get("name"))
        ]
    antivirus = content.get("antivirus")
    if isinstance(antivirus, list):
        inventory.antivirus = [
            antivirus_entry(
                _s(a.get("name")),
                _s(a.get("version")),
                flag(a.get("enabled")),
                flag(a.get("uptodate")),
            )
            for a in antivirus[:MAX_ANTIVIRUS]
            if isinstance(a, dict) and _s(a.get("name"))
        ]
    return inventory


def _s(value: Any) -> str:
    return str(value).strip() if value is not None else ""
