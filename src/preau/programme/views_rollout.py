"""The rollout pages: the timeline across sites, one site's checklist with its evidence
files; the update of one milestone, the upload of its evidence and the creation of every
site's checklist (officers and city admins only).

Milestones come only through the access kernel: officers and city admins reach their
municipality's, a director those of their school's site; anything else is a 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from preau.core.access import CHANGE, get_or_404, restrict
from preau.programme import files, services
from preau.programme.access import director_sites
from preau.programme.forms import AttachmentForm, MilestoneForm, RolloutFilter
from preau.programme.models import Attachment, Milestone, Programme, SiteMilestone
from preau.programme.rollout import KIND_ORDER, STATUS_SYMBOL, kind_number, timeline


def _programme(user: Any, pk: int) -> tuple[Programme, bool]:
    """The programme whose rollout ``user`` may follow, and whether they may change it."""
    staff = restrict(user, Programme).select_related("municipality").filter(pk=pk).first()
    if staff is not None:
        return staff, True
    sites = director_sites(user)
    programme = (
        Programme.objects.select_related("municipality")
        .filter(pk=pk, site_milestones__site_id__in=sites)
        .distinct()
        .first()
        if sites
        else None
    )
    if programme is None:
        raise Http404
    return programme, False


def _legend() -> dict[str, Any]:
    return {
        "kinds": [(kind_number(k), label) for k, label in Milestone.choices],
        "statuses": [(v, STATUS_SYMBOL[v], label) for v, label in SiteMilestone.Status.choices],
    }


@login_required
def rollout_index(request: HttpRequest) -> HttpResponse:
    visible = restrict(request.user, SiteMilestone)
    programmes = list(
        Programme.objects.filter(pk__in=visible.values("programme_id")).order_by("name")
    )
    if not programmes:
        raise Http404
    if len(programmes) == 1:
        return redirect("programme:rollout", pk=programmes[0].pk)
    return render(request, "programme/rollout_index.html", {"programmes": programmes})


@login_required
def rollout(request: HttpRequest, pk: int) -> HttpResponse:
    programme, can_change = _programme(request.user, pk)
    form = RolloutFilter(request.GET or None)
    milestones = restrict(request.user, SiteMilestone).filter(programme=programme)
    if form.is_valid():
        if form.cleaned_data["kind"]:
            milestones = milestones.filter(kind=form.cleaned_data["kind"])
        if form.cleaned_data["status"]:
            milestones = milestones.filter(status=form.cleaned_data["status"])
    context = {
        "programme": programme,
        "can_change": can_change,
        "form": form,
        "timeline": timeline(programme, milestones.select_related("site")),
        "legend": _legend(),
    }
    return render(request, "programme/rollout.html", context)


@login_required
def site_rollout(request: HttpRequest, pk: int, site_pk: int) -> HttpResponse:
    programme, can_change = _programme(request.user, pk)
    milestones = sorted(
        restrict(request.user, SiteMilestone)
        .filter(programme=programme, site_id=site_pk)
        .select_related("site"),
        key=lambda m: KIND_ORDER[m.kind],
    )
    if not milestones:
        raise Http404
    evidence: dict[int, list[Attachment]] = {}
    for attachment in restrict(request.user, Attachment).filter(
        milestone__in=[m.pk for m in milestones], trashed_at__isnull=True
    ):
        evidence.setdefault(attachment.milestone_id or 0, []).append(attachment)
    rows = [
        (
            m,
            kind_number(m.kind),
            STATUS_SYMBOL[m.status],
            _form_of(m) if can_change else None,
            evidence.get(m.pk, []),
            _upload_form(m) if can_change else None,
        )
        for m in milestones
    ]
    context = {
        "programme": programme,
        "site": milestones[0].site,
        "rows": rows,
        "can_change": can_change,
    }
    return render(request, "programme/site_rollout.html", context)


EVIDENCE_KINDS: list[str] = [
    Attachment.Kind.PHOTO,
    Attachment.Kind.ACCEPTANCE,
    Attachment.Kind.PUBLICITY,
    Attachment.Kind.OTHER,
]


def _upload_form(milestone: SiteMilestone) -> AttachmentForm:
    return AttachmentForm(kinds=EVIDENCE_KINDS, auto_id=f"e{milestone.pk}-%s")


def _form_of(milestone: SiteMilestone) -> MilestoneForm:
    return MilestoneForm(
        auto_id=f"m{milestone.pk}-%s",
        initial={
            "status": milestone.status,
            "planned_on": milestone.planned_on,
            "done_on": milestone.done_on,
            "quantity": milestone.quantity,
            "evidence": milestone.evidence,
        },
    )


@login_required
@require_POST
def update_milestone(request: HttpRequest, pk: int) -> HttpResponse:
    milestone = get_or_404(
        request.user, SiteMilestone.objects.select_related("site"), CHANGE, pk=pk
    )
    form = MilestoneForm(request.POST)
    if not form.is_valid():
        problems = "; ".join(str(e) for errors in form.errors.values() for e in errors)
        messages.error(request, _("Not saved: %(problems)s") % {"problems": problems})
    else:
        try:
            services.update_site_milestone(milestone, request.user, **form.cleaned_data)
        except services.ProgrammeError as error:
            messages.error(request, _("Not saved: %(problems)s") % {"problems": error})
        else:
            messages.success(
                request,
                _("%(milestone)s saved.") % {"milestone": milestone.get_kind_display()},
            )
    return redirect("programme:site_rollout", pk=milestone.programme_id, site_pk=milestone.site_id)


@login_required
@require_POST
def attach_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    """Add an evidence file (photo, acceptance report…) to a milestone."""
    milestone = get_or_404(
        request.user, SiteMilestone.objects.select_related("programme"), CHANGE, pk=pk
    )
    form = AttachmentForm(request.POST, request.FILES, kinds=EVIDENCE_KINDS)
    if not form.is_valid():
        problems = "; ".join(str(e) for errors in form.errors.values() for e in errors)
        messages.error(request, _("File not added: %(problems)s") % {"problems": problems})
    else:
        try:
            attachment = files.attach(
                actor=request.user,
                programme=milestone.programme,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
                title=form.cleaned_data["title"],
                milestone=milestone,
            )
        except services.ProgrammeError as error:
            messages.error(request, _("File not added: %(problems)s") % {"problems": error})
        else:
            messages.success(request, _("%(name)s added.") % {"name": attachment})
    return redirect("programme:site_rollout", pk=milestone.programme_id, site_pk=milestone.site_id)


@login_required
@require_POST
def plan_rollout(request: HttpRequest, pk: int) -> HttpResponse:
    """Give every site of the programme's municipality its checklist (idempotent)."""
    programme = get_or_404(request.user, Programme, CHANGE, pk=pk)
    created = services.plan_site_milestones(programme, request.user)
    if created:
        messages.success(
            request,
            ngettext(
                "%(n)s milestone created: every site has its checklist.",
                "%(n)s milestones created: every site has its checklist.",
                created,
            )
            % {"n": created},
        )
    else:
        messages.info(request, _("Every site already had its checklist: nothing to create."))
    return redirect("programme:rollout", pk=programme.pk)
