"""A guardian's "Photo consent" page: one choice per child, audited."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from preau.core.access import get_or_404, restrict
from preau.directory.models import Guardian, Pupil
from preau.directory.scope import scope_of
from preau.news import consent, services
from preau.news.errors import NewsError
from preau.news.forms import ConsentForm
from preau.news.models import PhotoConsentChoice


def _guardian(request: HttpRequest) -> Guardian:
    guardian_id = scope_of(request.user).guardian_id
    if guardian_id is None:
        raise Http404
    return get_or_404(request.user, Guardian, pk=guardian_id)


def _children(request: HttpRequest) -> list[Pupil]:
    return list(
        restrict(request.user, Pupil)
        .filter(pk__in=scope_of(request.user).children, left_on__isnull=True)
        .order_by("first_name")
    )


@login_required
def consent_page(request: HttpRequest) -> HttpResponse:
    guardian = _guardian(request)
    children = _children(request)
    mine = dict(restrict(request.user, PhotoConsentChoice).values_list("pupil_id", "granted"))
    withdrawn = consent.pupils_without_consent(c.pk for c in children)
    rows = [
        {
            "pupil": child,
            "in_force": child.pk not in withdrawn,
            "my_choice": mine.get(child.pk),
            "form": ConsentForm(
                prefix=f"child{child.pk}",
                initial={"granted": "no" if child.pk in withdrawn else "yes"},
            ),
        }
        for child in children
    ]
    return render(request, "news/consent.html", {"guardian": guardian, "rows": rows})


@login_required
@require_POST
def set_consent(request: HttpRequest, pk: int) -> HttpResponse:
    guardian = _guardian(request)
    pupil = get_or_404(
        request.user, Pupil.objects.filter(pk__in=scope_of(request.user).children), pk=pk
    )
    form = ConsentForm(request.POST, prefix=f"child{pupil.pk}")
    if not form.is_valid():
        messages.error(request, _("Choose whether photos of your child may be published."))
        return redirect("news:consent")
    try:
        in_force = services.set_photo_consent(
            actor=request.user,
            guardian=guardian,
            pupil=pupil,
            granted=form.cleaned_data["granted"],
            request=request,
        )
    except NewsError as error:
        messages.error(request, str(error))
        return redirect("news:consent")
    if in_force:
        text = _("Saved: photos of %(name)s may be published.")
    elif form.cleaned_data["granted"]:
        text = _("Saved. Photos of %(name)s stay unpublished: another guardian withdrew consent.")
    else:
        text = _("Saved: photos of %(name)s will not be shown, including those already published.")
    messages.success(request, text % {"name": pupil.first_name})
    return redirect("news:consent")
