"""The fleet's models: assets and their history; devices as the agents report them;
software deployment; compliance rules and verdicts."""

from preau.fleet.models.assets import Asset, AssetEvent, AssetKind, AssetStatus
from preau.fleet.models.compliance import ComplianceRule, ComplianceStatus, DeviceCompliance
from preau.fleet.models.deploy import (
    Deployment,
    DeploymentJob,
    DeploymentJobEvent,
    JobStatus,
    Package,
    PackageAction,
    PackageCheck,
    PackageFile,
)
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
    "ComplianceRule",
    "ComplianceStatus",
    "Deployment",
    "DeploymentJob",
    "DeploymentJobEvent",
    "Device",
    "DeviceAlias",
    "DeviceCompliance",
    "InstalledSoftware",
    "JobStatus",
    "NetworkInterface",
    "Package",
    "PackageAction",
    "PackageCheck",
    "PackageFile",
    "RawInventory",
]
