"""The messaging pages: inbox and archive, a conversation, writing, attachments.

Every object comes through the access kernel: someone else's conversation, message or
attachment is the same 404 as a missing one. Views parse, call one service, render.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from preau.core.access import get_or_404, restrict
from preau.core.search import fold
from preau.directory.scope import scope_of
from preau.messaging import files, queries, services
from preau.messaging.access import MODERATE, city_admin_municipalities
from preau.messaging.errors import MessagingError
from preau.messaging.forms import ComposeForm, ReplyForm
from preau.messaging.models import Attachment, Conversation
from preau.messaging.recipients import allowed_recipients, grouped
from preau.messaging.roles import PLURAL

PAGE_SIZE = 25
PICKER_MAX = 300
SEARCH_FROM = 8  # a guardian's three or four people need no search box
# Attachments are served as downloads, from a sandbox: no script in a file ever runs here.
FILE_CSP = "default-src 'none'; img-src 'self'; sandbox"


def _checked_files(uploads: list[Any]) -> list[files.CheckedFile]:
    return files.check_files(files.read_upload(u) for u in uploads)


def _listing(request: HttpRequest, *, archived: bool) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    rows = queries.inbox(request.user, archived=archived, query=query)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    for row in page.object_list:
        row.others = _others(row, request.user.pk)  # type: ignore[attr-defined]
    return render(
        request,
        "messaging/inbox.html",
        {
            "page_obj": page,
            "archived": archived,
            "query": query,
            "moderation": _moderation_counts(request.user),
        },
    )


def _others(row: Any, me: int | None, shown: int = 3) -> str:
    names = [p.user.display_name for p in row.conversation.participants.all() if p.user_id != me]
    more = len(names) - shown
    text = ", ".join(names[:shown])
    return text + (f" +{more}" if more > 0 else "")


def _moderation_counts(user: Any) -> dict[str, int]:
    scope = scope_of(user)
    counts = {"held": 0, "reports": 0, "rules": int(bool(city_admin_municipalities(user)))}
    if scope.teacher_classes or scope.director_schools:
        counts["held"] = queries.held_for_moderation(user).count()
    if scope.director_schools or scope.city_municipalities:
        counts["reports"] = queries.open_reports(user).count()
    return counts


@login_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    return _listing(request, archived=False)


@login_required
@require_GET
def archive(request: HttpRequest) -> HttpResponse:
    return _listing(request, archived=True)


def _conversation(request: HttpRequest, pk: int) -> Conversation:
    return get_or_404(
        request.user, Conversation.objects.select_related("school", "closed_by"), pk=pk
    )


def _render_conversation(
    request: HttpRequest, conversation: Conversation, form: ReplyForm | None = None
) -> HttpResponse:
    page = queries.conversation_page(request.user, conversation)
    refusals: list[str] = []
    private: list[Any] = []
    if page.me is not None and not conversation.is_closed:
        decisions = services.reply_decisions(request.user, conversation, page.participants)
        refusals = list(dict.fromkeys(d.reason for d in decisions.values() if not d.allowed))
        if refusals:
            allowed = {uid for uid, d in decisions.items() if d.allowed}
            private = [p for p in page.participants if p.user_id in allowed]
    if page.unread:
        services.mark_read(request.user, conversation)
    status = 400 if form is not None and form.errors else 200
    return render(
        request,
        "messaging/conversation.html",
        {
            "page": page,
            "conversation": conversation,
            "form": form or ReplyForm(),
            "refusals": refusals,
            "private": private,
            "can_moderate": _can_moderate(request.user, conversation),
        },
        status=status,
    )


def _can_moderate(user: Any, conversation: Conversation) -> bool:
    return restrict(user, Conversation, MODERATE).filter(pk=conversation.pk).exists()


@login_required
@require_GET
def conversation(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_conversation(request, _conversation(request, pk))


@login_required
@require_POST
def reply(request: HttpRequest, pk: int) -> HttpResponse:
    found = _conversation(request, pk)
    form = ReplyForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            message = services.reply(
                request.user,
                found,
                body=form.cleaned_data["body"],
                files=_checked_files(form.cleaned_data["attachments"]),
                request=request,
            )
        except MessagingError as error:
            form.add_error(None, str(error))
        else:
            if message.status == message.Status.HELD:
                messages.info(
                    request, _("Your message will be delivered once a teacher approves it.")
                )
            return redirect(f"{services.conversation_url(found)}#message-{message.pk}")
    return _render_conversation(request, found, form)


@login_required
@require_POST
def set_archived(request: HttpRequest, pk: int) -> HttpResponse:
    found = _conversation(request, pk)
    archived = request.POST.get("archived") == "1"
    try:
        services.set_archived(request.user, found, archived)
    except MessagingError as error:
        raise Http404 from error
    if archived:
        messages.success(request, _("Conversation archived. A new message brings it back."))
        return redirect("messaging:inbox")
    return redirect("messaging:conversation", pk=found.pk)


def _initial(request: HttpRequest) -> dict[str, Any]:
    return {
        "to": request.GET.getlist("to"),
        "subject": request.GET.get("subject", "")[:150],
    }


@login_required
def compose(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    if request.method == "POST":
        form = ComposeForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                sent = services.start_conversation(
                    request.user,
                    recipient_ids=form.cleaned_data["to"],
                    subject=form.cleaned_data["subject"],
                    body=form.cleaned_data["body"],
                    files=_checked_files(form.cleaned_data["attachments"]),
                    separately=False if form.cleaned_data["together"] else None,
                    request=request,
                )
            except MessagingError as error:
                form.add_error(None, str(error))
            else:
                return _after_sending(request, sent)
        selected = _ids(request.POST.getlist("to"))
    else:
        form = ComposeForm(initial=_initial(request))
        selected = _ids(request.GET.getlist("to"))
    candidates = allowed_recipients(request.user)
    shown = [c for c in candidates if c.user_id in selected or c.matches(_words(query))]
    return render(
        request,
        "messaging/compose.html",
        {
            "form": form,
            "query": query,
            "groups": [
                (PLURAL.get(party, party), people)
                for party, people in grouped(shown[:PICKER_MAX]).items()
            ],
            "too_many": len(shown) > PICKER_MAX,
            "show_search": len(candidates) > SEARCH_FROM or bool(query),
            "show_together": len(candidates) > 1 and bool(scope_of(request.user).is_staff_member),
            "selected": selected,
            "has_candidates": bool(candidates),
        },
        status=400 if form.errors else 200,
    )


def _words(query: str) -> list[str]:
    return fold(query).split()


def _ids(values: list[str]) -> set[int]:
    return {int(v) for v in values if v.isdigit()}


def _after_sending(request: HttpRequest, sent: list[Conversation]) -> HttpResponse:
    first = sent[0]
    held = not first.last_message_at
    if held:
        messages.info(request, _("Your message will be delivered once a teacher approves it."))
    if len(sent) > 1:
        messages.success(
            request, _("%(count)d separate conversations started.") % {"count": len(sent)}
        )
        return redirect("messaging:inbox")
    return redirect("messaging:conversation", pk=first.pk)


@login_required
@require_GET
def attachment(request: HttpRequest, pk: int, small: bool = False) -> HttpResponseBase:
    found = get_or_404(request.user, Attachment, pk=pk)
    thumb = small and bool(found.thumbnail)
    stored = found.thumbnail if thumb else found.file
    try:
        handle = stored.open("rb")
    except OSError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=not found.is_image,
        filename=found.original_name,
        content_type="image/jpeg" if thumb else found.content_type,
    )
    response["Content-Security-Policy"] = FILE_CSP
    response["Cache-Control"] = "private, max-age=3600"
    return response
