"""Compliance pages (included in ``preau.fleet.urls``, namespace ``fleet``)."""

from django.urls import URLPattern, path

from preau.fleet import views_compliance, views_compliance_rules

urlpatterns: list[URLPattern] = [
    path("compliance/", views_compliance.compliance_dashboard, name="compliance_dashboard"),
    path("compliance/devices/", views_compliance.compliance_devices, name="compliance_devices"),
    path(
        "compliance/devices.csv",
        views_compliance.compliance_devices_csv,
        name="compliance_devices_csv",
    ),
    path("compliance/rules/", views_compliance_rules.rule_list, name="compliance_rules"),
    path(
        "compliance/rules/new/", views_compliance_rules.rule_create, name="compliance_rule_create"
    ),
    path(
        "compliance/rules/<int:pk>/", views_compliance_rules.rule_edit, name="compliance_rule_edit"
    ),
    path(
        "compliance/rules/<int:pk>/toggle/",
        views_compliance_rules.rule_toggle,
        name="compliance_rule_toggle",
    ),
    path(
        "compliance/rules/<int:pk>/delete/",
        views_compliance_rules.rule_delete,
        name="compliance_rule_delete",
    ),
    path("compliance/evaluate/", views_compliance_rules.evaluate_now, name="compliance_evaluate"),
]
