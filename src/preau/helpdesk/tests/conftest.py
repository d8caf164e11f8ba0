from __future__ import annotations

import io
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.utils import translation
from PIL import Image

from preau.conftest import World, make_user
from preau.directory.models import Membership, Role
from preau.fleet import services as fleet
from preau.fleet.models import Asset, AssetKind
from preau.helpdesk import services
from preau.helpdesk.models import Category, Ticket


@pytest.fixture(autouse=True)
def english() -> Any:
    with translation.override("en"):
        yield


def technician_of(municipality: Any, name: str) -> Any:
    user = make_user(name, "Tina", f"Tech{name}")
    Membership.objects.create(user=user, role=Role.CITY_TECHNICIAN, municipality=municipality)
    TOTP.activate(user, generate_totp_secret())
    return user


@pytest.fixture
def tech(world: World) -> Any:
    return technician_of(world.lorient, "tech")


@pytest.fixture
def vannes_tech(world: World) -> Any:
    return technician_of(world.vannes, "vtech")


@pytest.fixture
def projector(world: World, tech: Any) -> Asset:
    return fleet.create_asset(
        world.lorient,
        {
            "kind": AssetKind.DISPLAY,
            "serial": "ENI-A-1",
            "model": "Speechi 75",
            "site": world.a.school.site,
        },
        actor=tech,
    )


def report(world: World, who: Any = None, school: Any = None, **changes: Any) -> Ticket:
    data = {
        "category": Category.DISPLAY,
        "title": "Le TBI ne s'allume plus",
        "description": "Depuis ce matin, écran noir.",
    } | changes
    return services.report(
        who or world.a.teachers[0], school or world.a.school, services.TicketInput(**data)
    )


def jpeg_with_exif() -> bytes:
    image = Image.new("RGB", (64, 48), (10, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    exif[0x0131] = "GPS-ish"
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def client_for(world: World, user: Any) -> Any:
    """A logged-in client that asks for English pages (the tests read English words)."""
    client = world.client_for(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client
