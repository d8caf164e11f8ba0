"""Debian's Chromium for the browser tests: a page logged in as someone, which records
every request to another host and every console error (a CSP refusal is one)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.test import Client

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SHOTS = os.environ.get("PREAU_SCREENSHOTS", "")  # a directory to keep screenshots in
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}


@contextmanager
def chromium() -> Iterator[Any]:
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # the live server's ORM calls
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class Session:
    page: Any
    context: Any
    elsewhere: list[str] = field(default_factory=list)  # requests to another host
    errors: list[str] = field(default_factory=list)  # console errors

    def shot(self, name: str) -> None:
        if SHOTS:
            self.page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def open_as(browser: Any, live_server: Any, user: Any, viewport: dict[str, int]) -> Session:
    """A page whose session is ``user``'s (the second factor is the login page's business,
    tested elsewhere)."""
    client = Client()
    client.force_login(user)
    context = browser.new_context(locale="en-GB", viewport=viewport)
    host = live_server.url.split("//")[1].split(":")[0]
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "domain": host, "path": "/"}]
    )
    session = Session(page=context.new_page(), context=context)
    session.page.on(
        "request",
        lambda r: None if r.url.startswith(live_server.url) else session.elsewhere.append(r.url),
    )
    session.page.on(
        "console",
        lambda m: (
            session.errors.append(m.text)
            if m.type == "error" and not m.location.get("url", "").endswith("/favicon.ico")
            else None
        ),
    )
    return session


# The WCAG 2.1 levels A and AA, as axe-core tags them (the RGAA builds on them).
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def accessibility_problems(
    page: Any, impacts: tuple[str, ...] = ("serious", "critical")
) -> list[str]:
    """What axe-core (the engine browsers' own audits use) finds on the page against WCAG
    2.1 A and AA, at these impacts: one line per problem and element, empty when clean."""
    from axe_playwright_python.sync_playwright import Axe

    options = {"runOnly": {"type": "tag", "values": WCAG_AA}, "resultTypes": ["violations"]}
    results = Axe().run(page, options=options)
    problems = []
    for violation in results.response["violations"]:
        if violation.get("impact") not in impacts:
            continue
        for node in violation["nodes"]:
            target = " ".join(str(t) for t in node.get("target", []))
            problems.append(
                f"{violation['id']} ({violation['impact']}): {target} — {violation['help']}"
            )
    return problems
