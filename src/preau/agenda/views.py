"""The agenda pages: a person's week and month, an event, and writing events.

Events come only through the access kernel: someone else's class or school event is a
404, like a missing one.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from preau.agenda import dates, queries, services
from preau.agenda.access import has_agenda
from preau.agenda.forms import EventForm
from preau.agenda.models import Event
from preau.core import access


def _writable(user: Any) -> list[tuple[services.Audience, str]]:
    return services.writable_audiences(user)


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The week as a list (phones first): long events once, then day by day."""
    if not has_agenda(request.user):
        raise Http404
    day = dates.parse_day(request.GET.get("week")) or dates.default_day()
    monday = dates.monday_of(day)
    long, days = queries.week(request.user, monday)
    path = reverse("agenda:index")
    context = {
        "monday": monday,
        "sunday": monday + dt.timedelta(days=6),
        "long_events": long,
        "days": days,
        "previous_url": f"{path}?{urlencode({'week': (monday - dt.timedelta(7)).isoformat()})}",
        "next_url": f"{path}?{urlencode({'week': (monday + dt.timedelta(7)).isoformat()})}",
        "month_url": f"{reverse('agenda:month')}?{urlencode({'month': monday.strftime('%Y-%m')})}",
        "can_write": bool(_writable(request.user)),
    }
    return render(request, "agenda/week.html", context)


@login_required
def month(request: HttpRequest) -> HttpResponse:
    if not has_agenda(request.user):
        raise Http404
    first = dates.parse_month(request.GET.get("month")) or dates.default_day().replace(day=1)
    path = reverse("agenda:month")
    context = {
        "first": first,
        "weeks": queries.month(request.user, first),
        "previous_url": f"{path}?month={dates.add_months(first, -1):%Y-%m}",
        "next_url": f"{path}?month={dates.add_months(first, 1):%Y-%m}",
        "week_url": f"{reverse('agenda:index')}?week={first.isoformat()}",
        "can_write": bool(_writable(request.user)),
    }
    return render(request, "agenda/month.html", context)


def _event(request: HttpRequest, pk: int, action: str = access.VIEW) -> Event:
    events = Event.objects.select_related("municipality", "school", "school_class")
    return access.get_or_404(request.user, events, action, pk=pk)


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(request, pk)
    context = {"event": event, "can_change": access.can(request.user, event, access.CHANGE)}
    return render(request, "agenda/event_detail.html", context)


def _initial(event: Event) -> dict[str, Any]:
    zone = dates.local_zone()
    start = timezone.localtime(event.starts_at, zone) if event.starts_at else None
    end = timezone.localtime(event.ends_at, zone) if event.ends_at else None
    return {
        "title": event.title,
        "category": event.category,
        "all_day": event.all_day,
        "starts_on": event.starts_on,
        "ends_on": event.ends_on,
        "start_time": start.time() if start else None,
        "end_time": end.time() if end else None,
        "place": event.place,
        "description": event.description,
    }


@login_required
def create(request: HttpRequest) -> HttpResponse:
    audiences = _writable(request.user)
    if not audiences:
        raise Http404
    day = dates.parse_day(request.GET.get("date")) or dates.default_day()
    initial = {"starts_on": day, "all_day": True, "audience": request.GET.get("for", "")}
    form = EventForm(request.POST or None, initial=initial, audiences=audiences)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.create_event(
                request.user, form.chosen_audience(), form.event_input(), request=request
            )
        except services.AgendaError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Event saved."))
            return redirect("agenda:detail", event.pk)
    return render(request, "agenda/event_form.html", {"form": form})


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(request, pk, access.CHANGE)
    form = EventForm(request.POST or None, initial=_initial(event), audiences=[])
    del form.fields["audience"]  # an event stays where it was written
    if request.method == "POST" and form.is_valid():
        try:
            services.update_event(request.user, event, form.event_input(), request=request)
        except services.AgendaError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Event saved."))
            return redirect("agenda:detail", event.pk)
    return render(request, "agenda/event_form.html", {"form": form, "event": event})


@login_required
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(request, pk, access.CHANGE)
    if request.method == "POST":
        services.delete_event(request.user, event, request=request)
        messages.success(request, _("Event deleted."))
        return redirect(f"{reverse('agenda:index')}?week={event.starts_on.isoformat()}")
    return render(request, "agenda/event_delete.html", {"event": event})
