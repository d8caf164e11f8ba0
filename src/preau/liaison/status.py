"""Where a child's family stands on a note: pure functions of the guardians' rows.

One rule, used by the services (to set ``NoteRecipient.completed_at``), the tracking
table, the exports and the families' pages, so that they never disagree:

- every guardian must sign: done = signed guardians, required = all guardians;
- one guardian signs: done once any guardian signed (1/1);
- no signature but a question: done once any guardian answered (1/1);
- information only: done once any guardian opened it (1/1).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from preau.liaison.models import Acknowledgement, AnswerChange, Note, NoteGuardian

DIVERGENT = "\x00divergent"  # a per-child "answer" when guardians answered differently


@dataclass(frozen=True)
class Progress:
    done: int
    required: int

    @property
    def complete(self) -> bool:
        return self.required > 0 and self.done >= self.required


def progress(note: Note, rows: Sequence[NoteGuardian]) -> Progress:
    if note.acknowledgement == Acknowledgement.ALL:
        return Progress(sum(1 for r in rows if r.signed_at), len(rows))
    if note.acknowledgement == Acknowledgement.ONE:
        return Progress(int(any(r.signed_at for r in rows)), 1 if rows else 0)
    if note.has_question:
        return Progress(int(any(r.answer for r in rows)), 1 if rows else 0)
    return Progress(int(any(r.first_read_at for r in rows)), 1 if rows else 0)


def child_answer(rows: Sequence[NoteGuardian]) -> str:
    """The child's answer: the guardians' common answer, "" if none, DIVERGENT if they differ."""
    answers = {r.answer for r in rows if r.answer}
    if not answers:
        return ""
    return answers.pop() if len(answers) == 1 else DIVERGENT


def needs(note: Note, mine: NoteGuardian, rows: Sequence[NoteGuardian]) -> bool:
    """Whether this guardian still has something to do for this child."""
    if note.acknowledgement == Acknowledgement.ALL:
        return mine.signed_at is None
    if note.acknowledgement == Acknowledgement.ONE:
        return not any(r.signed_at for r in rows)
    if note.has_question:
        return not mine.answer and not any(r.answer for r in rows)
    return False


@dataclass(frozen=True)
class AnswerStep:
    at: dt.datetime
    previous: str  # labels, as shown
    answer: str


def answer_steps(note: Note, changes: Iterable[AnswerChange]) -> list[AnswerStep]:
    return [
        AnswerStep(
            c.changed_at,
            note.answer_label(c.previous) if c.previous else "",
            note.answer_label(c.answer),
        )
        for c in changes
    ]
