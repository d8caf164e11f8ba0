"""Families' accounts: the director prints letters, the family types the code back."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from preau.accounts import letters, services, status
from preau.accounts.forms import ActivationCodeForm, ChooseAccountForm, LettersForm
from preau.accounts.models import User
from preau.core import access
from preau.directory.models import Guardian, SchoolClass

SESSION_KEY = "preau.activation_code_id"


@require_http_methods(["GET", "POST"])
def activate(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = ActivationCodeForm(request.POST)
        if form.is_valid():
            try:
                found = services.check_code(code=form.cleaned_data["code"], request=request)
            except services.ActivationRateLimited as error:
                return render(request, "429.html", {"message": error.message}, status=429)
            except services.ActivationError as error:
                form.add_error("code", str(error.message))
            else:
                request.session[SESSION_KEY] = found.pk
                return redirect("accounts:activate_choose")
    else:
        form = ActivationCodeForm(initial={"code": request.GET.get("code", "")[:40]})
    return render(request, "accounts/activate.html", {"form": form})


@require_http_methods(["GET", "POST"])
def activate_choose(request: HttpRequest) -> HttpResponse:
    code_id = request.session.get(SESSION_KEY)
    if code_id is None:
        return redirect("accounts:activate")
    try:
        guardian = services.usable_code(int(code_id)).guardian
    except services.ActivationError as error:
        request.session.pop(SESSION_KEY, None)
        messages.error(request, str(error.message))
        return redirect("accounts:activate")
    person = User(
        first_name=guardian.first_name, last_name=guardian.last_name, email=guardian.email
    )
    if request.method == "POST":
        form = ChooseAccountForm(request.POST, person=person)
        if form.is_valid():
            try:
                user = services.redeem_code_id(
                    code_id=int(code_id),
                    username=form.cleaned_data["username"],
                    password=form.cleaned_data["password1"],
                    request=request,
                )
            except services.ActivationError as error:
                request.session.pop(SESSION_KEY, None)
                messages.error(request, str(error.message))
                return redirect("accounts:activate")
            except ValidationError as error:
                form.add_error(None, error)
            else:
                request.session.pop(SESSION_KEY, None)
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                messages.success(request, _("Your account is ready. Welcome!"))
                return redirect("home:index")
    else:
        form = ChooseAccountForm(
            initial={"username": services.suggest_username(guardian)}, person=person
        )
    return render(request, "accounts/activate_choose.html", {"form": form, "guardian": guardian})


@login_required
@require_GET
def class_activation(request: HttpRequest, pk: int) -> HttpResponse:
    school_class = access.get_or_404(
        request.user, SchoolClass.objects.select_related("school"), access.CHANGE, pk=pk
    )
    rows = status.activation_rows(request.user, school_class)
    counts = {
        key: sum(1 for row in rows if row.status == key)
        for key in (status.ACTIVATED, status.SENT, status.EXPIRED, status.NO_CODE)
    }
    return render(request, "accounts/class_activation.html", {
        "school_class": school_class,
        "rows": rows,
        "counts": counts,
        "form": LettersForm(),
    })  # fmt: skip


@login_required
@require_POST
def letters_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    school_class = access.get_or_404(request.user, SchoolClass, access.CHANGE, pk=pk)
    form = LettersForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose which guardians the letters are for."))
        return redirect("accounts:class_activation", pk=school_class.pk)
    rows = status.activation_rows(request.user, school_class)
    guardians = status.needing_letters(rows, form.cleaned_data["who"])
    if not guardians:
        messages.info(request, _("No guardian of this class needs a letter."))
        return redirect("accounts:class_activation", pk=school_class.pk)
    filename = f"lettres-activation-{slugify(school_class.label) or school_class.pk}.pdf"
    return _letters_response(request, guardians, filename, school_class)


@login_required
@require_POST
def reissue_code(request: HttpRequest, pk: int) -> HttpResponse:
    guardian = access.get_or_404(
        request.user, Guardian.objects.select_related("user"), access.CHANGE, pk=pk
    )
    if guardian.user_id is not None:
        messages.info(request, _("%(name)s already has an account.") % {"name": guardian})
        return _back_to_class(request)
    filename = f"lettre-activation-{slugify(guardian.last_name) or guardian.pk}.pdf"
    return _letters_response(request, [guardian], filename, None)


def _back_to_class(request: HttpRequest) -> HttpResponse:
    class_id = request.POST.get("next_class")
    if not class_id:
        return redirect("home:index")
    school_class = access.get_or_404(request.user, SchoolClass, access.CHANGE, pk=class_id)
    return redirect("accounts:class_activation", pk=school_class.pk)


def _letters_response(
    request: HttpRequest,
    guardians: list[Guardian],
    filename: str,
    school_class: SchoolClass | None,
) -> HttpResponse:
    needing_code = [g for g in guardians if g.user_id is None]
    issued = services.issue_codes(
        guardians=needing_code, actor=request.user, request=request, school_class=school_class
    )
    services.record_reminders(
        guardians=[g for g in guardians if g.user_id is not None],
        actor=request.user,
        request=request,
        school_class=school_class,
    )
    expires_at = None
    if issued:
        latest = issued[0][0].activation_codes.order_by("-created_at").first()
        expires_at = latest.expires_at if latest is not None else None
    pdf = letters.render_pdf(
        letters.build_letters(
            actor=request.user,
            guardians=guardians,
            issued={guardian.pk: code for guardian, code in issued},
            expires_at=expires_at,
        )
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"  # the clear codes exist only in this response
    return response
