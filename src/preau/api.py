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
from preau.agenda.api import router as agenda_router
from preau.directory.api import router as directory_router
from preau.fleet.api import router as fleet_router
from preau.helpdesk.api import router as helpdesk_router
from preau.homework.api import router as homework_router
from preau.liaison.api import router as liaison_router
from preau.loans.api import router as loans_router
from preau.messaging.api import router as messaging_router
from preau.news.api import router as news_router
from preau.notifications.api import router as notifications_router

api = NinjaAPI(
    title="Préau API",
    version="1",
    description=(
        "The directory, the school–family workspace (news, notes, messages, homework, "
        "agenda, notifications) for a future mobile app, under the same access rules as "
        "the web pages."
    ),
    auth=auth_methods(),
    urls_namespace="api",
    docs=Swagger(settings={"validatorUrl": None}),
)
api.add_router("/", accounts_router)
api.add_router("/directory/", directory_router)
api.add_router("/news/", news_router)
api.add_router("/notes/", liaison_router)
api.add_router("/messages/", messaging_router)
api.add_router("/notifications/", notifications_router)
api.add_router("/homework/", homework_router)
api.add_router("/agenda/", agenda_router)
api.add_router("/fleet/", fleet_router)
api.add_router("/helpdesk/", helpdesk_router)
api.add_router("/loans/", loans_router)

# Added last so that it only catches what nothing else matched (an unknown path, or a
# non-numeric id): the answer is the API's JSON 404, not the HTML page.
fallback = Router()


@fallback.api_operation(
    ["GET", "POST", "PUT", "PATCH", "DELETE"], "/{path:rest}", auth=None, include_in_schema=False
)
def not_found(request: HttpRequest, rest: str) -> HttpResponse:
    raise Http404


api.add_router("/", fallback)
