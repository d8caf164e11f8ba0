"""In Debian's Chromium, on a phone-sized screen: a teacher writes a post with a photo,
tags the pupil in it, publishes; a guardian reads it with the photo. No request leaves
the site and the strict CSP reports nothing."""

from __future__ import annotations

import os

import pytest
from django.urls import reverse

from preau.conftest import PASSWORD
from preau.news.models import Post
from preau.news.tests.conftest import gps_exif, jpeg_bytes

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PHONE = {"width": 360, "height": 740}
SHOTS = os.environ.get("PREAU_SCREENSHOTS", "")  # a directory to keep screenshots in


@pytest.fixture
def browser(monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


# htmx injects its indicator styles inline, which the strict CSP blocks on every page:
# a known issue of the shell (base.html), not of these pages; anything else fails.
HTMX_INDICATOR_STYLE = "sha256-faU7yAF8NxuMTNEwVmBz+VcYeIoBQ2EMHW3WaVxCvnk="


def _console(message, problems):
    text = message.text
    if message.type != "error" or HTMX_INDICATOR_STYLE in text:
        return
    if text.startswith("Failed to load resource"):  # reported with its URL by "response"
        return
    problems.append(text)


def _logged_in(browser, live_server, username, problems):
    context = browser.new_context(locale="en-GB", viewport=PHONE)
    page = context.new_page()
    page.on(
        "request",
        lambda r: None if r.url.startswith(live_server.url) else problems.append(r.url),
    )
    page.on("console", lambda m: _console(m, problems))
    page.on(
        "response",
        lambda r: (
            problems.append(f"{r.status} {r.url}")
            if r.status >= 400 and not r.url.endswith("/favicon.ico")
            else None
        ),
    )
    page.goto(live_server.url + reverse("account_login"))
    page.locator("input[name=login]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(live_server.url + reverse("home:index"))
    return context, page


def test_teacher_publishes_a_photo_and_a_guardian_sees_it(world, browser, live_server):
    problems: list[str] = []
    context, page = _logged_in(browser, live_server, world.a.teachers[0].username, problems)
    page.goto(live_server.url + reverse("news:new", args=["class", world.a.classes[0].pk]))
    page.locator("input[name=title]").fill("Atelier peinture")
    page.locator("textarea[name=text]").fill("Voici nos **chefs-d'œuvre**.")
    page.locator("input[name=photos]").set_input_files(
        [
            {
                "name": "atelier.jpg",
                "mimeType": "image/jpeg",
                "buffer": jpeg_bytes((640, 480), exif=gps_exif()),
            }
        ]
    )
    page.locator("main form button[type=submit]").click()
    post = Post.objects.get()
    page.wait_for_url(f"{live_server.url}/news/{post.pk}/edit/")
    photo = post.photos.get()
    block = page.locator(f"#photo-{photo.pk}")
    assert "say who appears in it" in block.inner_text()
    block.get_by_label("Prénom0 E.", exact=True).check()
    block.locator("button[type=submit]").first.click()
    page.wait_for_load_state()
    assert "Ready: families will see this photo." in page.locator(f"#photo-{photo.pk}").inner_text()
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/edit.png", full_page=True)
    page.get_by_role("button", name="Publish").click()
    page.wait_for_url(f"{live_server.url}/news/{post.pk}/")
    context.close()

    context, page = _logged_in(browser, live_server, world.parent.username, problems)
    assert "Atelier peinture" in page.locator("#home-news").locator("..").inner_text()
    page.goto(live_server.url + reverse("news:timeline"))
    image = page.locator(".news-photos img").first
    image.wait_for()
    # The thumbnails load lazily: bring the first one on screen, then it must decode
    # (a broken image would time out here).
    image.scroll_into_view_if_needed()
    page.wait_for_function(
        "(img) => img.complete && img.naturalWidth > 0", arg=image.element_handle(), timeout=10_000
    )
    assert "chefs-d’œuvre" in page.content() or "chefs-d'œuvre" in page.inner_text("main")
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/timeline.png", full_page=True)
    context.close()
    assert problems == []
