"""What the fleet API's routers share: pagination, the caller, the write gate."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.pagination import PageNumberPagination

from preau.fleet.access import fleet_municipalities
from preau.fleet.navigation import sees_fleet

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
SEARCH_MAX = 100


class Pages(PageNumberPagination):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE, **kwargs)


def user_of(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


def read_only() -> HttpError:
    return HttpError(403, _("Only the municipality's technicians and city admins change this."))


def refused(error: ValidationError) -> HttpError:
    """A service's ValidationError as the API's 422, each message after its field."""
    if hasattr(error, "error_dict"):
        return HttpError(
            422,
            "; ".join(f"{field}: {' '.join(texts)}" for field, texts in error.message_dict.items()),
        )
    return HttpError(422, " ".join(error.messages))


def managed(user: Any) -> frozenset[int]:
    """The municipalities ``user`` may write in; else 403 for school staff (who read the
    fleet) and 404 for everyone else (families, outsiders), as for a missing page."""
    municipalities = fleet_municipalities(user)
    if municipalities:
        return municipalities
    if sees_fleet(user):
        raise read_only()
    raise Http404
