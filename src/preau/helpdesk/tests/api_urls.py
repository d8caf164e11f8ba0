"""The site's URLs plus a test API carrying the helpdesk and loans routers.

``preau.api`` mounts the routers once the lead wires them; this API comes first so the
tests pass either way (django-ninja lets one router be mounted on several APIs).
"""

from django.urls import path
from ninja import NinjaAPI

from preau.accounts.api import auth_methods
from preau.helpdesk.api import router as helpdesk_router
from preau.loans.api import router as loans_router
from preau.urls import urlpatterns as site_urls

api = NinjaAPI(auth=auth_methods(), urls_namespace="helpdesk_loans_test_api", docs_url=None)
api.add_router("/helpdesk/", helpdesk_router)
api.add_router("/loans/", loans_router)

urlpatterns = [path("api/v1/", api.urls), *site_urls]
