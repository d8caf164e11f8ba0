"""A guardian activates their account from a generated letter, in Debian's Chromium."""

import pytest
from django.urls import reverse

from .conftest import CODE_RE, pdf_text

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PASSWORD = "Un-mot-de-passe-solide-42"


@pytest.fixture
def page(monkeypatch):
    # Playwright's sync API runs an event loop in this thread; the ORM calls the test
    # makes around it are still synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(locale="fr-FR", viewport={"width": 360, "height": 740})
        yield context.new_page()
        context.close()
        browser.close()


def test_guardian_activates_from_the_letter_and_sees_their_child(
    transactional_db, live_server, world, page
):
    school_class = world.a.classes[0]
    director = world.client_for(world.a.director)
    resp = director.post(
        reverse("accounts:letters_pdf", args=[school_class.pk]), {"who": "missing"}
    )
    assert resp.status_code == 200
    letter = next(text for text in pdf_text(resp.content) if "PARENTA00" in text)
    [code] = CODE_RE.findall(letter)
    child = world.a.pupils[0]
    assert child.first_name in letter

    requests_elsewhere: list[str] = []
    page.on(
        "request",
        lambda r: None if r.url.startswith(live_server.url) else requests_elsewhere.append(r.url),
    )
    page.goto(live_server.url + reverse("accounts:activate"))
    page.get_by_label("Code d’activation").or_(page.get_by_label("Activation code")).fill(
        code.lower().replace("-", " ")
    )
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**" + reverse("accounts:activate_choose"))
    assert page.locator("#id_username").input_value() == "alex.parenta00"
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(live_server.url + reverse("home:index"))

    main = page.locator("main").inner_text()
    assert child.first_name in main
    assert school_class.label in main
    assert requests_elsewhere == []
