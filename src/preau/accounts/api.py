"""API authentication (personal bearer tokens, or the browser session) and ``/me``."""

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema
from ninja.security import HttpBearer, SessionAuth

from preau.accounts.mfa import needs_mfa_setup
from preau.accounts.models import ApiToken
from preau.accounts.token_services import token_digest
from preau.directory.scope import scope_of

router = Router(tags=["accounts"])

__all__ = ["SessionAuthWithMfa", "TokenAuth", "auth_methods", "router", "token_digest"]


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <token>``: an unrevoked token of an active user."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = (
            ApiToken.objects.select_related("user")
            .filter(digest=token_digest(token), revoked_at__isnull=True, user__is_active=True)
            .first()
        )
        if found is None or needs_mfa_setup(found.user):
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        request.user = found.user
        return found.user


class SessionAuthWithMfa(SessionAuth):
    """The browser session, but not for a city role that has not set up its second factor.

    The MFA middleware lets /api/ through (clients there cannot follow a redirect to the
    TOTP setup page), so the API refuses such sessions itself.
    """

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        if user is None or needs_mfa_setup(user):
            return None
        return user


def auth_methods() -> list[Any]:
    return [TokenAuth(), SessionAuthWithMfa()]


class MunicipalityRolesOut(Schema):
    municipality_id: int
    roles: list[str]


class MeOut(Schema):
    id: int
    username: str
    display_name: str
    email: str
    roles: list[str]
    city_roles: list[MunicipalityRolesOut]
    director_schools: list[int]
    erun_schools: list[int]
    teacher_classes: list[int]
    guardian_id: int | None
    children: list[int]
    pupil_id: int | None


@router.get("/me", response=MeOut, summary="Who am I: my roles and what they reach")
def me(request: HttpRequest) -> MeOut:
    user = request.auth  # type: ignore[attr-defined]
    scope = scope_of(user)
    return MeOut(
        id=user.pk,
        username=user.get_username(),
        display_name=user.display_name,
        email=user.email,
        roles=sorted(str(role) for role in scope.roles),
        city_roles=[
            MunicipalityRolesOut(municipality_id=m, roles=sorted(str(r) for r in roles))
            for m, roles in sorted(scope.city_roles.items())
        ],
        director_schools=sorted(scope.director_schools),
        erun_schools=sorted(scope.erun_schools),
        teacher_classes=sorted(scope.teacher_classes),
        guardian_id=scope.guardian_id,
        children=sorted(scope.children),
        pupil_id=scope.pupil_id,
    )
