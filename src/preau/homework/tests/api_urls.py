"""The site's URLs plus a test API carrying the homework router at /api/v1/homework/.

``preau.api`` mounts the router itself once the lead wires it; this API comes first so
the tests pass either way (django-ninja lets one router be mounted on several APIs).
"""

from django.urls import path
from ninja import NinjaAPI

from preau.accounts.api import auth_methods
from preau.homework.api import router
from preau.urls import urlpatterns as site_urls

api = NinjaAPI(auth=auth_methods(), urls_namespace="homework_test_api", docs_url=None)
api.add_router("/homework/", router)

urlpatterns = [path("api/v1/", api.urls), *site_urls]
