"""The families' pages (and everyone's index): notes per child, one note, sign/answer.

Notes, rows and files come only through the access kernel: someone else's note, child or
row is a 404, the same as a missing one.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from preau.core.access import CHANGE, VIEW, get_or_404, restrict
from preau.directory.scope import scope_of
from preau.liaison import reading, services
from preau.liaison.access import TRACK, is_family, may_send
from preau.liaison.forms import RespondForm
from preau.liaison.models import Note, NoteGuardian, NoteRecipient
from preau.liaison.services import LiaisonError, Outcome

SENT_PAGE_SIZE = 25


def _sent_notes(request: HttpRequest) -> Any:
    """The notes the user may follow, a page of them, with each one's completion."""
    notes = restrict(request.user, Note, TRACK).select_related("school").order_by("-sent_at", "-pk")
    page = Paginator(notes, SENT_PAGE_SIZE).get_page(request.GET.get("page"))
    counts = {
        row["note_id"]: (row["done"], row["total"])
        for row in restrict(request.user, NoteRecipient, TRACK)
        .filter(note__in=[n.pk for n in page])
        .values("note_id")
        .annotate(total=Count("pk"), done=Count("pk", filter=Q(completed_at__isnull=False)))
        .order_by()
    }
    for note in page:
        note.done, note.total = counts.get(note.pk, (0, 0))  # type: ignore[attr-defined]
    return page


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    context: dict[str, Any] = {
        "children": reading.family_notes(user) if is_family(user) else [],
        "may_send": may_send(user),
        "sent_page": _sent_notes(request) if may_send(user) else None,
    }
    return render(request, "liaison/index.html", context)


@login_required
@require_GET
def note_detail(request: HttpRequest, pk: int) -> HttpResponse:
    note = get_or_404(request.user, Note.objects.select_related("school"), VIEW, pk=pk)
    services.mark_read(request.user, note)
    children = reading.reader_children(request.user, note)
    # Families (most readers, at the morning peak) never track: spare them the query.
    staff = note.sender_id == request.user.pk or scope_of(request.user).staff_schools
    can_track = bool(staff) and restrict(request.user, Note, TRACK).filter(pk=note.pk).exists()
    if not children:
        if can_track:
            return redirect("liaison:tracking", pk=note.pk)
        raise Http404
    context = {
        "note": note,
        "children": children,
        "can_track": can_track,
        "closed": note.is_closed(),
        "choices": note.answer_choices(),
    }
    return render(request, "liaison/note.html", context)


def _outcome_message(request: HttpRequest, row: NoteGuardian, outcome: Outcome) -> None:
    first_name = row.recipient.pupil.first_name
    if outcome.newly_signed:
        messages.success(request, _("Signed for %(child)s. Thank you.") % {"child": first_name})
    elif outcome.answer_changed:
        messages.success(
            request,
            _("Your answer for %(child)s is recorded: %(answer)s.")
            % {"child": first_name, "answer": row.recipient.note.answer_label(outcome.answer)},
        )
    elif outcome.signed_at is not None:
        when = formats.date_format(timezone.localtime(outcome.signed_at), "DATETIME_FORMAT")
        messages.info(
            request,
            _("Already signed for %(child)s on %(when)s: nothing changed.")
            % {"child": first_name, "when": when},
        )
    else:
        messages.info(request, _("This answer was already recorded: nothing changed."))


@login_required
@require_POST
def respond(request: HttpRequest, pk: int, pupil_id: int) -> HttpResponse:
    row = get_or_404(
        request.user,
        NoteGuardian.objects.select_related("guardian", "recipient__note", "recipient__pupil"),
        CHANGE,
        recipient__note_id=pk,
        recipient__pupil_id=pupil_id,
    )
    form = RespondForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The answer is too long."))
    else:
        try:
            outcome = services.respond(
                request.user, row, answer=form.cleaned_data["answer"] or None, request=request
            )
        except LiaisonError as exc:
            messages.error(request, str(exc))
        else:
            _outcome_message(request, row, outcome)
    return redirect(reverse("liaison:note", args=[pk]) + f"#child-{pupil_id}")


@login_required
@require_GET
def attachment(request: HttpRequest, pk: int) -> FileResponse:
    note = get_or_404(request.user, Note, VIEW, pk=pk)
    if not note.attachment:
        raise Http404
    try:
        handle = note.attachment.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=note.attachment_name, content_type="application/pdf"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
