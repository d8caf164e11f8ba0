"""The news router mounted on its own API for its tests (the lead mounts it in
``preau.api`` under ``/news/``), beside the site's URLs."""

from django.urls import path
from ninja import NinjaAPI

from preau.accounts.api import auth_methods
from preau.news.api import router
from preau.urls import urlpatterns as site_urlpatterns

api = NinjaAPI(auth=auth_methods(), urls_namespace="news_test_api", docs_url=None)
api.add_router("/news/", router)

urlpatterns = [path("test-api/", api.urls), *site_urlpatterns]
