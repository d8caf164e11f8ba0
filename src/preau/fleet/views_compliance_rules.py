"""Compliance rules, for fleet managers only (technicians, city admins): list, create,
edit, enable or disable, delete after confirmation, and "re-evaluate now"."""

from __future__ import annotations

from collections import Counter

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from preau.core.access import CHANGE, get_or_404, restrict
from preau.directory.models import Municipality
from preau.fleet.access import fleet_municipalities
from preau.fleet.compliance import services
from preau.fleet.compliance.dashboard import kind_label
from preau.fleet.forms_compliance import RuleForm
from preau.fleet.models import ComplianceRule, DeviceCompliance

_STATUSES = ("ok", "warning", "critical")


def _managed(request: HttpRequest) -> list[Municipality]:
    managed = fleet_municipalities(request.user)
    if not managed:
        raise Http404
    return list(restrict(request.user, Municipality).filter(pk__in=managed).order_by("name"))


def _failing_per_rule(request: HttpRequest) -> Counter[int]:
    counts: Counter[int] = Counter()
    verdicts = restrict(request.user, DeviceCompliance).exclude(status="ok")
    for failures in verdicts.values_list("failures", flat=True):
        counts.update({f["rule"] for f in failures or [] if isinstance(f.get("rule"), int)})
    return counts


@login_required
def rule_list(request: HttpRequest) -> HttpResponse:
    municipalities = _managed(request)
    rules = list(restrict(request.user, ComplianceRule).select_related("municipality"))
    failing = _failing_per_rule(request)
    for rule in rules:
        rule.failing = failing.get(rule.pk, 0)  # type: ignore[attr-defined]
        rule.kind_labels = [kind_label(k) for k in rule.asset_kinds]  # type: ignore[attr-defined]
    context = {"rules": rules, "several": len(municipalities) > 1, "municipalities": municipalities}
    return render(request, "fleet/compliance/rule_list.html", context)


def _save(request: HttpRequest, form: RuleForm, rule: ComplianceRule | None) -> HttpResponse | None:
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        if rule is None:
            municipality = _target_municipality(request)
            services.create_rule(
                municipality, form.cleaned_data, actor=request.user, request=request
            )
            messages.success(request, _("Rule added; the devices are being re-evaluated."))
        else:
            services.update_rule(rule, form.cleaned_data, actor=request.user, request=request)
            messages.success(request, _("Rule saved; the devices are being re-evaluated."))
    except services.ComplianceError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        return None
    return redirect("fleet:compliance_rules")


def _target_municipality(request: HttpRequest) -> Municipality:
    """Where a new rule goes: the one municipality managed, or the one chosen (``?m=``)."""
    managed = _managed(request)
    wanted = request.GET.get("m", "")
    chosen = [m for m in managed if str(m.pk) == wanted]
    return chosen[0] if chosen else managed[0]


@login_required
def rule_create(request: HttpRequest) -> HttpResponse:
    municipality = _target_municipality(request)
    form = RuleForm(request.POST or None)
    done = _save(request, form, None)
    context = {"form": form, "rule": None, "municipality": municipality}
    return done or render(request, "fleet/compliance/rule_form.html", context)


@login_required
def rule_edit(request: HttpRequest, pk: int) -> HttpResponse:
    rule = get_or_404(request.user, ComplianceRule, CHANGE, pk=pk)
    form = RuleForm(request.POST) if request.method == "POST" else RuleForm.for_rule(rule)
    done = _save(request, form, rule)
    context = {"form": form, "rule": rule, "municipality": None}
    return done or render(request, "fleet/compliance/rule_form.html", context)


@login_required
@require_POST
def rule_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    rule = get_or_404(request.user, ComplianceRule, CHANGE, pk=pk)
    enabled = request.POST.get("enabled") == "1"
    services.set_rule_enabled(rule, enabled, actor=request.user, request=request)
    if enabled:
        messages.success(request, _("Rule “%(name)s” enabled.") % {"name": rule.name})
    else:
        messages.success(request, _("Rule “%(name)s” disabled.") % {"name": rule.name})
    return redirect("fleet:compliance_rules")


@login_required
def rule_delete(request: HttpRequest, pk: int) -> HttpResponse:
    rule = get_or_404(request.user, ComplianceRule, CHANGE, pk=pk)
    if request.method == "POST":
        services.delete_rule(rule, actor=request.user, request=request)
        messages.success(request, _("Rule “%(name)s” deleted.") % {"name": rule.name})
        return redirect("fleet:compliance_rules")
    return render(request, "fleet/compliance/rule_delete.html", {"rule": rule})


@login_required
@require_POST
def evaluate_now(request: HttpRequest) -> HttpResponse:
    counts = services.reevaluate_now(_managed(request), actor=request.user, request=request)
    total = sum(counts.values())
    summary = ngettext(
        "%(total)s device evaluated: %(ok)s compliant, %(warning)s needing attention, "
        "%(critical)s critical.",
        "%(total)s devices evaluated: %(ok)s compliant, %(warning)s needing attention, "
        "%(critical)s critical.",
        total,
    )
    messages.success(request, summary % {"total": total, **{k: counts[k] for k in _STATUSES}})
    back = request.POST.get("next") == "dashboard"
    return redirect("fleet:compliance_dashboard" if back else "fleet:compliance_rules")
