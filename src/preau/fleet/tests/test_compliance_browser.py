"""In Debian's Chromium, on a phone: a director opens the compliance dashboard, reads the
chart's table, follows a figure to the failing device and the reason it fails — nothing
loaded from another host, no Content-Security-Policy complaint."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from preau.conftest import World
from preau.fleet.compliance import services
from preau.fleet.models import ComplianceRule, Device
from preau.testing.browser import PHONE, accessibility_problems, open_as

pytestmark = pytest.mark.browser


def test_a_director_follows_the_dashboard_to_a_full_disk(
    transactional_db: Any, live_server: Any, world: World, assets: Any, browser: Any
) -> None:
    ComplianceRule.objects.create(
        municipality=world.lorient,
        **services.clean_rule(
            {"name": "Disque libre", "kind": "free_disk", "value": "10", "severity": "critical"}
        ),
    )
    disk = {"mount": "/", "volume": "/dev/sda1", "filesystem": "ext4", "total_mb": 1000}
    Device.objects.create(
        municipality=world.lorient, site=world.a.school.site, asset=assets["a"],
        hostname="pc-classe-1", deviceid="pc-classe-1-2026-01-01-00-00-00",
        disks=[disk | {"free_mb": 30}], last_inventory_at=timezone.now(),
    )  # fmt: skip
    services.evaluate_municipality(world.lorient)

    session = open_as(browser, live_server, world.a.director, PHONE)
    page = session.page
    page.goto(live_server.url + reverse("fleet:compliance_dashboard"))
    assert page.locator("main svg").first.is_visible()
    table = page.locator("section[aria-labelledby=compliance-grid] table")
    assert "Site A" in table.inner_text()
    session.shot("compliance-dashboard")
    assert accessibility_problems(page) == []
    table.get_by_role("link", name="1").first.click()
    page.wait_for_url("**/fleet/compliance/devices/**")
    listing = page.locator("main").inner_text()
    assert "pc-classe-1" in listing
    assert "3 % free (minimum 10 %)" in listing
    session.shot("compliance-devices")
    assert accessibility_problems(page) == []
    assert session.elsewhere == []
    assert session.errors == []
    session.context.close()
