from django.urls import URLPattern, path

from preau.messaging import views, views_matrix, views_moderation

app_name = "messaging"
urlpatterns: list[URLPattern] = [
    path("", views.inbox, name="inbox"),
    path("archive/", views.archive, name="archive"),
    path("new/", views.compose, name="compose"),
    path("<int:pk>/", views.conversation, name="conversation"),
    path("<int:pk>/reply/", views.reply, name="reply"),
    path("<int:pk>/archive/", views.set_archived, name="set_archived"),
    path("<int:pk>/close/", views_moderation.close, name="close"),
    path("<int:pk>/reopen/", views_moderation.reopen, name="reopen"),
    path("message/<int:pk>/report/", views_moderation.report, name="report"),
    path("message/<int:pk>/approve/", views_moderation.approve, name="approve"),
    path("message/<int:pk>/reject/", views_moderation.reject, name="reject"),
    path("report/<int:pk>/handled/", views_moderation.resolve, name="resolve"),
    path("moderation/", views_moderation.moderation_page, name="moderation"),
    path("rules/", views_matrix.matrix, name="matrix"),
    path("file/<int:pk>/", views.attachment, name="attachment"),
    path("file/<int:pk>/small/", views.attachment, {"small": True}, name="thumbnail"),
]
