"""Moderation pages: pupils' messages to approve (teachers), reports to handle (director,
city admins), reporting a message (participants), closing a conversation (director)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from preau.core.access import CHANGE, get_or_404
from preau.directory.scope import scope_of
from preau.messaging import moderation, queries
from preau.messaging.access import MODERATE, city_admin_municipalities
from preau.messaging.errors import MessagingError
from preau.messaging.forms import NoteForm, ReportForm
from preau.messaging.models import AbuseReport, Conversation, Message


def _moderator(request: HttpRequest) -> None:
    scope = scope_of(request.user)
    if not (scope.teacher_classes or scope.director_schools or scope.city_municipalities):
        raise Http404


@login_required
@require_GET
def moderation_page(request: HttpRequest) -> HttpResponse:
    _moderator(request)
    held = list(queries.held_for_moderation(request.user)[:100])
    reports = list(queries.open_reports(request.user)[:100])
    counts = {
        "held": len(held),
        "reports": len(reports),
        "rules": int(bool(city_admin_municipalities(request.user))),
    }
    return render(
        request,
        "messaging/moderation.html",
        {"held": held, "reports": reports, "form": NoteForm(), "moderation": counts},
    )


def _note(request: HttpRequest) -> str:
    form = NoteForm(request.POST)
    if not form.is_valid():
        raise MessagingError(_("The note is too long (300 characters at most)."))
    return str(form.cleaned_data["note"])


def _act(
    request: HttpRequest, act: Callable[[], object], done: str, then: str, **kwargs: Any
) -> HttpResponse:
    """Run one moderation service: its message on success, the service's refusal on
    failure; either way back to ``then``."""
    try:
        act()
        messages.success(request, done)
    except MessagingError as error:
        messages.error(request, str(error))
    return redirect(then, **kwargs)


@login_required
@require_POST
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    message = get_or_404(request.user, Message, MODERATE, pk=pk)
    return _act(
        request,
        lambda: moderation.approve(request.user, message, request=request),
        _("The message was delivered."),
        "messaging:moderation",
    )


@login_required
@require_POST
def reject(request: HttpRequest, pk: int) -> HttpResponse:
    message = get_or_404(request.user, Message, MODERATE, pk=pk)
    return _act(
        request,
        lambda: moderation.reject(request.user, message, _note(request), request=request),
        _("The message will not be delivered; its author is told."),
        "messaging:moderation",
    )


@login_required
def report(request: HttpRequest, pk: int) -> HttpResponse:
    message = get_or_404(request.user, Message.objects.select_related("conversation"), pk=pk)
    form = ReportForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            moderation.report(request.user, message, form.cleaned_data["reason"], request=request)
        except MessagingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("Thank you. The school's director will look at this message.")
            )
            return redirect("messaging:conversation", pk=message.conversation_id)
    return render(
        request,
        "messaging/report.html",
        {"message": message, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def resolve(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_or_404(request.user, AbuseReport, CHANGE, pk=pk)
    return _act(
        request,
        lambda: moderation.resolve(request.user, found, _note(request), request=request),
        _("The report is marked as handled."),
        "messaging:moderation",
    )


@login_required
@require_POST
def close(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_or_404(request.user, Conversation, MODERATE, pk=pk)
    return _act(
        request,
        lambda: moderation.close(request.user, found, _note(request), request=request),
        _("The conversation is closed: nobody can add a message."),
        "messaging:conversation",
        pk=found.pk,
    )


@login_required
@require_POST
def reopen(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_or_404(request.user, Conversation, MODERATE, pk=pk)
    return _act(
        request,
        lambda: moderation.reopen(request.user, found, request=request),
        _("The conversation is open again."),
        "messaging:conversation",
        pk=found.pk,
    )
