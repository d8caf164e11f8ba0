"""axe-core in Debian's Chromium, on a phone: the main pages of the fleet, the helpdesk, the
loans and the programme, as a city technician, a teacher, a director, a programme officer
and a city admin see them, and two forms sent empty, pass ``a11y.audit`` (no serious or
critical WCAG 2.1 A/AA problem, no reference to a missing element, nothing from another
host). The workspace's pages: test_accessibility.py."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import reverse
from django.utils import timezone

from preau.conftest import World, make_user
from preau.directory.models import Membership, Role
from preau.fleet import services as fleet
from preau.fleet.compliance import services as compliance
from preau.fleet.models import Asset, AssetKind, AssetStatus, ComplianceRule, Device
from preau.fleet.tests.deploy_ui_helpers import package
from preau.helpdesk.tests.conftest import report
from preau.home.tests.a11y import audit_as
from preau.loans import services as loans
from preau.programme.seed import load_demo_spending, load_seed_programme

pytestmark = pytest.mark.browser

Page = Callable[[World, Any], str]  # (world, technician): makes the page's data, its path


def city_user(world: World, username: str, role: str) -> Any:
    user = make_user(username, "Tom", "Technicien")
    Membership.objects.create(user=user, role=role, municipality=world.lorient)
    TOTP.activate(user, generate_totp_secret())  # city roles hold a second factor
    return user


def _projector(world: World, tech: Any) -> Asset:
    fields = {"kind": AssetKind.DISPLAY, "serial": "ENI-A-1", "model": "Speechi 75"}
    asset = fleet.create_asset(world.lorient, fields | {"site": world.a.school.site}, actor=tech)
    return fleet.transition(asset, AssetStatus.DEPLOYED, actor=tech)


def _device(world: World, tech: Any) -> Device:
    disk = {"mount": "/", "volume": "/dev/sda1", "filesystem": "ext4", "total_mb": 1000}
    return Device.objects.create(
        municipality=world.lorient, site=world.a.school.site, asset=_projector(world, tech),
        hostname="pc-classe-1", deviceid="pc-classe-1-2026-01-01-00-00-00",
        disks=[disk | {"free_mb": 30}], last_inventory_at=timezone.now(),
    )  # fmt: skip


def _assets(world: World, tech: Any) -> str:
    _projector(world, tech)
    return reverse("fleet:asset_list")


def _asset(world: World, tech: Any) -> str:
    return reverse("fleet:asset_detail", args=[_projector(world, tech).pk])


def _devices(world: World, tech: Any) -> str:
    _device(world, tech)
    return reverse("fleet:device_list")


def _compliance(world: World, tech: Any) -> str:
    rule = {"name": "Disque libre", "kind": "free_disk", "value": "10", "severity": "critical"}
    ComplianceRule.objects.create(municipality=world.lorient, **compliance.clean_rule(rule))
    _device(world, tech)
    compliance.evaluate_municipality(world.lorient)
    return reverse("fleet:compliance_dashboard")


def _packages(world: World, tech: Any) -> str:
    package(world, tech)
    return reverse("fleet:package_list")


def _package(world: World, tech: Any) -> str:
    return reverse("fleet:package_detail", args=[package(world, tech).pk])


def _tickets(world: World, tech: Any) -> str:
    report(world)
    return reverse("helpdesk:index")


def _new_ticket(world: World, tech: Any) -> str:
    return f"{reverse('helpdesk:new')}?asset={_projector(world, tech).pk}"


def _loans(world: World, tech: Any) -> str:
    fields = {"kind": AssetKind.TABLET_CASE, "serial": "CASE-A", "site": world.a.school.site}
    case = fleet.create_asset(world.lorient, fields, actor=tech)
    fleet.transition(case, AssetStatus.DEPLOYED, actor=tech)
    loans.make_loanable(tech, Asset.objects.get(pk=case.pk), "Chargée chaque soir")
    return reverse("loans:index")


def _programmes(world: World, tech: Any) -> str:
    load_demo_spending(load_seed_programme(world.lorient))
    return reverse("programme:dashboard")


def _programme(world: World, tech: Any) -> str:
    programme = load_seed_programme(world.lorient)
    load_demo_spending(programme)
    return reverse("programme:detail", args=[programme.pk])


CASES = [
    pytest.param("tech", _assets, id="fleet-assets"),
    pytest.param("tech", _asset, id="fleet-asset"),
    pytest.param("tech", _devices, id="fleet-devices"),
    pytest.param("director_a", _compliance, id="fleet-compliance"),
    pytest.param("tech", _packages, id="fleet-packages"),
    pytest.param("tech", _package, id="fleet-package"),
    pytest.param("tech", _tickets, id="helpdesk-queue"),
    pytest.param("teacher_a0", _tickets, id="helpdesk-school"),
    pytest.param("teacher_a0", _new_ticket, id="helpdesk-new"),
    pytest.param("teacher_a0", _loans, id="loans"),
    pytest.param("officer", _programmes, id="programme-officer"),
    pytest.param("city_admin", _programmes, id="programme-city-admin"),
    pytest.param("officer", _programme, id="programme-detail"),
]


# Forms sent empty: their errors and help must stay tied to their fields.
REFUSED = [
    pytest.param("teacher_a0", _new_ticket, id="helpdesk-new"),
    pytest.param("tech", lambda world, tech: reverse("fleet:asset_create"), id="fleet-asset"),
]


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def persona_of(world: World, persona: str, tech: Any) -> Any:
    if persona == "tech":
        return tech
    if persona == "officer":
        return city_user(world, "officer", Role.PROGRAMME_OFFICER)
    return world.persona(persona)


@pytest.mark.parametrize(("persona", "page"), CASES)
def test_the_page_passes_the_audit(
    transactional_db: Any,
    live_server: Any,
    world: World,
    browser: Any,
    persona: str,
    page: Page,
    request: pytest.FixtureRequest,
) -> None:
    tech = city_user(world, "tech", Role.CITY_TECHNICIAN)
    path, user = page(world, tech), persona_of(world, persona, tech)
    assert audit_as(browser, live_server, user, path, request.node.callspec.id) == []


@pytest.mark.parametrize(("persona", "page"), REFUSED)
def test_a_refused_form_passes_the_audit(
    transactional_db: Any,
    live_server: Any,
    world: World,
    browser: Any,
    persona: str,
    page: Page,
    request: pytest.FixtureRequest,
) -> None:
    tech = city_user(world, "tech", Role.CITY_TECHNICIAN)
    path, user = page(world, tech), persona_of(world, persona, tech)
    name = request.node.callspec.id
    assert audit_as(browser, live_server, user, path, name, refused=True) == []
