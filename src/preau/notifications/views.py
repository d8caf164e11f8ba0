"""The notifications pages: my timeline, opening one, my e-mail preferences, unsubscribing.

Notifications come only through the access kernel: someone else's is a 404, like a
missing one. The unsubscribe page needs no login: its signed link is the credential.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from preau.accounts.models import User
from preau.core.access import CHANGE, get_or_404, restrict
from preau.notifications import services
from preau.notifications.delivery import delivery_for, modes_of
from preau.notifications.forms import PreferencesForm
from preau.notifications.models import Notification
from preau.notifications.registry import get_kind
from preau.notifications.tokens import read_token

PER_PAGE = 25


@login_required
@require_GET
def timeline(request: HttpRequest) -> HttpResponse:
    notifications = restrict(request.user, Notification)
    unread_only = request.GET.get("unread") == "1"
    if unread_only:
        notifications = notifications.filter(read_at__isnull=True)
    page = Paginator(
        notifications.only(
            "pk", "kind", "title", "body", "actor_label", "created_at", "read_at", "url"
        ),
        PER_PAGE,
    ).get_page(request.GET.get("page"))
    return render(
        request, "notifications/timeline.html", {"page_obj": page, "unread_only": unread_only}
    )


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    count = services.mark_read(request.user, "all")
    if count:
        messages.success(request, _("All your notifications are marked as read."))
    return redirect("notifications:timeline")


@login_required
@require_GET
def open_notification(request: HttpRequest, pk: int) -> HttpResponse:
    notification = get_or_404(request.user, Notification, CHANGE, pk=pk)
    services.mark_read(request.user, [notification.pk])
    if not url_has_allowed_host_and_scheme(notification.url, allowed_hosts=None):
        return redirect("notifications:timeline")  # not a path on this site: go nowhere
    return HttpResponseRedirect(notification.url)


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    assert isinstance(request.user, User)
    user = request.user
    form = PreferencesForm(
        request.POST or None, modes=modes_of(user.pk), delivery=delivery_for(user.pk)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.update_preferences(
            user,
            modes=form.modes(),
            emails_enabled=data["emails_enabled"],
            digest_hour=data["digest_hour"],
            quiet_hours=data["quiet_hours"],
            quiet_start=data["quiet_start"],
            quiet_end=data["quiet_end"],
            quiet_weekends=data["quiet_weekends"],
            language=data["language"],
            request=request,
        )
        messages.success(request, _("Your notification preferences are saved."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})


@csrf_exempt  # mail clients post here without a session (RFC 8058): the signed link suffices
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    found = read_token(token)
    user = User.objects.filter(pk=found.user_id, is_active=True).first() if found else None
    if found is None or user is None:
        raise Http404
    if found.scope == services.ALL_KINDS:
        what = _("all e-mails from Préau's notifications")
    else:
        try:
            what = _("e-mails about “%(kind)s”") % {"kind": get_kind(found.scope).label}
        except ValueError:
            raise Http404 from None
    if request.method == "POST":
        services.unsubscribe(user, found.scope, request=request)
        return render(request, "notifications/unsubscribed.html", {"what": what})
    return render(request, "notifications/unsubscribe.html", {"what": what})
