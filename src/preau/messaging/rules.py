"""Who may write to whom: ``may_write(sender, recipient, matrix)``, a pure function.

The people come in as :class:`Profile` (computed from the directory by
``people.profiles_for``), the matrix as a :class:`Matrix` (loaded by
``matrix.load_matrix``); nothing here touches the database, so the whole matrix is
tested as a table.

A profile holds *anchors*: each place a person stands as one party (a teacher in their
class, a guardian in each child's class, a director in their school, a city admin in
their municipality). For every pair of anchors of the sender and the recipient in the
same municipality, the distance between them (same class, same school, same
municipality) is compared with the matrix cell of that pair of parties, looked up for
the school they share (or the sender's school). The best pair decides: allowed beats
allowed-with-moderation beats refused. The reason says which rule applied.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from preau.messaging.roles import PLURAL, RANK, Cell, Pair, Party, Reach, default_cell


@dataclass(frozen=True)
class Anchor:
    party: str
    municipality_id: int
    school_id: int | None = None
    class_id: int | None = None
    # For labels only (the recipient picker): never used to decide.
    school_name: str = field(default="", compare=False)
    class_label: str = field(default="", compare=False)
    pupil_name: str = field(default="", compare=False)


@dataclass(frozen=True)
class Profile:
    user_id: int
    name: str
    anchors: tuple[Anchor, ...] = ()
    active: bool = True

    @property
    def parties(self) -> frozenset[str]:
        return frozenset(a.party for a in self.anchors)


@dataclass(frozen=True)
class Matrix:
    """The cells in force: a school's rule, else its municipality's, else the default."""

    municipal: Mapping[tuple[int, Pair], Cell] = field(default_factory=dict)
    schools: Mapping[tuple[int, Pair], Cell] = field(default_factory=dict)

    def cell(self, municipality_id: int, school_id: int | None, pair: Pair) -> Cell:
        if school_id is not None and (school_id, pair) in self.schools:
            return self.schools[(school_id, pair)]
        return self.municipal.get((municipality_id, pair)) or default_cell(pair)

    def widest(self, municipality_id: int, school_id: int | None, pair: Pair) -> str:
        """The farthest reach any school of the municipality may give this pair (for
        narrowing the recipient picker's first query when the school is not known)."""
        if school_id is not None:
            return self.cell(municipality_id, school_id, pair).reach
        reaches = [self.cell(municipality_id, None, pair).reach]
        reaches += [c.reach for (_s, p), c in self.schools.items() if p == pair]
        return max(reaches, key=lambda r: RANK[r])


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str
    moderated: bool = False
    school_id: int | None = None  # the school the exchange belongs to (for moderation)
    municipality_id: int | None = None
    held_class_id: int | None = None  # whose teachers approve a moderated message
    recipient_party: str = ""  # as what the recipient is reached (guardian, teacher…)

    @property
    def rank(self) -> int:
        return 2 if self.allowed and not self.moderated else 1 if self.allowed else 0


def distance(a: Anchor, b: Anchor) -> str:
    if a.class_id is not None and a.class_id == b.class_id:
        return Reach.CLASS
    if a.school_id is not None and a.school_id == b.school_id:
        return Reach.SCHOOL
    return Reach.MUNICIPALITY


def _rule_text(pair: Pair, cell: Cell) -> str:
    names = {"senders": PLURAL[pair[0]], "recipients": PLURAL[pair[1]]}
    if cell.reach == Reach.NONE:
        return _("%(senders)s may not write to %(recipients)s.") % names
    if cell.reach == Reach.CLASS:
        return _("%(senders)s may write only to %(recipients)s of the same class.") % names
    if cell.reach == Reach.SCHOOL:
        return _("%(senders)s may write only to %(recipients)s of the same school.") % names
    return _("%(senders)s may write to %(recipients)s of the same municipality.") % names


def _judge(a: Anchor, b: Anchor, matrix: Matrix) -> tuple[Decision, Cell]:
    dist = distance(a, b)
    school = b.school_id if dist != Reach.MUNICIPALITY else (a.school_id or b.school_id)
    pair = (a.party, b.party)
    cell = matrix.cell(a.municipality_id, school, pair)
    allowed = cell.allows(dist)
    moderated = allowed and cell.moderated and a.party == Party.PUPIL
    reason = _rule_text(pair, cell)
    if moderated:
        reason += " " + _("A teacher of the class reads the message before it is delivered.")
    decision = Decision(
        allowed=allowed,
        reason=reason,
        moderated=moderated,
        school_id=school,
        municipality_id=a.municipality_id,
        held_class_id=a.class_id if moderated else None,
        recipient_party=b.party,
    )
    return decision, cell


def may_write(sender: Profile, recipient: Profile, matrix: Matrix) -> Decision:
    """May ``sender`` write to ``recipient``? With the reason, in words for the sender."""
    refusal = _("You may not write to %(name)s: ") % {"name": recipient.name}
    if sender.user_id == recipient.user_id:
        return Decision(False, _("You cannot write to yourself."))
    if not sender.active or not sender.anchors:
        return Decision(False, _("Your account has no role that can send messages."))
    if not recipient.active or not recipient.anchors:
        return Decision(False, refusal + _("this person cannot receive messages here."))
    best: Decision | None = None
    closest_refusal: tuple[int, Decision] | None = None
    for a in sender.anchors:
        for b in recipient.anchors:
            if a.municipality_id != b.municipality_id:
                continue
            decision, cell = _judge(a, b, matrix)
            if best is None or decision.rank > best.rank:
                best = decision
            if not decision.allowed:
                # Explain the pair whose rule came closest (a reach too short beats "never").
                closeness = RANK[cell.reach]
                if closest_refusal is None or closeness > closest_refusal[0]:
                    closest_refusal = (closeness, decision)
    if best is None:
        return Decision(False, refusal + _("this person belongs to another municipality."))
    if best.allowed:
        return best
    assert closest_refusal is not None
    return Decision(False, refusal + closest_refusal[1].reason)
