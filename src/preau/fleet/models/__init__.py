"""The fleet's models: assets and their history; devices as the agents report them."""

from preau.fleet.models.assets import Asset, AssetEvent, AssetKind, AssetStatus
from preau.fleet.models.inventory import (
    AgentEvent,
    AgentTag,
    Device,
    DeviceAlias,
    InstalledSoftware,
    NetworkInterface,
    RawInventory,
)

__all__ = [
    "AgentEvent",
    "AgentTag",
    "Asset",
    "AssetEvent",
    "AssetKind",
    "AssetStatus",
    "Device",
    "DeviceAlias",
    "InstalledSoftware",
    "NetworkInterface",
    "RawInventory",
]
