from django.urls import URLPattern, path

from preau.liaison import views, views_staff

app_name = "liaison"
urlpatterns: list[URLPattern] = [
    path("", views.index, name="index"),
    path("new/", views_staff.compose, name="compose"),
    path("<int:pk>/", views.note_detail, name="note"),
    path("<int:pk>/children/<int:pupil_id>/", views.respond, name="respond"),
    path("<int:pk>/attachment/", views.attachment, name="attachment"),
    path("<int:pk>/tracking/", views_staff.tracking_view, name="tracking"),
    path("<int:pk>/tracking.csv", views_staff.export_csv, name="export_csv"),
    path("<int:pk>/tracking.pdf", views_staff.export_pdf, name="export_pdf"),
    path("<int:pk>/remind/", views_staff.remind, name="remind"),
    path("<int:pk>/deadline/", views_staff.deadline, name="deadline"),
]
