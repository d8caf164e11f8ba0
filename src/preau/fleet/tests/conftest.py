import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "agents: runs Debian's real inventory agents against gunicorn (slow)"
    )


@pytest.fixture
def tech(world):
    """Tom, Lorient's city technician (city roles hold a second factor)."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from preau.conftest import make_user
    from preau.directory.models import Membership, Role

    user = make_user("tech", "Tom", "Technicien")
    Membership.objects.create(user=user, role=Role.CITY_TECHNICIAN, municipality=world.lorient)
    TOTP.activate(user, generate_totp_secret())
    return user


@pytest.fixture
def assets(world):
    """A laptop on site A, a display on site B, a switch in Vannes."""
    from preau.fleet.models import Asset

    return {
        "a": Asset.objects.create(municipality=world.lorient, kind="laptop", code="AAAA2222",
                                  serial="SN-A", site=world.a.school.site),
        "b": Asset.objects.create(municipality=world.lorient, kind="display", code="BBBB2222",
                                  serial="SN-B", site=world.b.school.site),
        "v": Asset.objects.create(municipality=world.vannes, kind="switch", code="VVVV2222",
                                  serial="SN-V", site=world.v.school.site),
    }  # fmt: skip


@pytest.fixture(autouse=True)
def _english_messages(settings):
    """These tests read the English source messages: English is the default language
    for their requests (no Accept-Language) and for service calls outside a request."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
