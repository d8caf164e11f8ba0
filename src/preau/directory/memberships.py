"""Staff memberships: who holds which role where. Every change is audited.

City admins grant and revoke any role in their municipality. Directors attach teachers
to the classes of their own school (ONDE knows nothing of teachers); nothing else.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from preau.core import audit
from preau.directory.models import (
    CITY_ROLES,
    SCHOOL_ROLES,
    Membership,
    Municipality,
    Role,
    School,
    SchoolClass,
)
from preau.directory.scope import forget_scope, scope_of


class MembershipError(ValueError):
    """A grant or revoke that cannot be done; the message says why, for the person."""


def may_grant(actor: Any, role: str, municipality: Municipality, school: School | None) -> bool:
    scope = scope_of(actor)
    if municipality.pk in scope.municipalities_with(Role.CITY_ADMIN):
        return True
    return role == Role.TEACHER and school is not None and school.pk in scope.director_schools


def _check_scope(
    role: str, municipality: Municipality, school: School | None, cls: SchoolClass | None
) -> None:
    if role in CITY_ROLES and (school or cls):
        raise MembershipError(_("A city role applies to the whole municipality: no school."))
    if role in SCHOOL_ROLES and (school is None or cls is not None):
        raise MembershipError(_("This role needs a school (and no class)."))
    if role == Role.TEACHER and cls is None:
        raise MembershipError(_("A teacher is attached to a class: choose one."))
    if cls is not None and school is not None and cls.school_id != school.pk:
        raise MembershipError(_("This class is not in that school."))
    if school is not None and school.municipality_id != municipality.pk:
        raise MembershipError(_("This school is not in that municipality."))


@transaction.atomic
def grant_role(
    *,
    actor: Any,
    user: Any,
    role: str,
    municipality: Municipality,
    school: School | None = None,
    school_class: SchoolClass | None = None,
    request: HttpRequest | None = None,
) -> Membership:
    if role not in Role.values:
        raise MembershipError(_("Unknown role: %(role)s.") % {"role": role})
    if school_class is not None and school is None:
        school = school_class.school
    _check_scope(role, municipality, school, school_class)
    if actor is not None and not may_grant(actor, role, municipality, school):
        raise MembershipError(_("You may not grant this role here."))
    if Membership.objects.filter(
        user=user, role=role, municipality=municipality, school=school, school_class=school_class
    ).exists():
        raise MembershipError(_("%(user)s already holds this role here.") % {"user": user})
    try:
        with transaction.atomic():
            membership = Membership.objects.create(
                user=user,
                role=role,
                municipality=municipality,
                school=school,
                school_class=school_class,
            )
    except IntegrityError:
        raise MembershipError(
            _("%(user)s already holds this role here.") % {"user": user}
        ) from None
    audit.record(
        "role.granted",
        actor=actor,
        request=request,
        target=membership,
        municipality_id=municipality.pk,
        user=user.get_username(),
        role=role,
        school=school.uai if school else None,
        school_class=school_class.label if school_class else None,
        actor_label="" if actor else "command line",
    )
    forget_scope(user)
    return membership


@transaction.atomic
def revoke_role(*, actor: Any, membership: Membership, request: HttpRequest | None = None) -> None:
    if actor is not None and not may_grant(
        actor, membership.role, membership.municipality, membership.school
    ):
        raise MembershipError(_("You may not revoke this role."))
    if actor is not None and membership.user_id == actor.pk and membership.role == Role.CITY_ADMIN:
        raise MembershipError(_("You cannot remove your own city admin role."))
    audit.record(
        "role.revoked",
        actor=actor,
        request=request,
        target=membership,
        municipality_id=membership.municipality_id,
        user=membership.user.get_username(),
        role=membership.role,
        actor_label="" if actor else "command line",
    )
    membership.delete()


@transaction.atomic
def create_staff_user(
    *,
    actor: Any,
    username: str,
    first_name: str,
    last_name: str,
    email: str,
    municipality: Municipality,
    request: HttpRequest | None = None,
) -> Any:
    """A new staff account with no password: the person sets it from a one-time link."""
    User = get_user_model()
    if User.objects.filter(username__iexact=username).exists():
        raise MembershipError(_("The username %(username)s is taken.") % {"username": username})
    user = User.objects.create_user(
        username=username, first_name=first_name, last_name=last_name, email=email
    )
    user.set_unusable_password()
    user.save(update_fields=["password"])
    audit.record(
        "user.created",
        actor=actor,
        request=request,
        target=user,
        municipality_id=municipality.pk,
        actor_label="" if actor else "command line",
    )
    return user


def set_password_path(user: Any) -> str:
    """A one-time path where ``user`` chooses their password (allauth's reset-by-link)."""
    from allauth.account.forms import default_token_generator
    from allauth.account.utils import user_pk_to_url_str
    from django.urls import reverse

    return reverse(
        "account_reset_password_from_key",
        kwargs={
            "uidb36": user_pk_to_url_str(user),
            "key": default_token_generator.make_token(user),
        },
    )
