"""The audit log, for city admins: their municipality's sensitive actions."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from preau.accounts.forms import AuditFilterForm
from preau.core import access, audit
from preau.core.csvsafe import safe_cell
from preau.core.models import AuditEvent
from preau.directory.models import Role
from preau.directory.scope import scope_of

PAGE_SIZE = 50
CSV_COLUMNS = ["at", "actor", "action", "object_type", "object_id", "object", "ip", "details"]


@login_required
@require_GET
def audit_log(request: HttpRequest) -> HttpResponseBase:
    if not scope_of(request.user).municipalities_with(Role.CITY_ADMIN):
        raise Http404
    visible = access.restrict(request.user, AuditEvent)
    actions = sorted(set(visible.order_by().values_list("action", flat=True).distinct()))
    form = AuditFilterForm(request.GET or None, actions=actions)
    events = _filtered(visible, form)
    if request.GET.get("format") == "csv":
        return _csv_response(request, events, form)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "accounts/audit_log.html", {"form": form, "page_obj": page})


def _filtered(events: QuerySet[AuditEvent], form: AuditFilterForm) -> QuerySet[AuditEvent]:
    events = events.order_by("-at", "-id")
    if not form.is_bound or not form.is_valid():
        return events
    data = form.cleaned_data
    if data["person"]:
        events = events.filter(actor_label__icontains=data["person"])
    if data["action"]:
        events = events.filter(action=data["action"])
    if data["date_from"]:
        events = events.filter(at__date__gte=data["date_from"])
    if data["date_to"]:
        events = events.filter(at__date__lte=data["date_to"])
    return events


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_rows(events: QuerySet[AuditEvent]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(CSV_COLUMNS)
    for event in events.iterator(chunk_size=2000):
        details = " ".join(f"{key}={value}" for key, value in sorted(event.data.items()))
        yield writer.writerow([
            timezone.localtime(event.at).isoformat(timespec="seconds"),
            safe_cell(event.actor_label),
            event.action,
            event.target_type,
            event.target_id,
            safe_cell(event.target_label),
            event.ip_address or "",
            safe_cell(details),
        ])  # fmt: skip


def _csv_response(
    request: HttpRequest, events: QuerySet[AuditEvent], form: AuditFilterForm
) -> StreamingHttpResponse:
    filters: dict[str, Any] = (
        {k: str(v) for k, v in form.cleaned_data.items() if v} if form.is_bound else {}
    )
    audit.record(
        "audit.exported",
        request=request,
        municipality_id=min(scope_of(request.user).municipalities_with(Role.CITY_ADMIN)),
        rows=events.count(),
        filters=filters,
    )
    response = StreamingHttpResponse(_csv_rows(events), content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.csv"'
    return response
