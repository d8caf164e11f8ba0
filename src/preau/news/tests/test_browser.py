"""In Debian's Chromium, on a phone-sized screen: a teacher writes a post with a photo,
tags the pupil in it, publishes; a guardian reads it with the photo. No request leaves
the site and the strict CSP reports nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from preau.conftest import PASSWORD
from preau.news.models import Post
from preau.news.tests.conftest import gps_exif, jpeg_bytes
from preau.testing.browser import PHONE, log_in, open_page

pytestmark = pytest.mark.browser


def _logged_in(browser, live_server, username):
    session = open_page(browser, live_server, PHONE)
    log_in(session.page, live_server, username, PASSWORD)
    return session


def _problems(session):
    """Requests to another host, console errors and failed responses, all in one."""
    return session.elsewhere + session.errors + session.failed


def test_teacher_publishes_a_photo_and_a_guardian_sees_it(world, browser, live_server):
    teacher = _logged_in(browser, live_server, world.a.teachers[0].username)
    page = teacher.page
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
    teacher.shot("edit")
    page.get_by_role("button", name="Publish").click()
    page.wait_for_url(f"{live_server.url}/news/{post.pk}/")
    teacher.context.close()

    guardian = _logged_in(browser, live_server, world.parent.username)
    page = guardian.page
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
    guardian.shot("timeline")
    guardian.context.close()
    assert _problems(teacher) + _problems(guardian) == []
