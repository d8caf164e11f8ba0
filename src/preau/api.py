"""The HTTP API (django-ninja) under /api/v1/: each app contributes a router.

Every operation requires authentication (a personal token or the browser session);
only the OpenAPI document and its interactive docs are public. The docs' Swagger UI is
served from the static files django-ninja ships (``ninja`` is in INSTALLED_APPS), so the
page calls no other host; the online validator badge is switched off for the same reason.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Router, Swagger

from preau.accounts.api import auth_methods
from preau.accounts.api import router as accounts_router
from preau.directory.api import router as directory_router

api = NinjaAPI(
    title="Préau API",
    version="1",
    description="Read access to the directory, under the same access rules as the web pages.",
    auth=auth_methods(),
    urls_namespace="api",
    docs=Swagger(settings={"validatorUrl": None}),
)
api.add_router("/", accounts_router)
api.add_router("/directory/", directory_router)

# Added last so that it only catches what nothing else matched (an unknown path, or a
# non-numeric id): the answer is the API's JSON 404, not the HTML page.
fallback = Router()


@fallback.api_operation(
    ["GET", "POST", "PUT", "PATCH", "DELETE"], "/{path:rest}", auth=None, include_in_schema=False
)
def not_found(request: HttpRequest, rest: str) -> HttpResponse:
    raise Http404


api.add_router("/", fallback)
