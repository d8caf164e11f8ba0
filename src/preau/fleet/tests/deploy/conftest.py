"""Fixtures of the Deploy protocol's tests: a Lorient laptop and a Vannes switch known to
the agents, a package ready to deploy, and media in a temporary folder."""

import pytest

from .helpers import lorient_laptop, sample_package, vannes_switch


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def device(world, assets):
    return lorient_laptop(world, assets["a"])


@pytest.fixture
def vannes_device(world, assets):
    return vannes_switch(world, assets["v"])


@pytest.fixture
def package(world):
    return sample_package(world.lorient)
