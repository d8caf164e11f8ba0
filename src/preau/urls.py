from __future__ import annotations

from django.urls import include, path
from django.views.i18n import set_language

from preau.api import api
from preau.core.views import healthz

urlpatterns = [
    path("", include("preau.home.urls")),
    path("accounts/", include("allauth.urls")),
    path("account/", include("preau.accounts.urls")),
    path("directory/", include("preau.directory.urls")),
    path("programme/", include("preau.programme.urls")),
    path("news/", include("preau.news.urls")),
    path("notes/", include("preau.liaison.urls")),
    path("messages/", include("preau.messaging.urls")),
    path("homework/", include("preau.homework.urls")),
    path("agenda/", include("preau.agenda.urls")),
    path("fleet/", include("preau.fleet.urls")),
    path("helpdesk/", include("preau.helpdesk.urls")),
    path("loans/", include("preau.loans.urls")),
    path("", include("preau.fleet.inventory.urls")),  # agents: /ocsinventory…
    path("notifications/", include("preau.notifications.urls")),
    path("api/v1/", api.urls),
    path("healthz", healthz, name="healthz"),
    path("i18n/setlang/", set_language, name="set_language"),
]
