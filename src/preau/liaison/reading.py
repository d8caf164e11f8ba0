"""What families see: their notes per child, and one note with each child's status.

No writes here. Shared by the pages and the API, so both show the same thing; every row
comes through the access kernel, and the query count does not grow with the number of
notes or children.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import OuterRef, Prefetch, Subquery

from preau.core.access import restrict
from preau.directory.models import Enrolment, Pupil
from preau.directory.scope import scope_of
from preau.liaison.models import Acknowledgement, AnswerChange, Note, NoteGuardian, NoteRecipient
from preau.liaison.status import AnswerStep, Progress, answer_steps, progress

TO_DO = "to_do"  # this guardian still has to sign or answer, before the deadline
MISSED = "missed"  # they had to, and the deadline has passed
DONE = "done"  # signed or answered (by them, or by the other guardian when one is enough)
INFO = "info"  # nothing to do: information only, or a pupil reading their class's notes
DONE_LIMIT = 50  # notes already dealt with shown per child; those to do are always shown


def family_ids(user: Any) -> set[int]:
    """The pupils whose notes ``user`` reads: their children, or themselves."""
    scope = scope_of(user)
    ids = set(scope.children)
    if scope.pupil_id is not None:
        ids.add(scope.pupil_id)
    return ids


def state_of(note: Note, recipient: NoteRecipient, mine: NoteGuardian | None) -> str:
    if not note.collects or mine is None:
        return INFO
    if note.acknowledgement == Acknowledgement.ALL:
        needed = mine.signed_at is None
    else:
        needed = recipient.completed_at is None
    if not needed:
        return DONE
    return MISSED if note.is_closed() else TO_DO


@dataclass(frozen=True)
class ChildNote:
    note: Note
    recipient: NoteRecipient
    mine: NoteGuardian | None
    state: str


@dataclass
class ChildNotes:
    pupil: Pupil
    class_label: str
    notes: list[ChildNote] = field(default_factory=list)

    @property
    def to_do(self) -> int:
        return sum(1 for n in self.notes if n.state == TO_DO)


def _order(item: ChildNote) -> tuple[int, str, float]:
    # To do first, the nearest deadline first; then the newest.
    newest = -item.note.sent_at.timestamp()
    if item.state != TO_DO:
        return (1, "", newest)
    return (0, item.note.due_on.isoformat() if item.note.due_on else "9999", newest)


def family_notes(user: Any) -> list[ChildNotes]:
    ids = family_ids(user)
    if not ids:
        return []
    current_class = Enrolment.objects.filter(pupil=OuterRef("pk"), ended_on__isnull=True).values(
        "school_class__label"
    )[:1]
    pupils = (
        restrict(user, Pupil)
        .filter(pk__in=ids, left_on__isnull=True)
        .annotate(current_class=Subquery(current_class))
        .order_by("birth_date", "first_name", "pk")
    )
    children = {p.pk: ChildNotes(p, p.current_class or "") for p in pupils}
    recipients = (
        restrict(user, NoteRecipient)
        .filter(pupil_id__in=list(children))
        .select_related("note", "note__school")
        .order_by("-note__sent_at", "-note_id")
    )
    scope = scope_of(user)
    guardian_id = scope.guardian_id
    mine: dict[int, NoteGuardian] = {}
    if guardian_id is not None:
        mine = {
            r.recipient_id: r
            for r in NoteGuardian.objects.filter(
                guardian_id=guardian_id, recipient__pupil_id__in=list(children)
            )
        }
    for recipient in recipients:
        row = mine.get(recipient.pk) if recipient.pupil_id in scope.children else None
        item = ChildNote(recipient.note, recipient, row, state_of(recipient.note, recipient, row))
        children[recipient.pupil_id].notes.append(item)
    for child in children.values():
        ordered = sorted(child.notes, key=_order)
        to_do = [n for n in ordered if n.state == TO_DO]
        child.notes = to_do + [n for n in ordered if n.state != TO_DO][:DONE_LIMIT]
    return list(children.values())


@dataclass(frozen=True)
class ReaderChild:
    recipient: NoteRecipient
    mine: NoteGuardian | None
    others: list[NoteGuardian]
    state: str
    progress: Progress
    history: list[AnswerStep]
    answer_label: str  # this guardian's answer, as shown
    can_respond: bool  # a form to sign or (change an) answer is offered

    @property
    def pupil(self) -> Pupil:
        return self.recipient.pupil


def reader_children(user: Any, note: Note) -> list[ReaderChild]:
    """Each of the user's children the note reached, with where the family stands."""
    ids = family_ids(user)
    if not ids:
        return []
    scope = scope_of(user)
    rows = restrict(user, NoteGuardian).select_related("guardian").order_by("pk")
    recipients = (
        restrict(user, NoteRecipient)
        .filter(note=note, pupil_id__in=list(ids))
        .select_related("pupil")
        .prefetch_related(Prefetch("guardians", queryset=rows, to_attr="visible_rows"))
        .order_by("pupil__birth_date", "pupil__first_name", "pk")
    )
    history: dict[int, list[AnswerChange]] = defaultdict(list)
    if scope.guardian_id is not None and note.has_question:
        for change in restrict(user, AnswerChange).filter(
            row__guardian_id=scope.guardian_id, row__recipient__note=note
        ):
            history[change.row_id].append(change)
    found = []
    for recipient in recipients:
        visible: list[NoteGuardian] = recipient.visible_rows
        mine = next((r for r in visible if r.guardian_id == scope.guardian_id), None)
        others = [r for r in visible if r is not mine]
        state = state_of(note, recipient, mine)
        can_respond = (
            mine is not None
            and note.collects
            and not note.is_closed()
            and (state == TO_DO or note.has_question)
        )
        found.append(
            ReaderChild(
                recipient=recipient,
                mine=mine,
                others=others,
                state=state,
                progress=progress(note, visible),
                history=answer_steps(note, history.get(mine.pk, [])) if mine else [],
                answer_label=note.answer_label(mine.answer) if mine and mine.answer else "",
                can_respond=can_respond,
            )
        )
    return found
