"""The site's URLs plus the notes router on a test API, until ``preau.api`` mounts it.

django-ninja lets a router be mounted on several APIs, so this works before and after
the lead adds it to ``/api/v1/``.
"""

from django.urls import path
from ninja import NinjaAPI

from preau.accounts.api import auth_methods
from preau.liaison.api import router
from preau.urls import urlpatterns as site

api = NinjaAPI(
    title="Préau notes (test)",
    version="test",
    auth=auth_methods(),
    urls_namespace="liaison_test_api",
)
api.add_router("/notes/", router)

urlpatterns = [path("api/test/", api.urls), *site]
