from django.urls import URLPattern, path

from preau.helpdesk import views, views_dashboard

app_name = "helpdesk"
urlpatterns: list[URLPattern] = [
    path("", views.index, name="index"),
    path("new", views.new, name="new"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/handle/", views.handle, name="handle"),
    path("<int:pk>/comment/", views.comment, name="comment"),
    path("<int:pk>/reopen/", views.reopen, name="reopen"),
    path("photos/<int:pk>.jpg", views.photo, name="photo"),
    path("dashboard/", views_dashboard.dashboard, name="dashboard"),
    path("targets/", views_dashboard.targets, name="targets"),
]
