"""The families' notes for a mobile app: my notes per child, one note, sign or answer.

Same access kernel and same reading code as the pages (``preau.liaison.reading``), so a
note, child or row that is not yours is the same JSON 404 as a missing one. Mounted by
``preau.api`` (the lead decides the prefix).
"""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from ninja import Router
from ninja.errors import HttpError

from preau.core.access import CHANGE, VIEW, get_or_404
from preau.liaison import reading, services
from preau.liaison.models import Note, NoteGuardian
from preau.liaison.schemas import (
    ChildNotesOut,
    ChildOut,
    ChildStatusOut,
    ChoiceOut,
    NoteDetailOut,
    NoteSummaryOut,
    RespondIn,
    RespondOut,
    SignatureOut,
)
from preau.liaison.services import LiaisonError
from preau.liaison.text import plain_text

router = Router(tags=["notes"])


def _user(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


def _summary(item: reading.ChildNote) -> NoteSummaryOut:
    note, mine = item.note, item.mine
    return NoteSummaryOut(
        id=note.pk,
        title=note.title,
        sender=note.sender_label,
        school=note.school.name,
        sent_at=note.sent_at,
        due_on=note.due_on,
        signature=note.acknowledgement,
        question=note.question,
        state=item.state,
        signed_at=mine.signed_at if mine else None,
        answer=mine.answer if mine else "",
    )


@router.get("/", response=list[ChildNotesOut], summary="My notes, per child")
def my_notes(request: HttpRequest) -> list[ChildNotesOut]:
    """Each child of mine (or myself, for a pupil) with their notes: those to do first."""
    return [
        ChildNotesOut(
            child=ChildOut(id=c.pupil.pk, first_name=c.pupil.first_name, class_label=c.class_label),
            to_do=c.to_do,
            notes=[_summary(item) for item in c.notes],
        )
        for c in reading.family_notes(_user(request))
    ]


def _child_status(child: reading.ReaderChild) -> ChildStatusOut:
    mine = child.mine
    return ChildStatusOut(
        child=ChildOut(
            id=child.pupil.pk,
            first_name=child.pupil.first_name,
            class_label=child.recipient.class_label,
        ),
        state=child.state,
        signed_at=mine.signed_at if mine else None,
        answer=mine.answer if mine else "",
        answer_label=child.answer_label,
        can_respond=child.can_respond,
        done=child.progress.done,
        required=child.progress.required,
        co_guardians=[
            SignatureOut(guardian=str(r.guardian), signed_at=r.signed_at) for r in child.others
        ],
    )


@router.get("/{note_id}", response=NoteDetailOut, summary="One note")
def note_detail(request: HttpRequest, note_id: int) -> NoteDetailOut:
    """The note and, for each of my children it reached, where we stand. Marks it read."""
    user = _user(request)
    note = get_or_404(user, Note.objects.select_related("school"), VIEW, pk=note_id)
    services.mark_read(user, note)
    return NoteDetailOut(
        id=note.pk,
        title=note.title,
        body_html=note.body,
        body_text=plain_text(note.body),
        sender=note.sender_label,
        school=note.school.name,
        sent_at=note.sent_at,
        due_on=note.due_on,
        closed=note.is_closed(),
        signature=note.acknowledgement,
        question=note.question,
        choices=[ChoiceOut(value=v, label=label) for v, label in note.answer_choices()],
        attachment_url=reverse("liaison:attachment", args=[note.pk]) if note.attachment else None,
        children=[_child_status(c) for c in reading.reader_children(user, note)],
    )


@router.post(
    "/{note_id}/children/{pupil_id}",
    response={200: RespondOut},
    summary="Sign and/or answer for one child",
)
def respond(request: HttpRequest, note_id: int, pupil_id: int, payload: RespondIn) -> RespondOut:
    """Sign (if the note asks) and answer (if it asks a question) for one of my children.

    Replaying is harmless: the first signature stands and the answer is ``unchanged``.
    Past the deadline, or with an answer that is not one of the choices: 409 with the
    reason in ``detail``.
    """
    user = _user(request)
    row = get_or_404(
        user,
        NoteGuardian.objects.select_related("guardian", "recipient__note", "recipient__pupil"),
        CHANGE,
        recipient__note_id=note_id,
        recipient__pupil_id=pupil_id,
    )
    try:
        outcome = services.respond(user, row, answer=payload.answer, request=request)
    except LiaisonError as exc:
        raise HttpError(409, str(exc)) from None
    status: Literal["signed", "answered", "unchanged"]
    if outcome.newly_signed:
        status, message = "signed", _("Signed.")
    elif outcome.answer_changed:
        status, message = "answered", _("Answer recorded.")
    else:
        status = "unchanged"
        message = (
            _("Already signed on %(when)s: nothing changed.")
            % {
                "when": formats.date_format(
                    timezone.localtime(outcome.signed_at), "DATETIME_FORMAT"
                )
            }
            if outcome.signed_at
            else _("Nothing changed.")
        )
    return RespondOut(
        status=status, signed_at=outcome.signed_at, answer=outcome.answer, message=message
    )
