"""The fleet's API under /api/v1/fleet/: assets, inventoried devices, deployments."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["fleet"])
