"""The rollout per site: the checklist, its update rules, who sees and changes what, the
timeline filter, and how many queries the pages take."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from preau.conftest import make_user
from preau.core.models import AuditEvent
from preau.directory.models import Membership, Role, Site
from preau.programme import services
from preau.programme.models import Attachment, Milestone, SiteMilestone
from preau.programme.seed import load_demo_rollout, load_seed_programme
from preau.programme.services import ProgrammeError

# Session, user, the user's scope (3), programme, milestones with their sites, the shell's
# unread notifications: the same whatever the number of sites and milestones.
QUERIES_TIMELINE_OFFICER = 8
# Session, user, scope (3), the director's sites, programme, milestones, the shell's unread
# notifications and messages (school staff have a message box).
QUERIES_TIMELINE_DIRECTOR = 10
# The timeline's, and the milestones' evidence files.
QUERIES_SITE_OFFICER = 9


@pytest.fixture
def planned(world, seed, officer):
    services.plan_site_milestones(seed, officer)
    return seed


def _milestone(programme, site, kind=Milestone.WIFI):
    return SiteMilestone.objects.get(programme=programme, site=site, kind=kind)


def _site_url(programme, site):
    return reverse("programme:site_rollout", args=[programme.pk, site.pk])


def test_checklist_covers_every_site_and_is_idempotent(world, seed, officer):
    sites = Site.objects.filter(municipality=world.lorient).count()
    assert services.plan_site_milestones(seed, officer) == sites * len(Milestone.values)
    assert services.plan_site_milestones(seed, officer) == 0
    assert seed.site_milestones.count() == sites * len(Milestone.values)
    assert not seed.site_milestones.exclude(site__municipality=world.lorient).exists()
    first = seed.site_milestones.order_by("planned_on").first()
    assert first.planned_on == seed.planned_start
    assert AuditEvent.objects.filter(action="programme.rollout_planned").count() == 1


def test_update_records_and_audits(world, planned, officer):
    milestone = _milestone(planned, world.a.school.site, Milestone.CABLING)
    services.update_site_milestone(
        milestone, officer, status="done", done_on=dt.date(2022, 3, 4), quantity=24
    )
    milestone.refresh_from_db()
    assert (milestone.status, milestone.done_on, milestone.quantity) == (
        "done",
        dt.date(2022, 3, 4),
        24,
    )
    assert AuditEvent.objects.filter(action="programme.milestone_updated").count() == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"status": "done"}, "needs the date"),
        ({"status": "done", "done_on": None}, "needs the date"),
        ({"done_on": dt.date(2999, 1, 1)}, "future"),
        ({"quantity": 0, "evidence": "x"}, "greater than zero"),
        ({"status": "finished"}, "Unknown milestone status"),
        ({"colour": "red"}, "Unknown milestone field"),
    ],
)
def test_bad_updates_are_refused_and_nothing_is_written(world, planned, officer, changes, message):
    milestone = _milestone(planned, world.a.school.site)
    before = SiteMilestone.objects.filter(pk=milestone.pk).values().get()
    with translation.override("en"), pytest.raises(ProgrammeError, match=message):
        services.update_site_milestone(milestone, officer, **changes)
    assert SiteMilestone.objects.filter(pk=milestone.pk).values().get() == before
    assert not AuditEvent.objects.filter(action="programme.milestone_updated").exists()


@pytest.mark.parametrize("who", ["officer", "city_admin"])
def test_officer_and_admin_see_and_edit(world, planned, officer, who):
    user = officer if who == "officer" else world.city_admin
    client = world.client_for(user)
    page = client.get(reverse("programme:rollout", args=[planned.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert world.a.school.site.name in html
    assert world.b.school.site.name in html
    milestone = _milestone(planned, world.b.school.site)
    site_page = client.get(_site_url(planned, world.b.school.site))
    assert site_page.status_code == 200
    assert reverse("programme:update_milestone", args=[milestone.pk]) in site_page.content.decode()
    today = timezone.localdate()
    response = client.post(
        reverse("programme:update_milestone", args=[milestone.pk]),
        {"status": "done", "done_on": today.isoformat(), "quantity": "6", "evidence": "PV 12"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == _site_url(planned, world.b.school.site)
    milestone.refresh_from_db()
    assert (milestone.status, milestone.done_on, milestone.quantity) == ("done", today, 6)
    assert "message-success" in response.content.decode()


def test_a_refused_update_shows_the_reason_and_writes_nothing(world, planned, officer):
    milestone = _milestone(planned, world.a.school.site)
    client = world.client_for(officer)
    with translation.override("en"):
        response = client.post(
            reverse("programme:update_milestone", args=[milestone.pk]),
            {"status": "done", "done_on": ""},
            follow=True,
            headers={"accept-language": "en"},
        )
    assert response.status_code == 200
    assert "message-error" in response.content.decode()
    milestone.refresh_from_db()
    assert milestone.status == "planned"


def test_director_reads_their_site_only(world, planned):
    client = world.client_for(world.a.director)
    page = client.get(reverse("programme:rollout", args=[planned.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert world.a.school.site.name in html
    assert world.b.school.site.name not in html
    own = client.get(_site_url(planned, world.a.school.site))
    assert own.status_code == 200
    assert "/programme/milestone/" not in own.content.decode()
    milestone = _milestone(planned, world.a.school.site)
    post = client.post(
        reverse("programme:update_milestone", args=[milestone.pk]),
        {"status": "blocked"},
    )
    assert post.status_code == 404
    milestone.refresh_from_db()
    assert milestone.status == "planned"
    # Another school's site is a 404, and so is its milestone.
    assert client.get(_site_url(planned, world.b.school.site)).status_code == 404
    other = _milestone(planned, world.b.school.site)
    assert (
        client.post(reverse("programme:update_milestone", args=[other.pk]), {}).status_code == 404
    )
    # The navigation leads them to the rollout.
    assert f'href="{reverse("programme:rollout_index")}"' in html
    index = client.get(reverse("programme:rollout_index"))
    assert index.status_code == 302
    assert index.url == reverse("programme:rollout", args=[planned.pk])


def test_director_of_school_b_does_not_see_school_a(world, planned):
    client = world.client_for(world.b.director)
    html = client.get(reverse("programme:rollout", args=[planned.pk])).content.decode()
    assert world.b.school.site.name in html
    assert world.a.school.site.name not in html
    assert client.get(_site_url(planned, world.a.school.site)).status_code == 404


@pytest.mark.parametrize("who", ["teacher", "guardian", "pupil", "erun", "outsider", "vannes"])
def test_others_get_404_everywhere(world, planned, who):
    user = {
        "teacher": world.a.teachers[0],
        "guardian": world.parent,
        "pupil": world.pupil_user,
        "erun": world.erun,
        "outsider": world.outsider,
        "vannes": world.vannes_admin,
    }[who]
    client = world.client_for(user)
    milestone = _milestone(planned, world.a.school.site)
    home = client.get("/").content.decode()
    assert reverse("programme:rollout_index") not in home
    assert client.get(reverse("programme:rollout_index")).status_code == 404
    assert client.get(reverse("programme:rollout", args=[planned.pk])).status_code == 404
    assert client.get(_site_url(planned, world.a.school.site)).status_code == 404
    url = reverse("programme:update_milestone", args=[milestone.pk])
    assert client.post(url, {"status": "blocked"}).status_code == 404


def test_director_of_a_school_without_milestones_gets_404(world, seed):
    assert seed.site_milestones.count() == 0
    client = world.client_for(world.a.director)
    assert client.get(reverse("programme:rollout", args=[seed.pk])).status_code == 404


def test_another_municipalitys_rollout_is_404_for_lorient(world, planned, officer):
    vannes = load_seed_programme(world.vannes)
    services.plan_site_milestones(vannes, None)
    site = world.v.school.site
    client = world.client_for(officer)
    assert client.get(reverse("programme:rollout", args=[vannes.pk])).status_code == 404
    assert client.get(_site_url(vannes, site)).status_code == 404
    # A Lorient programme with a Vannes site in the URL is a 404 too.
    assert client.get(_site_url(planned, site)).status_code == 404
    milestone = _milestone(vannes, site)
    url = reverse("programme:update_milestone", args=[milestone.pk])
    assert client.post(url, {"status": "blocked"}).status_code == 404


def _timeline_body(client, url, **query):
    return client.get(url, query).content.decode().split("<tbody>")[1]


def test_timeline_filters_by_kind_and_status(world, planned, officer):
    services.update_site_milestone(
        _milestone(planned, world.a.school.site, Milestone.UPS), officer, status="blocked"
    )
    client = world.client_for(officer)
    url = reverse("programme:rollout", args=[planned.pk])
    every = _timeline_body(client, url)
    assert every.count('class="rollout-mark rollout-planned"') == 2 * 12 - 1
    assert every.count('class="rollout-mark rollout-blocked"') == 1
    only_ups = _timeline_body(client, url, kind="ups")  # UPS is milestone number 4
    assert only_ups.count('class="rollout-mark') == 2
    assert only_ups.count('>4<span class="visually-hidden">') == 2
    blocked = _timeline_body(client, url, status="blocked")
    assert blocked.count('class="rollout-mark') == 1
    assert world.a.school.site.name in blocked
    assert world.b.school.site.name not in blocked
    nothing = client.get(url, {"kind": "wifi", "status": "done"}).content.decode()
    assert "<tbody>" not in nothing


def test_demo_rollout_has_every_state(world, seed):
    count = load_demo_rollout(seed)
    sites = Site.objects.filter(municipality=world.lorient).count()
    assert count == sites * 12
    done = seed.site_milestones.filter(status="done")
    assert done.exists()
    assert not done.filter(done_on__isnull=True).exists()
    assert not done.exclude(done_on__range=(dt.date(2021, 9, 1), dt.date(2023, 12, 31))).exists()
    assert seed.site_milestones.filter(status="in_progress").exists()


def test_query_counts_are_pinned(world, planned, officer, django_assert_num_queries):
    extra = make_user("director_extra")
    Membership.objects.create(
        user=extra, role=Role.DIRECTOR, municipality=world.lorient, school=world.b.school
    )
    officer_client = world.client_for(officer)
    director_client = world.client_for(world.a.director)
    rollout = reverse("programme:rollout", args=[planned.pk])
    for client in (officer_client, director_client):  # the first request saves the session
        client.get(rollout)
    with django_assert_num_queries(QUERIES_TIMELINE_OFFICER):
        assert officer_client.get(rollout).status_code == 200
    with django_assert_num_queries(QUERIES_TIMELINE_DIRECTOR):
        assert director_client.get(rollout).status_code == 200
    with django_assert_num_queries(QUERIES_SITE_OFFICER):
        assert officer_client.get(_site_url(planned, world.a.school.site)).status_code == 200


def test_query_counts_do_not_grow_with_sites(world, planned, officer, django_assert_num_queries):
    for n in range(5):
        Site.objects.create(municipality=world.lorient, name=f"Site extra {n}")
    services.plan_site_milestones(planned, officer)
    client = world.client_for(officer)
    rollout = reverse("programme:rollout", args=[planned.pk])
    client.get(rollout)
    with django_assert_num_queries(QUERIES_TIMELINE_OFFICER):
        page = client.get(rollout)
    assert page.content.decode().count("Site extra") == 5


# ---- The checklist for every site, from the page -------------------------------------------


def test_officer_creates_every_sites_checklist_from_the_page(world, seed, officer):
    client = world.client_for(officer)
    url = reverse("programme:rollout", args=[seed.pk])
    page = client.get(url).content.decode()
    plan_url = reverse("programme:plan_rollout", args=[seed.pk])
    assert f'action="{plan_url}"' in page
    response = client.post(plan_url, follow=True)
    assert response.redirect_chain[-1][0] == url
    sites = Site.objects.filter(municipality=world.lorient).count()
    assert seed.site_milestones.count() == sites * 12
    assert "message-success" in response.content.decode()
    again = client.post(plan_url, follow=True)  # idempotent
    assert seed.site_milestones.count() == sites * 12
    assert "message-info" in again.content.decode() or "message" in again.content.decode()
    assert AuditEvent.objects.filter(action="programme.rollout_planned").count() == 1


@pytest.mark.parametrize("who", ["director", "teacher", "vannes_admin", "technician"])
def test_only_staff_create_the_checklists(world, planned, technician, who):
    user = {
        "director": world.a.director,
        "teacher": world.a.teachers[0],
        "vannes_admin": world.vannes_admin,
        "technician": technician,
    }[who]
    Site.objects.create(municipality=world.lorient, name="Site nouveau")
    client = world.client_for(user)
    assert client.post(reverse("programme:plan_rollout", args=[planned.pk])).status_code == 404
    assert not planned.site_milestones.filter(site__name="Site nouveau").exists()
    if who == "director":
        page = client.get(reverse("programme:rollout", args=[planned.pk])).content.decode()
        assert reverse("programme:plan_rollout", args=[planned.pk]) not in page


# ---- Evidence files of a milestone ---------------------------------------------------------

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _attach(client, milestone, data=PDF, name="pv.pdf", kind="acceptance"):
    return client.post(
        reverse("programme:milestone_attach", args=[milestone.pk]),
        {"kind": kind, "title": "PV de réception", "file": SimpleUploadedFile(name, data)},
        follow=True,
    )


def test_officer_attaches_evidence_and_directors_of_the_site_read_it(
    world, planned, officer, media
):
    milestone = _milestone(planned, world.a.school.site, Milestone.ACCEPTANCE)
    response = _attach(world.client_for(officer), milestone)
    assert response.redirect_chain[-1][0] == _site_url(planned, world.a.school.site)
    attachment = Attachment.objects.get()
    assert (attachment.milestone, attachment.kind) == (milestone, "acceptance")
    download = reverse("programme:attachment", args=[attachment.pk])
    assert download in response.content.decode()
    # The director of the site sees and downloads it.
    director = world.client_for(world.a.director)
    page = director.get(_site_url(planned, world.a.school.site)).content.decode()
    assert download in page
    assert reverse("programme:milestone_attach", args=[milestone.pk]) not in page
    got = director.get(download)
    assert got.status_code == 200
    assert b"".join(got.streaming_content) == PDF
    # Another school's director, a teacher, a parent: not found.
    for user in (world.b.director, world.a.teachers[0], world.parent):
        assert world.client_for(user).get(download).status_code == 404


def test_a_refused_file_is_said_and_nothing_is_kept(world, planned, officer, media):
    milestone = _milestone(planned, world.a.school.site, Milestone.ACCEPTANCE)
    response = _attach(world.client_for(officer), milestone, data=b"not a pdf")
    assert "message-error" in response.content.decode()
    assert not Attachment.objects.exists()
    response = _attach(world.client_for(officer), milestone, data=b"", name="empty.pdf")
    assert "message-error" in response.content.decode()
    assert not Attachment.objects.exists()


@pytest.mark.parametrize("who", ["director", "director_b", "teacher", "vannes_admin"])
def test_only_staff_attach_evidence(world, planned, media, who):
    user = {
        "director": world.a.director,
        "director_b": world.b.director,
        "teacher": world.a.teachers[0],
        "vannes_admin": world.vannes_admin,
    }[who]
    milestone = _milestone(planned, world.a.school.site, Milestone.ACCEPTANCE)
    client = world.client_for(user)
    response = client.post(
        reverse("programme:milestone_attach", args=[milestone.pk]),
        {"kind": "acceptance", "file": SimpleUploadedFile("pv.pdf", PDF)},
    )
    assert response.status_code == 404
    assert not Attachment.objects.exists()
