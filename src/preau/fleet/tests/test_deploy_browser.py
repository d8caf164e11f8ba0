"""In Debian's Chromium: a technician builds a package with a command, previews its
target, launches it to a site and sees the site's devices waiting for their agents —
nothing loaded from another host, no Content-Security-Policy complaint."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from preau.conftest import World
from preau.fleet.models import Deployment, Package
from preau.testing.browser import DESKTOP, open_as

from .deploy_ui_helpers import fleet_devices

pytestmark = pytest.mark.browser


def test_a_technician_builds_a_package_and_deploys_it_to_a_site(
    transactional_db: Any, live_server: Any, world: World, tech: Any, browser: Any, settings: Any,
    tmp_path: Any,
) -> None:  # fmt: skip
    settings.MEDIA_ROOT = tmp_path / "media"
    devices = fleet_devices(world)
    session = open_as(browser, live_server, tech, DESKTOP)
    page = session.page

    page.goto(live_server.url + reverse("fleet:package_list"))
    page.get_by_role("button", name="New package").click()
    page.fill("#id_name", "LibreOffice 24.8")
    page.fill("#id_description", "Suite bureautique")
    page.locator("main form button[type=submit]").click()
    package = Package.objects.get()
    page.wait_for_url(live_server.url + reverse("fleet:package_detail", args=[package.pk]))

    add_action = reverse("fleet:package_action_add", args=[package.pk])
    action_form = page.locator(f"form[action='{add_action}']")
    action_form.locator("select[name=kind]").select_option("cmd")
    action_form.locator("input[name=name]").fill("Install")
    action_form.locator("textarea[name=command]").fill("msiexec /i LibreOffice.msi /qn")
    action_form.locator("input[name=ok_codes]").fill("0, 3010")
    action_form.locator("button[type=submit]").click()
    page.wait_for_selector("text=Action added.")
    actions = page.locator("section[aria-labelledby=actions] table").inner_text()
    assert "msiexec /i LibreOffice.msi /qn" in actions
    session.shot("deploy-package")

    page.get_by_role("button", name="Deploy", exact=True).click()
    page.get_by_label(world.a.school.site.name).check()
    page.get_by_role("button", name="Preview the devices").click()
    assert "This target reaches 2 devices now" in page.locator("#preview").inner_text()
    session.shot("deploy-preview")
    page.get_by_role("button", name="Launch the deployment").click()
    deployment = Deployment.objects.get()
    page.wait_for_url(live_server.url + reverse("fleet:deployment_detail", args=[deployment.pk]))
    table = page.locator("#deployment-devices").inner_text()
    assert "pc-a1" in table
    assert "pc-a2" in table
    assert table.count("waiting — agent has not asked yet") == 2
    assert "tbi-b1" not in table
    assert "0 of 2 devices finished" in page.locator("main").inner_text()
    session.shot("deploy-status")
    page.get_by_role("link", name="pc-a1").click()
    page.wait_for_url(live_server.url + reverse("fleet:device_detail", args=[devices["a1"].pk]))
    assert package.actions.get().ok_codes == "0,3010"
    assert session.elsewhere == []
    assert session.errors == []
    session.context.close()
