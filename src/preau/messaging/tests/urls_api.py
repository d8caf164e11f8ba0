"""The site's URLs plus messaging's router at /api/v1/messages/, for the API tests.

The lead mounts the router in ``preau/api.py``; until then (and after, harmlessly: the
same router, the same authentication) the tests reach it at the same address.
"""

from django.urls import path
from ninja import NinjaAPI

from preau.accounts.api import auth_methods
from preau.messaging.api import router
from preau.urls import urlpatterns as site

api = NinjaAPI(title="messaging (tests)", urls_namespace="messaging-api-tests", auth=auth_methods())
api.add_router("/messages/", router)

urlpatterns = [path("api/v1/", api.urls), *site]
