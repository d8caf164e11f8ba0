"""Compliance pages (included in ``preau.fleet.urls``, namespace ``fleet``)."""

from django.urls import URLPattern, path

from preau.fleet import views_compliance

urlpatterns: list[URLPattern] = [
    path("compliance/", views_compliance.compliance_dashboard, name="compliance_dashboard"),
]
