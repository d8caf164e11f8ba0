"""Messaging's personas on top of the shared world: a few guardians and pupils get accounts.

In the world, only Camille (``parent``, two children in A's two classes) and one pupil
have accounts; messaging needs families in the same class, in another class, in
another school and in another municipality.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from PIL import Image

from preau.accounts.models import User
from preau.conftest import World, make_user
from preau.directory.models import Guardian, Pupil


def _guardian_account(guardian: Guardian, username: str) -> User:
    user = make_user(username, guardian.first_name, guardian.last_name)
    Guardian.objects.filter(pk=guardian.pk).update(user=user)
    return user


def _pupil_account(pupil: Pupil, username: str) -> User:
    user = make_user(username, pupil.first_name, pupil.last_name)
    Pupil.objects.filter(pk=pupil.pk).update(user=user)
    return user


@pytest.fixture
def people(world: World) -> dict[str, User]:
    """Every persona of the messaging tests by name."""
    found: dict[str, Any] = {
        "parent": world.parent,  # children in A class 0 and A class 1
        "pupil": world.pupil_user,  # a.pupils[0], A class 0
        "director_a": world.a.director,
        "director_b": world.b.director,
        "director_v": world.v.director,
        "teacher_a0": world.a.teachers[0],
        "teacher_a1": world.a.teachers[1],
        "teacher_b0": world.b.teachers[0],
        "teacher_v0": world.v.teachers[0],
        "city_admin": world.city_admin,
        "vannes_admin": world.vannes_admin,
        "erun": world.erun,
        "outsider": world.outsider,
    }
    found["guardian_a00"] = _guardian_account(world.a.guardians[0], "guardian_a00")  # A class 0
    found["guardian_a01"] = _guardian_account(world.a.guardians[1], "guardian_a01")  # A class 0
    found["guardian_a10"] = _guardian_account(world.a.guardians[2], "guardian_a10")  # A class 1
    found["guardian_b00"] = _guardian_account(world.b.guardians[0], "guardian_b00")
    found["guardian_v00"] = _guardian_account(world.v.guardians[0], "guardian_v00")
    found["pupil_a01"] = _pupil_account(world.a.pupils[1], "pupil_a01")  # A class 0
    found["pupil_a10"] = _pupil_account(world.a.pupils[2], "pupil_a10")  # A class 1
    return found


def jpeg_bytes(size: tuple[int, int] = (64, 48), exif_gps: bool = False) -> bytes:
    image = Image.new("RGB", size, (200, 40, 40))
    out = io.BytesIO()
    exif = Image.Exif()
    if exif_gps:
        exif[0x010F] = "PhoneMaker"  # camera make
        exif[0x8825] = {1: "N", 2: (47.0, 45.0, 0.0), 3: "W", 4: (3.0, 22.0, 0.0)}
    image.save(out, "JPEG", exif=exif.tobytes() if exif_gps else b"")
    return out.getvalue()


PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def english() -> Any:
    """Assertions read the English source strings (the French catalogue is the lead's)."""
    from django.utils import translation

    with translation.override("en"):
        yield


def client_for(world: World, user: User) -> Any:
    """A logged-in client that asks for English pages."""
    client = world.client_for(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client
