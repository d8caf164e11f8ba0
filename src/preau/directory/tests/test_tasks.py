import datetime as dt

from django.utils import timezone

from preau.directory import tasks
from preau.directory.models import OndeImport
from preau.directory.onde.samples import make_school_exports


def test_stale_onde_previews_are_expired_and_their_files_erased(world):
    pupils, guardians = make_school_exports(uai_seed=1, pupils=10, classes=2)
    stale = OndeImport.objects.create(
        school=world.a.school,
        uploaded_by=world.a.director,
        pupils_file=pupils,
        guardians_file=guardians,
    )
    fresh = OndeImport.objects.create(
        school=world.a.school,
        uploaded_by=world.a.director,
        pupils_file=pupils,
        guardians_file=guardians,
    )
    OndeImport.objects.filter(pk=stale.pk).update(created_at=timezone.now() - dt.timedelta(days=2))
    tasks.expire_onde_uploads.call_local()
    stale.refresh_from_db()
    fresh.refresh_from_db()
    assert stale.status == OndeImport.Status.EXPIRED
    assert bytes(stale.pupils_file) == b""
    assert stale.guardians_file is None
    assert fresh.status == OndeImport.Status.PREVIEWED
    assert bytes(fresh.pupils_file) == pupils
