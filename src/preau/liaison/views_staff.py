"""The senders' pages: write a note, follow it (table, CSV, PDF), remind, move the deadline.

Teachers write to their classes, directors to their school's; the table shows a teacher
who did not send the note only their own classes' rows. Anything else is a 404.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from preau.core.access import CHANGE, get_or_404, restrict
from preau.directory.models import Enrolment, SchoolClass
from preau.liaison import exports, follow_up, services, tracking
from preau.liaison.access import TRACK, may_send, sendable_classes
from preau.liaison.follow_up import REMINDER_INTERVAL
from preau.liaison.forms import DeadlineForm, NoteForm
from preau.liaison.models import Note
from preau.liaison.services import LiaisonError


def _groups(
    classes: Sequence[SchoolClass], enrolments: Sequence[Enrolment]
) -> list[tuple[SchoolClass, list[Enrolment]]]:
    by_class: dict[int, list[Enrolment]] = {c.pk: [] for c in classes}
    for enrolment in enrolments:
        by_class[enrolment.school_class_id].append(enrolment)
    return [(c, by_class[c.pk]) for c in classes]


def _selected(form: NoteForm, name: str) -> set[int]:
    values = (
        form.data.getlist(name) if isinstance(form.data, QueryDict) else form.initial.get(name, [])
    )
    return {int(v) for v in values if str(v).isdigit()}


@login_required
def compose(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not may_send(user):
        raise Http404
    classes = list(
        sendable_classes(user).select_related("school").order_by("school__name", "label")
    )
    if not classes:
        raise Http404
    enrolments = list(
        restrict(user, Enrolment)
        .filter(school_class__in=classes, ended_on__isnull=True, pupil__left_on__isnull=True)
        .select_related("pupil")
        .order_by("pupil__last_name", "pupil__first_name", "pk")
    )
    initial = {"classes": [classes[0].pk]} if len(classes) == 1 else {}
    form = NoteForm(
        request.POST or None,
        request.FILES or None,
        classes=classes,
        enrolments=enrolments,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            note = services.send_note(
                user, form.to_input(), attachment=form.cleaned_data["attachment"], request=request
            )
        except LiaisonError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The note is sent: %(to)s.") % {"to": note.audience_label})
            return redirect("liaison:tracking", pk=note.pk)
    context = {
        "form": form,
        "groups": _groups(classes, enrolments),
        "selected_classes": _selected(form, "classes"),
        "selected_pupils": _selected(form, "pupils"),
    }
    return render(request, "liaison/compose.html", context, status=400 if form.errors else 200)


def _reminder_state(note: Note) -> dict[str, Any]:
    if note.last_reminded_at is None:
        return {"reminder_ready": True, "next_reminder_at": None}
    next_at = note.last_reminded_at + REMINDER_INTERVAL
    return {"reminder_ready": next_at <= timezone.now(), "next_reminder_at": next_at}


@login_required
@require_GET
def tracking_view(request: HttpRequest, pk: int) -> HttpResponse:
    note = get_or_404(request.user, Note.objects.select_related("school"), TRACK, pk=pk)
    table = tracking.build(request.user, note)
    only_incomplete = request.GET.get("show") == "incomplete"
    can_change = restrict(request.user, Note, CHANGE).filter(pk=note.pk).exists()
    context = {
        "note": note,
        "summary": table,
        "table": table.incomplete_only() if only_incomplete else table,
        "only_incomplete": only_incomplete,
        "can_change": can_change,
        "closed": note.is_closed(),
        "deadline_form": DeadlineForm(initial={"due_on": note.due_on}),
        "columns": 4 + note.requires_signature + note.has_question,
        **_reminder_state(note),
    }
    return render(request, "liaison/tracking.html", context)


def _filename(note: Note, ext: str) -> str:
    return f"note-{note.pk}-{timezone.localdate().isoformat()}.{ext}"


@login_required
@require_GET
def export_csv(request: HttpRequest, pk: int) -> HttpResponse:
    note = get_or_404(request.user, Note.objects.select_related("school"), TRACK, pk=pk)
    table = tracking.build(request.user, note)
    follow_up.record_export(request.user, note, "csv", table.guardian_rows, request)
    # The byte-order mark makes spreadsheet software read the accents right.
    response = HttpResponse(
        "\ufeff" + exports.tracking_csv(table), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(note, "csv")}"'
    return response


@login_required
@require_GET
def export_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    note = get_or_404(request.user, Note.objects.select_related("school"), TRACK, pk=pk)
    table = tracking.build(request.user, note)
    follow_up.record_export(request.user, note, "pdf", table.guardian_rows, request)
    response = HttpResponse(exports.tracking_pdf(table), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_filename(note, "pdf")}"'
    return response


@login_required
@require_POST
def remind(request: HttpRequest, pk: int) -> HttpResponse:
    note = get_or_404(request.user, Note.objects.select_related("school"), CHANGE, pk=pk)
    try:
        done = follow_up.send_reminders(request.user, note, request=request)
    except LiaisonError as exc:
        messages.error(request, str(exc))
    else:
        text = _("Reminder sent to %(n)d guardian(s).") % {"n": done.notified}
        if done.without_account:
            text += " " + _(
                "%(n)d guardian(s) without an account could not be reminded: give them their "
                "activation letter."
            ) % {"n": done.without_account}
        messages.success(request, text)
    return redirect("liaison:tracking", pk=note.pk)


@login_required
@require_POST
def deadline(request: HttpRequest, pk: int) -> HttpResponse:
    note = get_or_404(request.user, Note, CHANGE, pk=pk)
    form = DeadlineForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The deadline is not a valid date."))
        return redirect("liaison:tracking", pk=note.pk)
    try:
        follow_up.set_deadline(request.user, note, form.cleaned_data["due_on"], request=request)
    except LiaisonError as exc:
        messages.error(request, str(exc))
    else:
        due = note.due_on
        messages.success(
            request,
            _("The deadline is now %(date)s.") % {"date": formats.date_format(due, "DATE_FORMAT")}
            if due
            else _("The note has no deadline any more."),
        )
    return redirect("liaison:tracking", pk=note.pk)
