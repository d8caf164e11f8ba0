"""Deployment pages (included in ``preau.fleet.urls``, namespace ``fleet``)."""

from django.urls import URLPattern, path

from preau.fleet import views_deploy

urlpatterns: list[URLPattern] = [
    path("deploy/", views_deploy.package_list, name="package_list"),
]
