from __future__ import annotations

from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from preau.conftest import make_user
from preau.directory.models import Membership, Role
from preau.programme.models import Programme
from preau.programme.seed import load_seed_programme


def _city_user(world: Any, username: str, role: str, muni: Any) -> Any:
    user = make_user(username, "Paula", "Programme")
    Membership.objects.create(user=user, role=role, municipality=muni)
    TOTP.activate(user, generate_totp_secret())  # city roles must hold a second factor
    return user


@pytest.fixture
def officer(world: Any) -> Any:
    """Lorient's programme officer."""
    return _city_user(world, "officer", Role.PROGRAMME_OFFICER, world.lorient)


@pytest.fixture
def technician(world: Any) -> Any:
    return _city_user(world, "technician", Role.CITY_TECHNICIAN, world.lorient)


@pytest.fixture
def vannes_officer(world: Any) -> Any:
    return _city_user(world, "vannes_officer", Role.PROGRAMME_OFFICER, world.vannes)


@pytest.fixture
def seed(world: Any) -> Programme:
    return load_seed_programme(world.lorient)
