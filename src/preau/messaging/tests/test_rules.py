"""The communication matrix, as a table: every pair of personas and what the rule says.

``may_write`` is pure: the people come from the directory (``profiles_for``), the matrix
from the database, and the decision is computed from nothing else. The same table is
then replayed through the pages: what the rule refuses, the service refuses and audits.
"""

import pytest

from preau.core.models import AuditEvent
from preau.messaging.matrix import load_matrix
from preau.messaging.models import Conversation, Message
from preau.messaging.people import profiles_for
from preau.messaging.roles import Cell, Party, Reach
from preau.messaging.rules import Anchor, Matrix, Profile, may_write

from .conftest import client_for

OK, HELD, REFUSED = "ok", "held", "refused"

CASES = [
    # guardians ↔ their children's teachers and the director; never other families
    ("guardian_a00", "teacher_a0", OK),  # their child's teacher
    ("guardian_a00", "teacher_a1", REFUSED),  # a teacher of another class
    ("guardian_a00", "teacher_b0", REFUSED),  # a teacher of another school
    ("guardian_a00", "director_a", OK),  # their child's director
    ("guardian_a00", "director_b", REFUSED),  # another school's director
    ("guardian_a00", "guardian_a01", REFUSED),  # another guardian, even in the same class
    ("guardian_a00", "guardian_a10", REFUSED),
    ("guardian_a00", "pupil", REFUSED),
    ("guardian_a00", "city_admin", REFUSED),
    ("parent", "teacher_a0", OK),  # Camille's first child's teacher…
    ("parent", "teacher_a1", OK),  # …and her second child's, in another class
    # teachers ↔ the families of their class, the staff of their school
    ("teacher_a0", "guardian_a00", OK),
    ("teacher_a0", "guardian_a10", REFUSED),  # nobody writes to families of other classes
    ("teacher_a0", "guardian_b00", REFUSED),
    ("teacher_a0", "teacher_a1", OK),
    ("teacher_a0", "teacher_b0", REFUSED),  # another school
    ("teacher_a0", "director_a", OK),
    ("teacher_a0", "director_b", REFUSED),
    ("teacher_a0", "pupil", OK),  # a pupil of their class
    ("teacher_a0", "pupil_a10", REFUSED),  # a pupil of another class
    ("teacher_a0", "erun", OK),
    # directors: their whole school, and the other directors of the city
    ("director_a", "guardian_a10", OK),
    ("director_a", "guardian_b00", REFUSED),
    ("director_a", "teacher_a1", OK),
    ("director_a", "director_b", OK),
    ("director_a", "pupil", REFUSED),
    ("director_a", "city_admin", OK),
    # pupils → their own teachers only, held for moderation
    ("pupil", "teacher_a0", HELD),
    ("pupil", "teacher_a1", REFUSED),
    ("pupil", "pupil_a01", REFUSED),
    ("pupil", "director_a", REFUSED),
    ("pupil", "guardian_a00", REFUSED),
    # nothing crosses a municipality
    ("teacher_v0", "teacher_a0", REFUSED),
    ("director_v", "director_a", REFUSED),
    ("guardian_v00", "teacher_a0", REFUSED),
    ("vannes_admin", "director_a", REFUSED),
    # city admins and ERUN
    ("city_admin", "director_a", OK),
    ("city_admin", "teacher_a0", REFUSED),
    ("city_admin", "guardian_a00", REFUSED),
    ("erun", "teacher_a0", OK),
    ("erun", "teacher_b0", REFUSED),  # the ERUN of the world serves school A only
    # nobody without a role, nobody to themselves
    ("outsider", "teacher_a0", REFUSED),
    ("teacher_a0", "outsider", REFUSED),
    ("teacher_a0", "teacher_a0", REFUSED),
]


def outcome(decision) -> str:
    if not decision.allowed:
        return REFUSED
    return HELD if decision.moderated else OK


def decide(people, sender: str, recipient: str):
    s, r = people[sender], people[recipient]
    profiles = profiles_for([s.pk, r.pk])
    me = profiles[s.pk]
    matrix = load_matrix({a.municipality_id for a in me.anchors})
    return may_write(me, profiles[r.pk], matrix)


