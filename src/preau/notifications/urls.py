from __future__ import annotations

from django.urls import path

from preau.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.timeline, name="timeline"),
    path("read/", views.mark_all_read, name="mark_all_read"),
    path("<int:pk>/open", views.open_notification, name="open"),
    path("preferences/", views.preferences, name="preferences"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
