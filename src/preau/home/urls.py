from django.urls import path

from preau.home import views

app_name = "home"
urlpatterns = [path("", views.index, name="index")]
