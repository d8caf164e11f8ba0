"""URLs of the programme's data pages, added to the app's URL map by ``urls.py``:
indicators, the accounting import, the rollout's evidence files and checklists."""

from __future__ import annotations

from django.urls import URLPattern, path

from preau.programme import views_import, views_indicators, views_rollout

urlpatterns: list[URLPattern] = [
    path("<int:pk>/indicators/", views_indicators.indicator_list, name="indicators"),
    path(
        "<int:pk>/indicators/<slug:code>/",
        views_indicators.indicator_set,
        name="indicator_set",
    ),
    path(
        "<int:pk>/indicators/<slug:code>/clear/",
        views_indicators.indicator_clear,
        name="indicator_clear",
    ),
    path("<int:pk>/import/", views_import.import_accounting, name="import_accounting"),
    path(
        "<int:pk>/import/<str:token>/",
        views_import.import_preview,
        name="import_accounting_preview",
    ),
    path(
        "<int:pk>/import/<str:token>/apply/",
        views_import.import_apply,
        name="import_accounting_apply",
    ),
    path("<int:pk>/rollout/plan/", views_rollout.plan_rollout, name="plan_rollout"),
    path("milestone/<int:pk>/evidence/", views_rollout.attach_evidence, name="milestone_attach"),
]
