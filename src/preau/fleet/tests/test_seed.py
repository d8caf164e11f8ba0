import pytest

from preau.directory.models import Room
from preau.fleet.models import Asset, Device
from preau.fleet.seed import load_demo_fleet

pytestmark = pytest.mark.django_db


def test_demo_fleet_has_the_seed_quantities_and_is_deterministic(world):
    Room.objects.create(site=world.a.school.site, name="Classe 1")
    total = load_demo_fleet(world.lorient)
    assert Asset.objects.filter(kind="laptop").count() == 150
    assert Asset.objects.filter(kind="tablet_case").count() == 20
    assert Asset.objects.filter(kind="tablet", parent__kind="tablet_case").count() == 180
    assert Asset.objects.filter(kind="thin_client", room__isnull=False).count() == 4
    assert Asset.objects.filter(kind="ups").count() == 2  # one per site
    assert Device.objects.filter(asset__isnull=False).count() == 60
    assert total == Asset.objects.count()
    assert load_demo_fleet(world.lorient) == 0  # once only
    first = list(Asset.objects.order_by("serial").values_list("serial", "code")[:5])
    Asset.objects.all().delete()
    Device.objects.all().delete()
    load_demo_fleet(world.lorient)
    assert list(Asset.objects.order_by("serial").values_list("serial", "code")[:5]) == first
