"""Retention: old conversations are erased with their files; recent ones, reported ones
and files still shared by another copy are kept; the purge is audited."""

from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from preau.core.models import AuditEvent
from preau.messaging import files, retention
from preau.messaging.models import AbuseReport, Attachment, Conversation, Message

from .conftest import PDF_BYTES
from .helpers import start

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _age(conversation: Conversation, days: int) -> None:
    when = timezone.now() - timedelta(days=days)
    Conversation.objects.filter(pk=conversation.pk).update(created_at=when, last_message_at=when)


def test_old_conversations_go_with_their_files_recent_and_reported_stay(
    world, people, django_capture_on_commit_callbacks
):
    pdf = files.check_files([("compte-rendu.pdf", PDF_BYTES)])
    old = start(people["teacher_a0"], people["parent"], subject="Ancien", files=pdf)
    recent = start(people["teacher_a0"], people["parent"], subject="Récent")
    reported = start(people["teacher_a0"], people["parent"], subject="Signalé")
    _age(old, 500)
    _age(reported, 500)
    AbuseReport.objects.create(
        message=reported.messages.get(),
        reporter=people["parent"],
        reporter_label="Camille Martin",
        municipality_id=reported.municipality_id,
        reason="Propos déplacés",
    )
    stored = Attachment.objects.get(message__conversation=old).file.name
    assert default_storage.exists(stored)

    with django_capture_on_commit_callbacks(execute=True):
        erased = retention.purge(400)

    assert erased == 1
    assert set(Conversation.objects.values_list("pk", flat=True)) == {recent.pk, reported.pk}
    assert not Message.objects.filter(conversation_id=old.pk).exists()
    assert not default_storage.exists(stored)
    event = AuditEvent.objects.get(action="messaging.purged")
    assert event.data["conversations"] == 1


def test_a_file_shared_with_a_kept_copy_is_not_erased(
    world, people, django_capture_on_commit_callbacks
):
    pdf = files.check_files([("sortie.pdf", PDF_BYTES)])
    start(people["teacher_a0"], people["parent"], people["guardian_a00"], files=pdf)
    copies = list(Conversation.objects.order_by("pk"))
    assert len(copies) == 2, "sent separately to two families: two conversations"
    shared = {a.file.name for a in Attachment.objects.all()}
    assert len(shared) == 1
    _age(copies[0], 500)

    with django_capture_on_commit_callbacks(execute=True):
        assert retention.purge(400) == 1
    assert default_storage.exists(shared.pop())


def test_nothing_expired_nothing_erased(world, people):
    start(people["teacher_a0"], people["parent"])
    assert retention.purge(400) == 0
    assert not AuditEvent.objects.filter(action="messaging.purged").exists()
