"""The private iCal feed: the page that makes and revokes its link, and the feed itself.

``GET /agenda/ical/<token>.ics`` needs no login (calendar apps cannot log in): the token
is the secret. An unknown or revoked token is a 404, the same for both; guesses are
rate limited per client address, and each feed per token.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from preau.accounts.mfa import needs_mfa_setup
from preau.agenda import feeds, ical, queries
from preau.agenda.access import has_agenda
from preau.core.audit import client_ip
from preau.core.ratelimit import RateLimit

FAILURES_PER_IP = RateLimit("agenda.ical.failures", limit=20, window=600)
HITS_PER_FEED = RateLimit("agenda.ical.hits", limit=120, window=3600)


def _too_many() -> HttpResponse:
    response = HttpResponse(
        _("Too many requests: try again later."), status=429, content_type="text/plain"
    )
    response["Retry-After"] = "600"
    return response


@require_GET
def ical_feed(request: HttpRequest, token: str) -> HttpResponse:
    ip = client_ip(request) or "unknown"
    if FAILURES_PER_IP.is_exceeded(ip):
        return _too_many()
    user = feeds.user_for(token)
    if user is None or not has_agenda(user) or needs_mfa_setup(user):
        FAILURES_PER_IP.hit(ip)
        raise Http404
    if HITS_PER_FEED.hit(feeds.digest(token)) > HITS_PER_FEED.limit:
        return _too_many()
    body = ical.feed(queries.feed_events(user), _("Préau agenda"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="preau.ics"'
    response["Cache-Control"] = "private, max-age=900"
    response["X-Robots-Tag"] = "noindex"
    return response


@login_required
def feed_page(request: HttpRequest) -> HttpResponse:
    if not has_agenda(request.user):
        raise Http404
    clear = None
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            if feeds.revoke(request.user, request=request):
                messages.success(request, _("The feed link is revoked: it no longer works."))
            return redirect("agenda:feed")
        clear = feeds.issue(request.user, request=request)
    url = None
    if clear is not None:
        url = request.build_absolute_uri(reverse("agenda:ical", args=[clear]))
    context = {
        "token": feeds.live_token(request.user),
        "url": url,
        "webcal_url": url.replace("https://", "webcal://").replace("http://", "webcal://")
        if url
        else None,
    }
    return render(request, "agenda/feed.html", context)
