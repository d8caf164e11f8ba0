"""A guardian activates their account from a generated letter, in Debian's Chromium."""

import pytest
from django.urls import reverse

from preau.testing.browser import PHONE, open_page

from .conftest import CODE_RE, pdf_text

pytestmark = pytest.mark.browser

PASSWORD = "Un-mot-de-passe-solide-42"


def test_guardian_activates_from_the_letter_and_sees_their_child(
    transactional_db, live_server, world, browser
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

    session = open_page(browser, live_server, PHONE, locale="fr-FR")
    page = session.page
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
    assert session.elsewhere == []
    session.context.close()
