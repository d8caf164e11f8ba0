"""The helpdesk's dashboard (open tickets per site and per age) and service targets."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from preau.core import access
from preau.directory.models import Municipality
from preau.helpdesk import queries, services, sla
from preau.helpdesk.access import handles_tickets, sla_municipalities
from preau.helpdesk.forms import TargetsForm
from preau.helpdesk.models import Category


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    if not handles_tickets(request.user):
        raise Http404
    per_site, per_age = queries.dashboard(request.user)
    return render(request, "helpdesk/dashboard.html", {"charts": [per_site, per_age]})


@login_required
def targets(request: HttpRequest) -> HttpResponse:
    handled = handles_tickets(request.user)
    if not handled:
        raise Http404
    municipalities = access.restrict(request.user, Municipality).filter(pk__in=handled)
    municipality = access.get_or_404(
        request.user, municipalities, pk=request.GET.get("municipality") or min(handled)
    )
    current = sla.targets(municipality.pk)
    can_change = municipality.pk in sla_municipalities(request.user, access.CHANGE)
    form = TargetsForm(
        request.POST if can_change and request.method == "POST" else None,
        current={c: (t.first_response_hours, t.resolution_hours) for c, t in current.items()},
    )
    if request.method == "POST" and not can_change:
        raise Http404
    if form.is_bound and form.is_valid():
        try:
            services.set_targets(request.user, municipality, form.rows(), request=request)
        except services.HelpdeskError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The service targets are saved."))
            return redirect(request.get_full_path())
    rows = [
        (Category(c).label, current[c], form[f"{c}_response"], form[f"{c}_resolution"])
        for c in current
    ]
    context = {
        "municipality": municipality,
        "rows": rows,
        "form": form,
        "can_change": can_change,
    }
    return render(request, "helpdesk/targets.html", context)
