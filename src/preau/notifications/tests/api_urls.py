"""The site's URLs plus the notifications router on a test API, until ``preau.api`` mounts it.

django-ninja lets a router be mounted on several APIs, so this works before and after
the lead adds it to ``/api/v1/``.
"""

from django.urls import path
from ninja import NinjaAPI

from preau.accounts.api import auth_methods
from preau.notifications.api import router
from preau.urls import urlpatterns as site

api = NinjaAPI(
    title="Préau notifications (test)",
    version="test",
    auth=auth_methods(),
    urls_namespace="notifications_test_api",
)
api.add_router("/notifications/", router)

urlpatterns = [path("api/test/", api.urls), *site]
