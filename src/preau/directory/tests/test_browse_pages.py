"""The shell around the directory pages: navigation, language, error pages, no other host."""

from __future__ import annotations

import re

import pytest
from django.shortcuts import render
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation
from django.views import defaults

from preau.directory.models import Site
from preau.directory.tests.test_browse import login

ATTR_URL = re.compile(r"""\b(src|href|action|srcset|poster|data)\s*=\s*["']?([^"'\s>]+)""", re.I)
OFF_HOST = re.compile(r"^(?:https?:)?//", re.I)
A_TAG = re.compile(r"<a\b[^>]*>", re.I)


def off_host_urls(html: str) -> list[tuple[str, str]]:
    """Every src/href/action… in ``html`` that names another host, with its attribute."""
    return [(attr.lower(), url) for attr, url in ATTR_URL.findall(html) if OFF_HOST.match(url)]


def assert_no_other_host(html: str) -> None:
    allowed = []
    for attr, url in off_host_urls(html):
        host = re.sub(r"^(?:https?:)?//", "", url).split("/")[0].split("?")[0]
        # Only a link the user clicks, to OpenStreetMap, may leave the site.
        assert attr == "href", f"{attr}={url} would make the browser call another host"
        assert host == "www.openstreetmap.org", f"link to another host: {url}"
        allowed.append(url)
    for url in allowed:
        tags = [t for t in A_TAG.findall(html) if url.replace("&", "&amp;") in t or url in t]
        assert tags, f"{url} is not in an <a> element"
        for tag in tags:
            assert re.search(r'rel="[^"]*\bnoopener\b', tag), tag


def test_the_scanner_catches_off_host_requests():
    with pytest.raises(AssertionError):
        assert_no_other_host('<img src="https://cdn.example.com/x.png">')
    with pytest.raises(AssertionError):
        assert_no_other_host('<link rel="stylesheet" href="//fonts.example.com/a.css">')
    with pytest.raises(AssertionError):
        assert_no_other_host('<script src="https://www.openstreetmap.org/x.js"></script>')
    with pytest.raises(AssertionError):
        assert_no_other_host('<a href="https://www.openstreetmap.org/?m=1">map</a>')
    assert_no_other_host('<a href="https://www.openstreetmap.org/?m=1" rel="noopener">map</a>')
    assert_no_other_host('<a href="/directory/">x</a><img src="/static/a.png">')


def _pages(world) -> list[tuple[object, str]]:
    a = world.a
    site = a.school.site
    Site.objects.filter(pk=site.pk).update(latitude="47.748", longitude="-3.366")
    urls = [
        reverse("home:index"),
        reverse("directory:index"),
        reverse("directory:school_list"),
        reverse("directory:school_detail", args=[a.school.pk]),
        reverse("directory:site_list"),
        reverse("directory:site_detail", args=[site.pk]),
        reverse("directory:class_list"),
        reverse("directory:class_detail", args=[a.classes[0].pk]),
        reverse("directory:pupil_list"),
        reverse("directory:pupil_detail", args=[a.pupils[0].pk]),
        reverse("directory:guardian_list"),
        reverse("directory:guardian_detail", args=[a.guardians[0].pk]),
    ]
    return [(user, url) for user in (world.city_admin, a.director) for url in urls]


def test_no_page_calls_another_host(world):
    checked = 0
    for user, url in _pages(world):
        response = login(world, user).get(url)
        assert response.status_code == 200, url
        assert_no_other_host(response.content.decode())
        checked += 1
    for user in (world.parent, world.a.teachers[0], world.pupil_user, world.outsider):
        response = login(world, user).get(reverse("home:index"))
        assert_no_other_host(response.content.decode())
    for url in (reverse("account_login"), "/no-such-page/"):
        assert_no_other_host(world.client_for(world.outsider).get(url).content.decode())
    assert checked == 24


def test_site_page_links_to_openstreetmap_as_a_plain_link(world):
    site = world.a.school.site
    Site.objects.filter(pk=site.pk).update(latitude="47.748", longitude="-3.366")
    html = (
        login(world, world.city_admin)
        .get(reverse("directory:site_detail", args=[site.pk]))
        .content.decode()
    )
    assert off_host_urls(html) == [
        (
            "href",
            "https://www.openstreetmap.org/?mlat=47.748000"
            "&amp;mlon=-3.366000#map=18/47.748000/-3.366000",
        )
    ]


