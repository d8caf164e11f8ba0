"""URLs of the programme's claims pages, added to the app's URL map by ``urls.py``."""

from __future__ import annotations

from django.urls import URLPattern, path

from preau.programme import views_claims as v

urlpatterns: list[URLPattern] = [
    path("<int:pk>/claims/", v.claim_list, name="claims"),
    path("<int:pk>/claims/new/", v.claim_create, name="claim_create"),
    path("claims/<int:pk>/", v.claim_detail, name="claim"),
    path("claims/<int:pk>/edit/", v.claim_edit, name="claim_edit"),
    path("claims/<int:pk>/add/", v.claim_add, name="claim_add"),
    path("claims/<int:pk>/remove/", v.claim_remove, name="claim_remove"),
    path("claims/<int:pk>/submit/", v.claim_submit, name="claim_submit"),
    path("claims/<int:pk>/receive/", v.claim_receive, name="claim_receive"),
    path("claims/<int:pk>/delete/", v.claim_delete, name="claim_delete"),
    path("claims/<int:pk>/statement.pdf", v.claim_pdf, name="claim_pdf"),
    path("claims/<int:pk>/statement.xlsx", v.claim_xlsx, name="claim_xlsx"),
    path("claims/<int:pk>/scans.zip", v.claim_scans, name="claim_scans"),
]
