"""The programme officer logs in, builds a claim, submits it and downloads its PDF, in
Debian's Chromium."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.urls import reverse
from pypdf import PdfReader

from preau.conftest import PASSWORD
from preau.programme.exports.publicity import MENTIONS
from preau.programme.models import Claim, ClaimLine, Invoice
from preau.programme.seed import load_demo_spending
from preau.testing.browser import DESKTOP, log_in, open_page

pytestmark = pytest.mark.browser


def spaces(text: str) -> str:
    return re.sub(r"[\s\u202f\xa0]+", " ", text)


def test_officer_builds_a_claim_and_downloads_its_pdf(
    transactional_db, live_server, world, seed, officer, browser, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    load_demo_spending(seed)
    picked = [Invoice.objects.get(number=n) for n in ("FO-21-118", "AR-2022-007")]
    flagged = Invoice.objects.get(number="SC-23-0412")
    session = open_page(browser, live_server, DESKTOP, locale="fr-FR", accept_downloads=True)
    page = session.page
    log_in(page, live_server, "officer", PASSWORD, totp_of=officer)

    page.goto(live_server.url + reverse("programme:claims", args=[seed.pk]))
    page.locator(f"a[href='{reverse('programme:claim_create', args=[seed.pk])}']").click()
    page.locator("#id_title").fill("Demande du navigateur")
    page.locator("main form button[type=submit]").click()
    claim = Claim.objects.get(programme=seed, number=1)
    page.wait_for_url(live_server.url + reverse("programme:claim", args=[claim.pk]))

    assert page.locator(f"#add-{flagged.pk}").count() == 0  # flagged: listed apart, no box
    assert "SC-23-0412" in page.locator("#flagged-title + p + div").inner_text()
    for invoice in picked:
        page.locator(f"#add-{invoice.pk}").check()
    assert spaces(page.locator("output[data-total]").inner_text()) == "268 500,00"
    page.locator("form.claim-candidates button[type=submit]").click()
    page.wait_for_load_state()
    assert sorted(claim.invoices.values_list("number", flat=True)) == ["AR-2022-007", "FO-21-118"]

    page.locator(f"a[href='{reverse('programme:claim_submit', args=[claim.pk])}']").click()
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(live_server.url + reverse("programme:claim", args=[claim.pk]))
    claim.refresh_from_db()
    assert claim.status == Claim.Status.SUBMITTED
    assert claim.requested is not None

    with page.expect_download() as download:
        page.locator(f"a[href='{reverse('programme:claim_pdf', args=[claim.pk])}']").click()
    data = Path(download.value.path()).read_bytes()
    assert download.value.suggested_filename.startswith("demande-1-")
    reader = PdfReader(io.BytesIO(data))
    text = spaces("\n".join(p.extract_text() for p in reader.pages))
    for line in ClaimLine.objects.filter(claim=claim):
        assert line.invoice_number in text
    assert "268 500,00" in text
    assert "161 100,00" in text
    assert MENTIONS["fr"].union in text
    assert spaces(MENTIONS["fr"].statement) in text
    assert f"page 1 / {len(reader.pages)}" in text
    assert session.elsewhere == []
    session.context.close()
