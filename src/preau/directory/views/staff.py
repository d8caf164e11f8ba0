"""Staff page: who holds which role, granting and revoking (city admins; directors for
the teachers of their school). Writes go through ``preau.directory.memberships``."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from preau.core.access import CHANGE, get_or_404, restrict
from preau.directory import memberships
from preau.directory.forms import GrantRoleForm
from preau.directory.models import Membership, Municipality, Role, School, SchoolClass
from preau.directory.scope import scope_of
from preau.directory.views.browse import paginate


def _grantable_roles(user: Any) -> list[tuple[str, str]]:
    scope = scope_of(user)
    if scope.municipalities_with(Role.CITY_ADMIN):
        return [(r.value, str(r.label)) for r in Role]
    if scope.director_schools:
        return [(Role.TEACHER.value, str(Role.TEACHER.label))]
    return []


def _form(user: Any, data: Any = None) -> GrantRoleForm:
    return GrantRoleForm(
        data,
        roles=_grantable_roles(user),
        schools=restrict(user, School, CHANGE),
        classes=restrict(user, SchoolClass, CHANGE)
        .filter(year__is_current=True)
        .select_related("school"),
    )


@login_required
def staff_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    roles = _grantable_roles(user)
    if not roles:
        return render(request, "404.html", status=404)
    form = _form(user, request.POST if request.method == "POST" else None)
    new_link = ""
    if request.method == "POST" and form.is_valid():
        link = _grant(request, form)
        if link == "":  # an existing account: nothing more to show
            return redirect("directory:staff")
        new_link = link or ""
    qs = (
        restrict(user, Membership)
        .select_related("user", "school", "school_class", "municipality")
        .order_by("user__last_name", "user__first_name", "role")
    )
    role = request.GET.get("role", "")
    if role in Role.values:
        qs = qs.filter(role=role)
    query = request.GET.get("q", "").strip()
    if query:
        qs = qs.filter(user__username__icontains=query) | qs.filter(
            user__last_name__icontains=query
        )
    revocable = {
        m.pk
        for m in qs
        if memberships.may_grant(user, m.role, m.municipality, m.school) and m.user_id != user.pk
    }
    return render(
        request,
        "directory/staff_list.html",
        {
            "form": form,
            "page_obj": paginate(request, qs),
            "revocable": revocable,
            "roles": Role.choices,
            "role": role,
            "q": query,
            "new_link": new_link,
        },
    )


def _grant(request: HttpRequest, form: GrantRoleForm) -> str | None:
    """Grant the role; returns the set-password link of a new account, "" or None on error."""
    data = form.cleaned_data
    school, cls = data["school"], data["school_class"]
    municipality = _municipality_for(request.user, school, cls)
    if municipality is None:
        form.add_error(None, _("Choose a school or class, or hold a city admin role."))
        return None
    User = get_user_model()
    target = User.objects.filter(username__iexact=data["username"]).first()
    link = ""
    try:
        if target is None:
            if not data["create"]:
                form.add_error("username", _("No account has this username. Tick “create”."))
                return None
            target = memberships.create_staff_user(
                actor=request.user,
                username=data["username"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                municipality=municipality,
                request=request,
            )
            link = settings.PUBLIC_URL + memberships.set_password_path(target)
        memberships.grant_role(
            actor=request.user,
            user=target,
            role=data["role"],
            municipality=municipality,
            school=school,
            school_class=cls,
            request=request,
        )
    except memberships.MembershipError as exc:
        form.add_error(None, str(exc))
        return None
    messages.success(request, _("Role granted to %(user)s.") % {"user": target.get_username()})
    return link


def _municipality_for(
    user: Any, school: School | None, cls: SchoolClass | None
) -> Municipality | None:
    if cls is not None:
        return cls.school.municipality
    if school is not None:
        return school.municipality
    return restrict(user, Municipality, CHANGE).first()


@login_required
@require_POST
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    membership = get_or_404(
        request.user, Membership.objects.select_related("user", "municipality", "school"), pk=pk
    )
    try:
        memberships.revoke_role(actor=request.user, membership=membership, request=request)
    except memberships.MembershipError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Role removed."))
    return redirect("directory:staff")
