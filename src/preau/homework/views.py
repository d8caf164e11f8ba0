"""The cahier de textes pages: families' weeks, a class's week, writing and copying.

Classes, entries and attachments come only through the access kernel; someone else's
class, entry or file is a 404, like a missing one.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from preau.core import access
from preau.directory.models import SchoolClass
from preau.homework import queries, services
from preau.homework.access import homework_classes
from preau.homework.forms import CopyWeekForm, EntryForm
from preau.homework.models import Attachment, Entry


def _week_and_view(request: HttpRequest) -> tuple[dt.date, queries.By]:
    day = queries.parse_day(request.GET.get("week")) or queries.default_day()
    by: queries.By = "due" if request.GET.get("view") == "due" else "day"
    return queries.monday_of(day), by


def _week_links(path: str, monday: dt.date, by: queries.By) -> dict[str, Any]:
    def link(day: dt.date, view: str = by) -> str:
        return f"{path}?{urlencode({'week': day.isoformat(), 'view': view})}"

    return {
        "monday": monday,
        "sunday": monday + dt.timedelta(days=6),
        "by": by,
        "previous_url": link(monday - dt.timedelta(days=7)),
        "next_url": link(monday + dt.timedelta(days=7)),
        "this_week_url": f"{path}?{urlencode({'view': by})}",
        "by_day_url": link(monday, "day"),
        "by_due_url": link(monday, "due"),
    }


def _writable_ids(user: Any) -> frozenset[int]:
    return frozenset(homework_classes(user, access.CHANGE).values_list("pk", flat=True))


@login_required
def index(request: HttpRequest) -> HttpResponse:
    monday, by = _week_and_view(request)
    family = queries.family_classes(request.user)
    staff = list(queries.staff_classes(request.user))
    if not family and not staff:
        raise Http404
    weeks = queries.class_weeks(request.user, family, monday, by) if family else []
    context = {"weeks": weeks, "staff_classes": staff, "week": monday}
    context |= _week_links(reverse("homework:index"), monday, by)
    return render(request, "homework/index.html", context)


def _class(request: HttpRequest, pk: int, action: str = access.VIEW) -> SchoolClass:
    classes = homework_classes(request.user, action).select_related("school", "year")
    return access.get_or_404(request.user, classes, pk=pk)


@login_required
def class_week(request: HttpRequest, pk: int) -> HttpResponse:
    school_class = _class(request, pk)
    monday, by = _week_and_view(request)
    writable = _writable_ids(request.user)
    week = queries.class_weeks(request.user, [(school_class, [])], monday, by, writable)[0]
    others = (
        queries.staff_classes(request.user).exclude(pk=school_class.pk).exists()
        if week.can_write
        else False
    )
    context = {"cls": school_class, "class_week": week, "can_copy": others}
    context |= _week_links(reverse("homework:class_week", args=[pk]), monday, by)
    return render(request, "homework/class_week.html", context)


def _week_url(entry_class_pk: int, day: dt.date) -> str:
    query = urlencode({"week": day.isoformat()})
    return f"{reverse('homework:class_week', args=[entry_class_pk])}?{query}"


@login_required
def entry_create(request: HttpRequest, pk: int) -> HttpResponse:
    school_class = _class(request, pk, access.CHANGE)
    initial_day = queries.parse_day(request.GET.get("date")) or queries.default_day()
    form = EntryForm(request.POST or None, request.FILES or None, initial={"date": initial_day})
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.create_entry(
                request.user, school_class, form.entry_input(), form.uploads(), request=request
            )
        except services.HomeworkError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Entry saved."))
            return redirect(_week_url(school_class.pk, entry.date))
    return render(request, "homework/entry_form.html", {"cls": school_class, "form": form})


def _entry(request: HttpRequest, pk: int, action: str) -> Entry:
    entries = access.restrict(request.user, Entry, action).select_related(
        "school_class__school", "school_class__year"
    )
    return access.get_or_404(request.user, entries, action, pk=pk)


@login_required
def entry_edit(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _entry(request, pk, access.CHANGE)
    attachments = list(entry.attachments.all())
    initial = {
        "date": entry.date,
        "subject": entry.subject,
        "topic": entry.topic,
        "done_text": entry.done_text,
        "todo_text": entry.todo_text,
        "due_on": entry.due_on,
    }
    form = EntryForm(
        request.POST or None, request.FILES or None, initial=initial, attachments=attachments
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_entry(
                request.user,
                entry,
                form.entry_input(),
                form.uploads(),
                form.removed_ids(),
                request=request,
            )
        except services.HomeworkError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Entry saved."))
            return redirect(_week_url(entry.school_class_id, entry.date))
    context = {"cls": entry.school_class, "form": form, "entry": entry}
    return render(request, "homework/entry_form.html", context)


@login_required
def entry_delete(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _entry(request, pk, access.CHANGE)
    if request.method == "POST":
        services.delete_entry(request.user, entry, request=request)
        messages.success(request, _("Entry deleted."))
        return redirect(_week_url(entry.school_class_id, entry.date))
    return render(request, "homework/entry_delete.html", {"entry": entry})


@login_required
def attachment(request: HttpRequest, pk: int) -> FileResponse:
    found = access.get_or_404(request.user, Attachment, pk=pk)
    if not default_storage.exists(found.file.name):
        raise Http404
    response = FileResponse(
        default_storage.open(found.file.name, "rb"),
        content_type=found.content_type,
        as_attachment=found.content_type == "application/pdf",
        filename=found.original_name,
    )
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
def copy_week(request: HttpRequest, pk: int) -> HttpResponse:
    source = _class(request, pk, access.CHANGE)
    monday, _by = _week_and_view(request)
    targets = queries.staff_classes(request.user).exclude(pk=source.pk)
    form = CopyWeekForm(request.POST or None, targets=targets)
    if request.method == "POST" and form.is_valid():
        target = form.cleaned_data["target"]
        try:
            result = services.copy_week(request.user, source, monday, target, request=request)
        except services.HomeworkError as exc:
            form.add_error(None, str(exc))
        else:
            text = ngettext(
                "%(count)d entry copied to %(class)s.",
                "%(count)d entries copied to %(class)s.",
                result.copied,
            ) % {"count": result.copied, "class": target.label}
            if result.skipped:
                text += " " + ngettext(
                    "%(count)d was already there and was skipped.",
                    "%(count)d were already there and were skipped.",
                    result.skipped,
                ) % {"count": result.skipped}
            messages.success(request, text)
            return redirect(_week_url(target.pk, monday))
    week_count = (
        access.restrict(request.user, Entry)
        .filter(school_class=source, date__range=(monday, monday + dt.timedelta(days=6)))
        .count()
    )
    context = {
        "cls": source,
        "form": form,
        "monday": monday,
        "sunday": monday + dt.timedelta(days=6),
        "week_count": week_count,
        "has_targets": targets.exists(),
    }
    return render(request, "homework/copy_week.html", context)
