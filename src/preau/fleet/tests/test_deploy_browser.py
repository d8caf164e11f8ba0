"""In Debian's Chromium: a technician builds a package with a command, previews its
target, launches it to a site and sees the site's devices waiting for their agents —
nothing loaded from another host, no Content-Security-Policy complaint."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from preau.conftest import World
from preau.fleet.models import Deployment, Package

from .deploy_ui_helpers import fleet_devices

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SHOTS = os.environ.get("PREAU_SCREENSHOTS", "")


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _shot(page: Any, name: str) -> None:
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"deploy-{name}.png"), full_page=True)


def test_a_technician_builds_a_package_and_deploys_it_to_a_site(
    transactional_db: Any, live_server: Any, world: World, tech: Any, browser: Any, settings: Any,
    tmp_path: Any,
) -> None:  # fmt: skip
    settings.MEDIA_ROOT = tmp_path / "media"
    devices = fleet_devices(world)
    client = Client()
    client.force_login(tech)  # the second factor is the login page's business, not ours
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    host = live_server.url.split("//")[1].split(":")[0]
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "domain": host, "path": "/"}]
    )
    page = context.new_page()
    elsewhere: list[str] = []
    errors: list[str] = []
    page.on(
        "request", lambda r: None if r.url.startswith(live_server.url) else elsewhere.append(r.url)
    )
    page.on(
        "console",
        lambda m: (
            errors.append(m.text)
            if m.type == "error" and not m.location.get("url", "").endswith("/favicon.ico")
            else None
        ),
    )

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
    _shot(page, "package")

    page.get_by_role("button", name="Deploy", exact=True).click()
    page.get_by_label(world.a.school.site.name).check()
    page.get_by_role("button", name="Preview the devices").click()
    assert "This target reaches 2 devices now" in page.locator("#preview").inner_text()
    _shot(page, "preview")
    page.get_by_role("button", name="Launch the deployment").click()
    deployment = Deployment.objects.get()
    page.wait_for_url(live_server.url + reverse("fleet:deployment_detail", args=[deployment.pk]))
    table = page.locator("#deployment-devices").inner_text()
    assert "pc-a1" in table
    assert "pc-a2" in table
    assert table.count("waiting — agent has not asked yet") == 2
    assert "tbi-b1" not in table
    assert "0 of 2 devices finished" in page.locator("main").inner_text()
    _shot(page, "status")
    page.get_by_role("link", name="pc-a1").click()
    page.wait_for_url(live_server.url + reverse("fleet:device_detail", args=[devices["a1"].pk]))
    assert package.actions.get().ok_codes == "0,3010"
    assert elsewhere == []
    assert errors == []
    context.close()
