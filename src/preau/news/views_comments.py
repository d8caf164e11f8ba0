"""Comments: families write them, the post's author moderates them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from preau.core.access import CHANGE, get_or_404
from preau.news import comments
from preau.news.errors import NewsError
from preau.news.forms import CommentForm
from preau.news.models import Comment, Post


def _back(post_id: int) -> HttpResponse:
    return redirect(reverse("news:detail", args=[post_id]) + "#comments")


@login_required
@require_POST
def add(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_or_404(request.user, Post, pk=pk)
    form = CommentForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return _back(post.pk)
    try:
        comment = comments.add_comment(
            actor=request.user, post=post, text=form.cleaned_data["text"], request=request
        )
    except NewsError as error:
        messages.error(request, str(error))
    else:
        if comment.status == Comment.Status.PENDING:
            messages.success(request, _("Thank you! Your comment will appear once approved."))
        else:
            messages.success(request, _("Comment posted."))
    return _back(post.pk)


@login_required
@require_POST
def moderate(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_or_404(request.user, Comment.objects.select_related("post"), CHANGE, pk=pk)
    try:
        comments.moderate_comment(
            actor=request.user,
            comment=comment,
            action=request.POST.get("action", ""),
            request=request,
        )
    except NewsError as error:
        messages.error(request, str(error))
    return _back(comment.post_id)


@login_required
@require_POST
def delete_own(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_or_404(
        request.user,
        Comment.objects.select_related("post").filter(author_id=request.user.pk),
        pk=pk,
    )
    comments.delete_own_comment(actor=request.user, comment=comment, request=request)
    messages.success(request, _("Comment deleted."))
    return _back(comment.post_id)
