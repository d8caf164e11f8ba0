from django.urls import path

from preau.directory import views

app_name = "directory"
urlpatterns = [
    path("schools/", views.school_list, name="school_list"),
    path("pupils/", views.pupil_list, name="pupil_list"),
]
