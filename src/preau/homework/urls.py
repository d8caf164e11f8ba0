from django.urls import path

from preau.homework import views

app_name = "homework"
urlpatterns = [
    path("", views.index, name="index"),
    path("class/<int:pk>/", views.class_week, name="class_week"),
    path("class/<int:pk>/new/", views.entry_create, name="entry_create"),
    path("class/<int:pk>/copy/", views.copy_week, name="copy_week"),
    path("entry/<int:pk>/edit/", views.entry_edit, name="entry_edit"),
    path("entry/<int:pk>/delete/", views.entry_delete, name="entry_delete"),
    path("attachment/<int:pk>/", views.attachment, name="attachment"),
]
