"""The claims pages through HTTP: who reaches them (everyone else gets a 404), what they
show, and a claim built, submitted, paid and downloaded by the officer."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from preau.core.models import AuditEvent
from preau.programme import claims
from preau.programme.models import Claim, Invoice, Programme
from preau.programme.seed import load_demo_spending
from preau.programme.seed_claims import load_demo_claims

# Session, user, the user's scope (3), the claim, its rows, the candidates (2), the
# request preview (funding sources, eligible budget, other claims), the shell's
# notifications badge: the same whatever the number of invoices.
QUERIES_DRAFT = 13


@pytest.fixture
def demo(seed: Programme, settings, tmp_path) -> Programme:
    settings.MEDIA_ROOT = tmp_path
    load_demo_spending(seed)
    load_demo_claims(seed)
    return seed


def client(world, user):
    c = world.client_for(user)
    c.cookies["django_language"] = "en"
    return c


def urls(programme: Programme, submitted: Claim, draft: Claim) -> list[tuple[str, str]]:
    """Every claims page: (method, url)."""
    return [
        ("get", reverse("programme:claims", args=[programme.pk])),
        ("get", reverse("programme:claim_create", args=[programme.pk])),
        ("post", reverse("programme:claim_create", args=[programme.pk])),
        *[
            ("get", reverse(f"programme:{n}", args=[c.pk]))
            for c in (submitted, draft)
            for n in ("claim", "claim_pdf", "claim_xlsx", "claim_scans")
        ],
        *[
            ("post", reverse(f"programme:{n}", args=[draft.pk]))
            for n in ("claim_edit", "claim_add", "claim_remove", "claim_submit", "claim_delete")
        ],
        ("get", reverse("programme:claim_submit", args=[draft.pk])),
        ("get", reverse("programme:claim_delete", args=[draft.pk])),
        ("post", reverse("programme:claim_receive", args=[submitted.pk])),
    ]


@pytest.mark.parametrize(
    "who",
    [
        "vannes_officer",
        "vannes_admin",
        "technician",
        "director",
        "teacher",
        "parent",
        "erun",
        "outsider",
    ],
)
def test_everyone_else_gets_404_everywhere(world, demo, technician, vannes_officer, who):
    user = {
        "vannes_officer": vannes_officer,
        "vannes_admin": world.vannes_admin,
        "technician": technician,
        "director": world.a.director,
        "teacher": world.a.teachers[0],
        "parent": world.parent,
        "erun": world.erun,
        "outsider": world.outsider,
    }[who]
    submitted, draft = demo.claims.order_by("number")
    c = client(world, user)
    for method, url in urls(demo, submitted, draft):
        response = getattr(c, method)(url, {"invoice": [1], "kind": "interim"})
        assert response.status_code == 404, (method, url)
    assert demo.claims.count() == 2
    assert not AuditEvent.objects.filter(action="programme.claim_exported").exists()
    assert Claim.objects.get(pk=draft.pk).status == Claim.Status.DRAFT


@pytest.mark.parametrize("who", ["officer", "city_admin"])
def test_officer_and_city_admin_reach_every_page(world, demo, officer, who):
    user = officer if who == "officer" else world.city_admin
    submitted, draft = demo.claims.order_by("number")
    c = client(world, user)
    for method, url in urls(demo, submitted, draft):
        if method == "get":
            response = c.get(url)
            assert response.status_code == 200, url


def test_vannes_officer_reaches_vannes_claims_only(world, demo, vannes_officer, officer):
    from preau.programme.seed import load_seed_programme

    vannes = load_seed_programme(world.vannes)
    theirs = claims.create_claim(actor=vannes_officer, programme=vannes)
    assert (
        client(world, vannes_officer).get(reverse("programme:claim", args=[theirs.pk])).status_code
        == 200
    )
    assert (
        client(world, officer).get(reverse("programme:claim", args=[theirs.pk])).status_code == 404
    )
    assert (
        client(world, officer).get(reverse("programme:claims", args=[vannes.pk])).status_code == 404
    )


def test_the_list_shows_claims_figures_and_the_cap_bar(world, demo, officer):
    html = client(world, officer).get(reverse("programme:claims", args=[demo.pk])).content.decode()
    assert "Première demande de paiement intermédiaire" in html
    assert "178,740.00" in html  # requested and received
    assert "1,095,600.00" in html  # the grant
    assert "<svg" in html
    assert 'role="img"' in html
    assert "876,480.00" in html
    assert "style=" not in html
    assert "<script>" not in html


def test_the_draft_page_shows_candidates_and_flagged_invoices_apart(world, demo, officer):
    draft = demo.claims.get(number=2)
    html = client(world, officer).get(reverse("programme:claim", args=[draft.pk])).content.decode()
    assert f'value="{Invoice.objects.get(number="SC-23-0190").pk}" id="add-' in html
    flagged = html[html.index('id="flagged-title"') :]
    assert "SC-23-0412" in flagged
    assert "paid outside the eligibility window" in flagged
    assert f'id="add-{Invoice.objects.get(number="SC-23-0412").pk}"' not in html
    assert 'data-cents="18200000"' in html
    assert "Subtotal" in html
    assert "277,200.00" in html


def test_claim_page_queries_are_pinned(world, demo, officer, django_assert_num_queries):
    c = client(world, officer)
    url = reverse("programme:claim", args=[demo.claims.get(number=2).pk])
    c.get(url)
    with django_assert_num_queries(QUERIES_DRAFT):
        assert c.get(url).status_code == 200


def test_officer_builds_submits_and_downloads_a_claim(world, demo, officer):
    c = client(world, officer)
    response = c.post(
        reverse("programme:claim_create", args=[demo.pk]), {"kind": "interim", "title": "Third"}
    )
    new = demo.claims.get(number=3)
    assert response.status_code == 302
    assert response["Location"] == reverse("programme:claim", args=[new.pk])
    sc, flagged = (Invoice.objects.get(number=n) for n in ("SC-23-0190", "SC-23-0412"))
    c.post(reverse("programme:claim_add", args=[new.pk]), {"invoice": [flagged.pk]})
    assert not new.invoices.exists()
    response = c.post(
        reverse("programme:claim_add", args=[new.pk]), {"invoice": [sc.pk]}, follow=True
    )
    assert "1 invoice(s) added to claim 3." in response.content.decode()
    confirm = c.get(reverse("programme:claim_submit", args=[new.pk])).content.decode()
    assert "Submitting locks the claim" in confirm
    assert "109,200.00" in confirm
    c.post(reverse("programme:claim_submit", args=[new.pk]))
    new.refresh_from_db()
    assert new.status == Claim.Status.SUBMITTED
    assert new.requested == Decimal("109200.00")
    response = c.post(
        reverse("programme:claim_remove", args=[new.pk]), {"invoice": [sc.pk]}, follow=True
    )
    assert "locked and cannot change" in response.content.decode()
    assert Invoice.objects.get(pk=sc.pk).claim_id == new.pk
    today = timezone.localdate().isoformat()
    c.post(
        reverse("programme:claim_receive", args=[new.pk]),
        {"amount": "109200.00", "received_on": today},
    )
    new.refresh_from_db()
    assert new.status == Claim.Status.RECEIVED
    assert new.received_amount == Decimal("109200.00")

    pdf = c.get(reverse("programme:claim_pdf", args=[new.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"].startswith('attachment; filename="demande-3-')
    text = "".join(
        p.extract_text() for p in PdfReader(io.BytesIO(b"".join(pdf.streaming_content))).pages
    )
    assert "SC-23-0190" in text
    assert "European Union" in text
    xlsx = c.get(reverse("programme:claim_xlsx", args=[new.pk]))
    book = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)))
    assert book.sheetnames == ["Expenditure", "Resources", "Indicators"]
    scans = c.get(reverse("programme:claim_scans", args=[new.pk]))
    names = zipfile.ZipFile(io.BytesIO(b"".join(scans.streaming_content))).namelist()
    assert names == ["001_Salles-Connectees_SC-23-0190.pdf", "missing.txt"]
    exported = AuditEvent.objects.filter(action="programme.claim_exported", target_id=str(new.pk))
    assert sorted(e.data["format"] for e in exported) == ["pdf", "xlsx", "zip"]
    assert all(e.actor == officer for e in exported)


def test_delete_a_draft_through_its_confirmation(world, demo, officer):
    draft = demo.claims.get(number=2)
    c = client(world, officer)
    page = c.get(reverse("programme:claim_delete", args=[draft.pk])).content.decode()
    assert "Its 2 invoices become free to claim again." in page
    response = c.post(reverse("programme:claim_delete", args=[draft.pk]))
    assert response["Location"] == reverse("programme:claims", args=[demo.pk])
    assert not Claim.objects.filter(pk=draft.pk).exists()
    assert not Invoice.objects.filter(
        number__in=["FO-22-051", "BO-5531"], claim__isnull=False
    ).exists()


def test_bad_form_input_is_refused_with_a_message(world, demo, officer):
    draft = demo.claims.get(number=2)
    c = client(world, officer)
    response = c.post(
        reverse("programme:claim_add", args=[draft.pk]), {"invoice": ["x"]}, follow=True
    )
    assert "Unknown invoice" in response.content.decode()
    response = c.post(reverse("programme:claim_add", args=[draft.pk]), {}, follow=True)
    assert "Choose at least one invoice" in response.content.decode()
    submitted = demo.claims.get(number=1)
    response = c.post(
        reverse("programme:claim_receive", args=[submitted.pk]),
        {"amount": "1", "received_on": "2023-01-01"},
        follow=True,
    )
    assert "already recorded" in response.content.decode()
    response = c.post(reverse("programme:claim_create", args=[demo.pk]), {"kind": "nonsense"})
    assert response.status_code == 200
    assert demo.claims.count() == 2