@pytest.mark.parametrize(("sender", "recipient", "expected"), CASES, ids=lambda v: str(v))
def test_matrix_table(people, sender, recipient, expected):
    decision = decide(people, sender, recipient)
    assert outcome(decision) == expected, decision.reason
    assert decision.reason  # every decision says why


@pytest.mark.parametrize(
    ("sender", "recipient", "expected"),
    [c for c in CASES if c[0] != c[1] and c[1] != "outsider" and c[0] != "outsider"],
    ids=lambda v: str(v),
)
def test_same_table_through_the_compose_page(world, people, sender, recipient, expected):
    client = client_for(world, people[sender])
    before = AuditEvent.objects.filter(action="messaging.refused").count()
    response = client.post(
        "/messages/new/",
        {"to": [people[recipient].pk], "subject": "Bonjour", "body": "Un message."},
    )
    if expected == REFUSED:
        assert response.status_code == 400
        assert "may not write" in response.content.decode() or "only" in response.content.decode()
        assert not Conversation.objects.exists()
        assert AuditEvent.objects.filter(action="messaging.refused").count() == before + 1
    else:
        assert response.status_code == 302
        message = Message.objects.get()
        assert message.status == (Message.Status.HELD if expected == HELD else Message.Status.SENT)


def test_refusal_reasons_are_specific(people):
    other_class = decide(people, "guardian_a00", "teacher_a1")
    assert "only to teachers of the same class" in other_class.reason
    other_family = decide(people, "guardian_a00", "guardian_a01")
    assert "guardians may not write to guardians" in other_family.reason
    elsewhere = decide(people, "teacher_v0", "teacher_a0")
    assert "another municipality" in elsewhere.reason
    held = decide(people, "pupil", "teacher_a0")
    assert "before it is delivered" in held.reason
    assert held.held_class_id is not None


def test_moderated_decision_names_the_class_and_school(world, people):
    held = decide(people, "pupil", "teacher_a0")
    assert held.held_class_id == world.a.classes[0].pk
    assert held.school_id == world.a.school.pk


# The pure function on hand-made profiles: no database at all.

A_CLASS = Anchor(Party.TEACHER, 1, school_id=10, class_id=100)
GUARDIAN_SAME = Anchor(Party.GUARDIAN, 1, school_id=10, class_id=100)
GUARDIAN_OTHER = Anchor(Party.GUARDIAN, 1, school_id=10, class_id=101)


def _p(uid: int, *anchors: Anchor) -> Profile:
    return Profile(uid, f"user {uid}", anchors)


def test_pure_default_and_overrides():
    teacher, family, other = _p(1, A_CLASS), _p(2, GUARDIAN_SAME), _p(3, GUARDIAN_OTHER)
    default = Matrix()
    assert may_write(family, teacher, default).allowed
    assert not may_write(other, teacher, default).allowed
    school_wide = Matrix(schools={(10, (Party.GUARDIAN, Party.TEACHER)): Cell(Reach.SCHOOL)})
    assert may_write(other, teacher, school_wide).allowed
    closed = Matrix(municipal={(1, (Party.GUARDIAN, Party.TEACHER)): Cell(Reach.NONE)})
    assert not may_write(family, teacher, closed).allowed
    # a school's own rule beats its municipality's
    both = Matrix(
        municipal={(1, (Party.GUARDIAN, Party.TEACHER)): Cell(Reach.NONE)},
        schools={(10, (Party.GUARDIAN, Party.TEACHER)): Cell(Reach.CLASS)},
    )
    assert may_write(family, teacher, both).allowed


def test_pure_best_anchor_wins():
    # a teacher who is also a parent at the school writes to a colleague as a teacher
    colleague = _p(1, Anchor(Party.TEACHER, 1, 10, 102))
    both_roles = _p(2, GUARDIAN_OTHER, A_CLASS)
    assert may_write(both_roles, colleague, Matrix()).allowed


def test_pure_inactive_and_empty_profiles_refused():
    teacher = _p(1, A_CLASS)
    gone = Profile(2, "gone", (GUARDIAN_SAME,), active=False)
    assert not may_write(gone, teacher, Matrix()).allowed
    assert not may_write(teacher, gone, Matrix()).allowed
    assert not may_write(_p(3), teacher, Matrix()).allowed
