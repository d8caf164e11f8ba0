"""The helpdesk pages: report a problem, the queue, a ticket and its steps, photos.

Tickets, comments and photos come only through the access kernel: someone else's ticket
is a 404, like a missing one, and internal comments never reach the school's side.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from preau.core import access
from preau.directory.models import School
from preau.fleet.models import Asset, AssetKind
from preau.helpdesk import queries, services, sla
from preau.helpdesk.access import handles_tickets, reporting_schools
from preau.helpdesk.forms import (
    CommentForm,
    HandleForm,
    QueueFilter,
    ReopenForm,
    TicketForm,
    uploads,
)
from preau.helpdesk.models import OPEN_STATUSES, Category, Comment, Photo, Status, Ticket

# The category a problem with an asset of this kind most likely belongs to.
KIND_CATEGORY: dict[str, str] = {
    AssetKind.LAPTOP: Category.LAPTOP,
    AssetKind.DESKTOP: Category.LAPTOP,
    AssetKind.THIN_CLIENT: Category.LAPTOP,
    AssetKind.TABLET: Category.TABLET,
    AssetKind.TABLET_CASE: Category.TABLET,
    AssetKind.DISPLAY: Category.DISPLAY,
    AssetKind.SWITCH: Category.NETWORK,
    AssetKind.WIFI_AP: Category.NETWORK,
    AssetKind.PRINTER: Category.PRINTER,
}


def _tickets(request: HttpRequest) -> Any:
    return access.restrict(request.user, Ticket).select_related("school", "site", "assignee")


def _filtered(request: HttpRequest, form: QueueFilter, qs: Any) -> Any:
    if not form.is_valid():
        return qs.filter(status__in=OPEN_STATUSES)
    data = form.cleaned_data
    status = data["status"]
    if not status:
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif status != "all":
        qs = qs.filter(status=status)
    if data["site"] is not None:
        qs = qs.filter(site=data["site"])
    if data["category"]:
        qs = qs.filter(category=data["category"])
    assignee = data["assignee"]
    if assignee == "me":
        qs = qs.filter(assignee=request.user)
    elif assignee == "none":
        qs = qs.filter(assignee__isnull=True)
    elif assignee:
        qs = qs.filter(assignee_id=assignee)
    if data["age"]:
        qs = queries.age_filter(qs, data["age"])
    return qs


@login_required
def index(request: HttpRequest) -> HttpResponse:
    handler = bool(handles_tickets(request.user))
    if not handler and not reporting_schools(request.user):
        raise Http404
    form = QueueFilter(
        request.GET or None,
        sites=queries.handler_sites(request.user),
        handlers=queries.handlers(request.user),
    )
    tickets = list(_filtered(request, form, _tickets(request))[:200])
    now = timezone.now()
    rows: list[tuple[Ticket, sla.Timing | None]] = []
    if handler:
        targets_by_muni: dict[int, dict[str, sla.Target]] = {}
        for ticket in tickets:
            targets = targets_by_muni.setdefault(
                ticket.municipality_id, sla.targets(ticket.municipality_id)
            )
            rows.append((ticket, sla.timing(ticket, targets[ticket.category], now)))
    else:
        rows = [(ticket, None) for ticket in tickets]
    context = {"rows": rows, "form": form, "handler": handler, "now": now}
    return render(request, "helpdesk/index.html", context)


@login_required
def new(request: HttpRequest) -> HttpResponse:
    schools = School.objects.filter(pk__in=reporting_schools(request.user)).order_by("name")
    if not schools:
        raise Http404
    asset = None
    if request.GET.get("asset"):
        asset = access.get_or_404(request.user, Asset, pk=request.GET["asset"])
    initial: dict[str, Any] = {}
    if asset is not None:
        initial["category"] = KIND_CATEGORY.get(asset.kind, Category.OTHER)
        on_site = schools.filter(site=asset.site).first() if asset.site_id else None
        initial["school"] = on_site or schools.first()
    form = TicketForm(request.POST or None, request.FILES or None, schools=schools, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ticket = services.report(
                request.user,
                data["school"],
                services.TicketInput(
                    category=data["category"],
                    title=data["title"],
                    description=data["description"],
                    urgency=data["urgency"],
                ),
                asset=asset,
                uploads=uploads(data["photos"]),
                request=request,
            )
        except services.HelpdeskError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("Your report is recorded: ticket #%(n)d.") % {"n": ticket.pk}
            )
            return redirect("helpdesk:detail", pk=ticket.pk)
    return render(request, "helpdesk/new.html", {"form": form, "asset": asset})


def _ticket(request: HttpRequest, pk: int) -> Ticket:
    qs = _tickets(request).select_related("reporter", "asset", "municipality")
    return access.get_or_404(request.user, qs, pk=pk)


def _detail_context(request: HttpRequest, ticket: Ticket, **forms: Any) -> dict[str, Any]:
    user = request.user
    handler = ticket.municipality_id in handles_tickets(user)
    comments = access.restrict(user, Comment).filter(ticket=ticket).select_related("author")
    photos = access.restrict(user, Photo).filter(ticket=ticket).defer("data")
    context: dict[str, Any] = {
        "ticket": ticket,
        "comments": comments,
        "photos": photos,
        "handler": handler,
        "asset_visible": ticket.asset_id is not None
        and access.restrict(user, Asset).filter(pk=ticket.asset_id).exists(),
        "may_reopen": services.may_reopen(user, ticket),
        "reopen_days": services.reopen_days(),
    }
    if handler:
        target = sla.targets(ticket.municipality_id)[ticket.category]
        context["target"] = target
        context["timing"] = sla.timing(ticket, target)
        context["handle_form"] = forms.get("handle_form") or HandleForm(
            allowed=services.TRANSITIONS.get(ticket.status, ()),
            handlers=queries.handlers(user),
            initial={"assignee": ticket.assignee_id},
        )
    if ticket.status != Status.CLOSED:
        context["comment_form"] = forms.get("comment_form") or CommentForm()
    if context["may_reopen"]:
        context["reopen_form"] = forms.get("reopen_form") or ReopenForm()
    return context


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    ticket = _ticket(request, pk)
    return render(request, "helpdesk/detail.html", _detail_context(request, ticket))


@login_required
@require_POST
def handle(request: HttpRequest, pk: int) -> HttpResponse:
    ticket = access.get_or_404(request.user, _tickets(request), access.CHANGE, pk=pk)
    form = HandleForm(
        request.POST,
        request.FILES,
        allowed=services.TRANSITIONS.get(ticket.status, ()),
        handlers=queries.handlers(request.user),
    )
    if form.is_valid():
        data = form.cleaned_data
        change = services.Handling(
            status=data["status"],
            assignee=data["assignee"],
            unassign=data["assignee"] is None and ticket.assignee_id is not None,
            body=data["body"],
            internal=data["internal"],
            minutes=data["minutes"] or 0,
            uploads=uploads(data["photos"]),
        )
        try:
            services.handle(request.user, ticket, change, request=request)
        except services.HelpdeskError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Recorded."))
            return redirect("helpdesk:detail", pk=ticket.pk)
    ticket = _ticket(request, pk)
    context = _detail_context(request, ticket, handle_form=form)
    return render(request, "helpdesk/detail.html", context, status=400)


@login_required
@require_POST
def comment(request: HttpRequest, pk: int) -> HttpResponse:
    ticket = _ticket(request, pk)
    form = CommentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.comment(
                request.user,
                ticket,
                form.cleaned_data["body"],
                uploads=uploads(form.cleaned_data["photos"]),
                request=request,
            )
        except services.HelpdeskError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your comment is added."))
            return redirect("helpdesk:detail", pk=ticket.pk)
    context = _detail_context(request, ticket, comment_form=form)
    return render(request, "helpdesk/detail.html", context, status=400)


@login_required
@require_POST
def reopen(request: HttpRequest, pk: int) -> HttpResponse:
    ticket = _ticket(request, pk)
    form = ReopenForm(request.POST)
    if form.is_valid():
        try:
            services.reopen(request.user, ticket, form.cleaned_data["reason"], request=request)
        except services.HelpdeskError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The ticket is reopened."))
            return redirect("helpdesk:detail", pk=ticket.pk)
    context = _detail_context(request, ticket, reopen_form=form)
    return render(request, "helpdesk/detail.html", context, status=400)


@login_required
def photo(request: HttpRequest, pk: int) -> HttpResponse:
    found = access.get_or_404(request.user, Photo, pk=pk)
    response = HttpResponse(bytes(found.data), content_type="image/jpeg")
    response["Content-Disposition"] = f'inline; filename="{found.pk}.jpg"'
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response
