"""The sender's table: pupil × guardian, read, signed, answer; per child and in sum.

No writes. Three queries whatever the number of pupils (recipients, their guardians,
the answer history), each through the access kernel: a teacher who did not send the
note sees their own classes' rows only.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from preau.core.access import restrict
from preau.liaison.access import TRACK
from preau.liaison.models import AnswerChange, Note, NoteGuardian, NoteRecipient
from preau.liaison.status import (
    DIVERGENT,
    AnswerStep,
    Progress,
    answer_steps,
    child_answer,
    progress,
)


@dataclass(frozen=True)
class GuardianCell:
    row: NoteGuardian
    name: str
    has_account: bool
    answer_label: str
    history: list[AnswerStep]

    @property
    def changed_answer(self) -> bool:
        return len(self.history) > 1


@dataclass(frozen=True)
class PupilLine:
    recipient: NoteRecipient
    pupil_name: str
    class_label: str
    guardians: list[GuardianCell]
    progress: Progress
    answer: str  # "", an answer code, or DIVERGENT
    answer_label: str


@dataclass(frozen=True)
class Tracking:
    note: Note
    lines: list[PupilLine]
    tally: list[tuple[str, int]]  # answer label → children
    divergent: int
    unanswered: int
    without_account: int

    @property
    def total(self) -> int:
        return len(self.lines)

    @property
    def complete(self) -> int:
        return sum(1 for line in self.lines if line.progress.complete)

    @property
    def several_classes(self) -> bool:
        return len({line.class_label for line in self.lines}) > 1

    @property
    def guardian_rows(self) -> int:
        return sum(max(1, len(line.guardians)) for line in self.lines)

    def incomplete_only(self) -> Tracking:
        lines = [line for line in self.lines if not line.progress.complete]
        return Tracking(
            self.note, lines, self.tally, self.divergent, self.unanswered, self.without_account
        )


def _answer_label(note: Note, answer: str) -> str:
    if answer == DIVERGENT:
        return _("Different answers")
    return note.answer_label(answer) if answer else ""


def build(user: Any, note: Note) -> Tracking:
    rows = (
        restrict(user, NoteGuardian, TRACK)
        .select_related("guardian__user")
        .order_by("guardian__last_name", "guardian__first_name", "pk")
    )
    recipients = (
        restrict(user, NoteRecipient, TRACK)
        .filter(note=note)
        .select_related("pupil")
        .prefetch_related(Prefetch("guardians", queryset=rows, to_attr="tracked_rows"))
        .order_by("class_label", "pupil__last_name", "pupil__first_name", "pk")
    )
    history: dict[int, list[AnswerChange]] = defaultdict(list)
    if note.has_question:
        changes = restrict(user, AnswerChange, TRACK).filter(row__recipient__note=note)
        for change in changes.order_by("changed_at", "pk"):
            history[change.row_id].append(change)
    lines = []
    answers: Counter[str] = Counter()
    without_account = 0
    for recipient in recipients:
        tracked: list[NoteGuardian] = recipient.tracked_rows
        cells = []
        for r in tracked:
            user_ok = r.guardian.user is not None and r.guardian.user.is_active
            without_account += not user_ok
            cells.append(
                GuardianCell(
                    r,
                    str(r.guardian),
                    user_ok,
                    note.answer_label(r.answer),
                    answer_steps(note, history[r.pk]),
                )
            )
        answer = child_answer(tracked) if note.has_question else ""
        answers[answer] += 1
        lines.append(
            PupilLine(
                recipient=recipient,
                pupil_name=str(recipient.pupil),
                class_label=recipient.class_label,
                guardians=cells,
                progress=progress(note, tracked),
                answer=answer,
                answer_label=_answer_label(note, answer),
            )
        )
    tally = [(label, answers[code]) for code, label in note.answer_choices()]
    return Tracking(note, lines, tally, answers[DIVERGENT], answers[""], without_account)
