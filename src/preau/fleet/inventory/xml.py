"""The OCS Inventory / FusionInventory XML dialect, read with defusedxml.

A DTD, any entity or any external reference is refused: agents never send them, and
they are how billion-laughs and XXE attacks work.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

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

# The reference OCS server's rule: `<short hostname>-YYYY-MM-DD-HH-MM-SS`.
DEVICEID_RE = re.compile(r"^[^<>\s]{1,200}-\d{4}(?:-\d{2}){5}$")


class MessageError(Exception):
    """The message is not something an agent would send: bad XML or JSON, no DEVICEID…"""


@dataclass(frozen=True)
class XmlMessage:
    query: str  # PROLOG, INVENTORY, …
    deviceid: str
    root: Element

    @property
    def tag(self) -> str:
        for info in self.root.iterfind("CONTENT/ACCOUNTINFO"):
            if _text(info, "KEYNAME").upper() == "TAG":
                return _text(info, "KEYVALUE")
        return ""


def parse(text: bytes) -> XmlMessage:
    try:
        root = fromstring(text, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise MessageError(f"forbidden XML construct ({type(exc).__name__})") from None
    except (ParseError, ValueError) as exc:
        raise MessageError(f"not well-formed XML ({exc})") from None
    if root.tag != "REQUEST":
        raise MessageError(f"root element is <{root.tag}>, expected <REQUEST>")
    query = _text(root, "QUERY").upper()
    if not query:
        raise MessageError("no QUERY in the request")
    deviceid = check_deviceid(_text(root, "DEVICEID"))
    return XmlMessage(query, deviceid, root)


def check_deviceid(deviceid: str) -> str:
    if not DEVICEID_RE.match(deviceid):
        raise MessageError(f"DEVICEID {deviceid[:80]!r} is not <hostname>-YYYY-MM-DD-HH-MM-SS")
    return deviceid


def to_inventory(message: XmlMessage) -> Inventory:
    content = message.root.find("CONTENT")
    if content is None:
        raise MessageError("INVENTORY without CONTENT")
    hardware = content.find("HARDWARE")
    bios = content.find("BIOS")
    system = content.find("OPERATINGSYSTEM")  # FusionInventory only
    inventory = Inventory(deviceid=message.deviceid, tag=message.tag)
    if hardware is not None:
        inventory.hostname = _text(hardware, "NAME")
        inventory.hardware_uuid = _text(hardware, "UUID").upper()
        inventory.memory_mb = to_int(_text(hardware, "MEMORY"))
        inventory.os_name = _text(hardware, "OSNAME")
        inventory.os_version = _text(hardware, "OSVERSION")
        inventory.cpu = _text(hardware, "PROCESSORT")
        inventory.ip_address = _text(hardware, "IPADDR")
    if system is not None:
        inventory.os_name = _text(system, "FULL_NAME") or _text(system, "NAME")
        version = _text(system, "VERSION") or inventory.os_version or ""
        kernel = _text(system, "KERNEL_VERSION")
        inventory.os_version = os_version(inventory.os_name, version, kernel)
    if bios is not None:
        inventory.serial = _text(bios, "SSN")
        inventory.manufacturer = _text(bios, "SMANUFACTURER") or _text(bios, "MMANUFACTURER")
        inventory.model = _text(bios, "SMODEL")
    cpus = content.findall("CPUS")
    if cpus:
        inventory.cpu = inventory.cpu or _text(cpus[0], "NAME") or _text(cpus[0], "TYPE")
        cores = [to_int(_text(c, "CORES") or _text(c, "CORE")) for c in cpus]
        inventory.cpu_cores = sum(c for c in cores if c) or None
    inventory.disks = [
        {
            "mount": _text(d, "TYPE") or _text(d, "LETTER"),
            "volume": _text(d, "VOLUMN"),
            "filesystem": _text(d, "FILESYSTEM"),
            "total_mb": to_int(_text(d, "TOTAL")),
            "free_mb": to_int(_text(d, "FREE")),
        }
        for d in content.findall("DRIVES")
    ]
    inventory.interfaces = [
        Interface(
            name=_text(n, "DESCRIPTION")[:100],
            mac=clean_mac(_text(n, "MACADDR")),
            ip_address=_text(n, "IPADDRESS")[:45],
            virtual=_text(n, "VIRTUALDEV") == "1" or _text(n, "TYPE") == "loopback",
        )
        for n in content.findall("NETWORKS")
    ]
    inventory.software = [
        Software(
            name=_text(s, "NAME")[:255],
            version=_text(s, "VERSION")[:100],
            publisher=_text(s, "PUBLISHER")[:255],
            arch=(_text(s, "ARCH") or _text(s, "ARCHITECTURE"))[:30],
        )
        for s in content.findall("SOFTWARES")
        if _text(s, "NAME")
    ]
    inventory.antivirus = [
        antivirus_entry(
            _text(a, "NAME"),
            _text(a, "VERSION"),
            flag(_text(a, "ENABLED")),
            flag(_text(a, "UPTODATE")),
        )
        for a in content.findall("ANTIVIRUS")[:MAX_ANTIVIRUS]
        if _text(a, "NAME")
    ]
    return inventory


def _text(element: Element, path: str) -> str:
    found = element.find(path)
    return (found.text or "").strip() if found is not None else ""