def test_language_switch_to_english_and_back(world):
    client = login(world, world.a.director)
    assert '<html lang="fr"' in client.get(reverse("home:index")).content.decode()
    response = client.post(reverse("set_language"), {"language": "en", "next": "/directory/"})
    assert response.status_code == 302
    assert response["Location"] == "/directory/"
    html = client.get(reverse("home:index")).content.decode()
    assert '<html lang="en"' in html
    assert 'value="fr"' in html
    assert "Français" in html
    client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    assert '<html lang="fr"' in client.get(reverse("home:index")).content.decode()


def test_shell_has_skip_link_landmarks_and_language_form(world):
    html = login(world, world.a.director).get(reverse("directory:school_list")).content.decode()
    assert 'class="skip-link" href="#main"' in html
    assert '<main id="main"' in html
    assert "<header" in html
    assert "<footer" in html
    assert f'action="{reverse("set_language")}"' in html
    assert 'name="viewport" content="width=device-width, initial-scale=1"' in html
    assert "style=" not in html
    assert "<script>" not in html


def _nav_links(html: str) -> dict[str, str]:
    nav = html.split('class="container main-nav"', 1)[1].split("</nav>", 1)[0]
    return {
        href: (current or "")
        for href, current in re.findall(r'<a href="([^"]+)"(?: aria-current="(\w+)")?', nav)
    }


def test_navigation_marks_the_current_page(world):
    client = login(world, world.city_admin)
    links = _nav_links(client.get(reverse("directory:school_list")).content.decode())
    assert links[reverse("directory:school_list")] == "page"
    assert links[reverse("directory:index")] == ""
    assert links[reverse("home:index")] == ""
    detail = client.get(reverse("directory:school_detail", args=[world.a.school.pk]))
    assert _nav_links(detail.content.decode())[reverse("directory:school_list")] == "true"
    home = _nav_links(client.get(reverse("home:index")).content.decode())
    assert home[reverse("home:index")] == "page"


def test_navigation_per_role(world):
    def links_of(user):
        return set(_nav_links(login(world, user).get(reverse("home:index")).content.decode()))

    admin = links_of(world.city_admin)
    assert {
        reverse("directory:index"),
        reverse("directory:pupil_list"),
        reverse("accounts:audit_log"),
    } <= admin
    teacher = links_of(world.a.teachers[0])
    assert reverse("directory:class_list") in teacher
    assert reverse("directory:pupil_list") in teacher
    assert reverse("directory:index") not in teacher
    assert reverse("accounts:audit_log") not in teacher
    erun = links_of(world.erun)
    assert reverse("directory:school_list") in erun
    assert reverse("directory:pupil_list") not in erun
    # A guardian reaches the school–family workspace, nothing of the directory or the city.
    family = {
        reverse("home:index"),
        reverse("news:timeline"),
        reverse("news:consent"),
        reverse("liaison:index"),
        reverse("messaging:inbox"),
        reverse("homework:index"),
        reverse("agenda:index"),
        reverse("notifications:timeline"),
    }
    parent = links_of(world.parent)
    assert parent <= family
    assert {reverse("home:index"), reverse("liaison:index"), reverse("news:timeline")} <= parent
    # Someone with no role: their home and their own notifications only.
    assert links_of(world.outsider) <= {reverse("home:index"), reverse("notifications:timeline")}


def test_404_page_tells_what_to_do(world):
    client = login(world, world.a.director)
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html
    assert 'href="/"' in html
    # The same page for "not yours": it does not say which.
    other = client.get(
        reverse("directory:pupil_detail", args=[world.b.pupils[0].pk]), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert other.status_code == 404
    assert "Page not found" in other.content.decode()


@translation.override("en")
def test_403_429_and_500_pages_render(world):
    request = RequestFactory().get("/x/")
    request.user = world.outsider
    forbidden = defaults.permission_denied(request, PermissionError())
    assert forbidden.status_code == 403
    assert "session may have expired" in forbidden.content.decode()
    error = defaults.server_error(request)
    assert error.status_code == 500
    assert "Something went wrong" in error.content.decode()
    assert_no_other_host(error.content.decode())
    tired = render(request, "429.html", status=429)
    assert "Wait a few minutes" in tired.content.decode()
