"""Deployment pages: a package's checks and actions (add, change, remove, move)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from preau.core.access import CHANGE, get_or_404
from preau.fleet.deploy import services_steps
from preau.fleet.forms_deploy import ActionForm, CheckForm
from preau.fleet.models import PackageAction, PackageCheck
from preau.fleet.views_deploy import package_or_404, refusal

# The url's segment → the model, its form, the service that adds one.
_KINDS: dict[str, tuple[Any, Any, Any]] = {
    "checks": (PackageCheck, CheckForm, services_steps.add_check),
    "actions": (PackageAction, ActionForm, services_steps.add_action),
}


def _detail(pk: int) -> str:
    return reverse("fleet:package_detail", args=[pk])


def _step_or_404(request: HttpRequest, kind: str, pk: int) -> Any:
    model = _KINDS[kind][0]
    return get_or_404(request.user, model.objects.select_related("package"), CHANGE, pk=pk)


def _render_add(request: HttpRequest, package: Any, kind: str, form: Any) -> HttpResponse:
    context = {"package": package, "form": form, "kind": kind, "step": None}
    return render(request, "fleet/deploy/step_form.html", context, status=400)


@login_required
@require_POST
def step_add(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    package = package_or_404(request, pk)
    form_class, add = _KINDS[kind][1:]
    form = form_class(request.POST)
    if form.is_valid():
        try:
            add(package, form.cleaned_data, actor=request.user, request=request)
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):
                refusal(request, exc)
                return redirect("fleet:package_detail", pk)
            form.add_error(None, exc)
        else:
            added = _("Check added.") if kind == "checks" else _("Action added.")
            messages.success(request, added)
            return redirect(f"{_detail(pk)}#{kind}")
    return _render_add(request, package, kind, form)


@login_required
def step_edit(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    step = _step_or_404(request, kind, pk)
    form = _KINDS[kind][1](request.POST or None, instance=type(step).objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        try:
            services_steps.update_step(step, form.cleaned_data, actor=request.user,
                                       request=request)  # fmt: skip
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):
                refusal(request, exc)
                return redirect("fleet:package_detail", step.package_id)
            form.add_error(None, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(f"{_detail(step.package_id)}#{kind}")
    context = {"package": step.package, "form": form, "kind": kind, "step": step}
    return render(request, "fleet/deploy/step_form.html", context)


@login_required
@require_POST
def step_remove(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    step = _step_or_404(request, kind, pk)
    try:
        services_steps.remove_step(step, actor=request.user, request=request)
    except ValidationError as exc:
        refusal(request, exc)
    else:
        messages.success(request, _("Removed: %(step)s.") % {"step": step})
    return redirect(f"{_detail(step.package_id)}#{kind}")


@login_required
@require_POST
def step_move(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    step = _step_or_404(request, kind, pk)
    direction = request.POST.get("direction", "")
    if direction not in ("up", "down"):
        messages.error(request, _("Move a step up or down."))
        return redirect("fleet:package_detail", step.package_id)
    try:
        services_steps.move_step(step, up=direction == "up", actor=request.user, request=request)
    except ValidationError as exc:
        refusal(request, exc)
    return redirect(f"{_detail(step.package_id)}#{kind}")
