"""The HTTP API (django-ninja) under /api/v1/: each app contributes a router.

Every operation requires authentication (a personal token or the browser session);
only the OpenAPI document and its interactive docs are public. The docs' Swagger UI is
served from the static files django-ninja ships (``ninja`` is in INSTALLED_APPS), so the
page calls no other host; the online validator badge is switched off for the same reason.
"""

from __future__ import annotations

from ninja import NinjaAPI, Swagger

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
