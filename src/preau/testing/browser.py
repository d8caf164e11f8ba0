"""Debian's Chromium for the browser tests: a page (logged in as someone, or not yet),
which records every request to another host, every console error (a CSP refusal is one)
and every failed response."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.test import Client
from django.urls import reverse

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SHOTS = os.environ.get("PREAU_SCREENSHOTS", "")  # a directory to keep screenshots in
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
# Chromium asks for /favicon.ico on its own and the shell has none: not a page's fault.
FAVICON = "/favicon.ico"


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
    errors: list[str] = field(default_factory=list)  # console errors: "page url: text"
    failed: list[str] = field(default_factory=list)  # responses 400 and over: "404 url"

    def shot(self, name: str) -> None:
        if SHOTS:
            self.page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def open_page(
    browser: Any,
    live_server: Any,
    viewport: dict[str, int],
    *,
    locale: str = "en-GB",
    ignore: tuple[str, ...] = (),
    **options: Any,
) -> Session:
    """A fresh context (its own cookies: another person's phone), nobody logged in yet,
    watched. A console error whose text contains one of ``ignore`` is not recorded;
    ``options`` go to Playwright's ``new_context`` (``accept_downloads=True``…)."""
    context = browser.new_context(locale=locale, viewport=viewport, **options)
    session = Session(page=context.new_page(), context=context)
    _watch(session, live_server.url, ignore)
    return session


def _watch(session: Session, site: str, ignore: tuple[str, ...]) -> None:
    def request(r: Any) -> None:
        if not r.url.startswith(site):
            session.elsewhere.append(r.url)

    def console(m: Any) -> None:
        if m.type != "error" or m.location.get("url", "").endswith(FAVICON):
            return
        if not any(text in m.text for text in ignore):
            session.errors.append(f"{session.page.url}: {m.text}")

    def response(r: Any) -> None:
        if r.status >= 400 and not r.url.endswith(FAVICON):
            session.failed.append(f"{r.status} {r.url}")

    session.page.on("request", request)
    session.page.on("console", console)
    session.page.on("response", response)


def open_as(
    browser: Any,
    live_server: Any,
    user: Any,
    viewport: dict[str, int],
    *,
    locale: str = "en-GB",
    ignore: tuple[str, ...] = (),
    **options: Any,
) -> Session:
    """A page whose session is ``user``'s (the second factor is the login page's business,
    tested elsewhere)."""
    client = Client()
    client.force_login(user)
    session = open_page(browser, live_server, viewport, locale=locale, ignore=ignore, **options)
    host = live_server.url.split("//")[1].split(":")[0]
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    session.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "domain": host, "path": "/"}]
    )
    return session


def log_in(
    page: Any, live_server: Any, username: str, password: str, *, totp_of: Any = None
) -> None:
    """Through the real login form, as a person does, until the home page. With
    ``totp_of`` (a user), the second factor too: the code their app shows when asked."""
    page.goto(live_server.url + reverse("account_login"))
    page.locator("input[name=login]").fill(username)
    page.locator("input[name=password]").fill(password)
    page.locator("main form button[type=submit]").click()
    if totp_of is not None:
        page.locator("#id_code").fill(totp_now(totp_of))
        page.locator("#id_code").press("Enter")
    page.wait_for_url(live_server.url + reverse("home:index"))


def totp_now(user: Any) -> str:
    """The code ``user``'s authenticator app shows at this moment."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
    from allauth.mfa.utils import decrypt

    found = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    secret = str(decrypt(found.data["secret"]))
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def scroll_width(page: Any) -> int:
    """How wide the document is: at most the viewport's when nothing overflows it."""
    return int(page.evaluate("document.documentElement.scrollWidth"))


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
