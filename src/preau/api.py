"""The HTTP API (django-ninja) under /api/v1/: each app contributes a router."""

from __future__ import annotations

from ninja import NinjaAPI

from preau.accounts.api import auth_methods
from preau.accounts.api import router as accounts_router
from preau.directory.api import router as directory_router

api = NinjaAPI(
    title="Préau API",
    version="1",
    description="Read access to the directory, under the same access rules as the web pages.",
    auth=auth_methods(),
    urls_namespace="api",
)
api.add_router("/", accounts_router)
api.add_router("/directory/", directory_router)
