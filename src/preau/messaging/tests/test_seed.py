"""The demo's conversations: plausible, within the communication matrix, deterministic."""

from preau.messaging.matrix import load_matrix
from preau.messaging.models import AbuseReport, Conversation, Message, Participant
from preau.messaging.people import profiles_for
from preau.messaging.rules import may_write
from preau.messaging.seed import load_demo_messages


def _snapshot() -> list[tuple[str, str, str]]:
    return list(
        Message.objects.order_by("conversation__subject", "body", "sender_label").values_list(
            "conversation__subject", "body", "sender_label"
        )
    )


def test_demo_messages_follow_the_matrix(world, people):
    count = load_demo_messages(world.lorient)
    assert count == Message.objects.count() > 0
    assert Conversation.objects.filter(municipality=world.lorient).count() > 5
    assert not Conversation.objects.exclude(municipality=world.lorient).exists()
    matrix = load_matrix([world.lorient.pk])
    for conversation in Conversation.objects.prefetch_related("participants"):
        ids = [p.user_id for p in conversation.participants.all()]
        profiles = profiles_for(ids)
        assert conversation.created_by_id is not None
        author = profiles[conversation.created_by_id]
        for uid in ids:
            if uid != author.user_id:
                assert may_write(author, profiles[uid], matrix).allowed, conversation.subject
    # a pupil's messages went through a teacher
    pupil_messages = Message.objects.filter(sender=people["pupil"])
    assert pupil_messages.exists()
    assert all(m.moderated_by_id and m.held_class_id for m in pupil_messages)
    # the persona guardian has conversations, some of them read
    assert Participant.objects.filter(user=world.parent).exists()
    assert Participant.objects.filter(last_read_at__isnull=False).exists()


def test_demo_messages_are_deterministic(world, people):
    load_demo_messages(world.lorient)
    first = _snapshot()
    AbuseReport.objects.all().delete()
    Conversation.objects.all().delete()
    load_demo_messages(world.lorient)
    assert _snapshot() == first
