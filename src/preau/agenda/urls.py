from django.urls import path

from preau.agenda import views, views_feed, views_import

app_name = "agenda"
urlpatterns = [
    path("", views.index, name="index"),
    path("month/", views.month, name="month"),
    path("event/<int:pk>/", views.detail, name="detail"),
    path("new/", views.create, name="create"),
    path("event/<int:pk>/edit/", views.edit, name="edit"),
    path("event/<int:pk>/delete/", views.delete, name="delete"),
    path("feed/", views_feed.feed_page, name="feed"),
    path("ical/<str:token>.ics", views_feed.ical_feed, name="ical"),
    path("class/<int:pk>/import/", views_import.upload, name="import_upload"),
    path("import/<int:pk>/", views_import.preview, name="import_preview"),
    path("import/<int:pk>/apply/", views_import.apply, name="import_apply"),
]
