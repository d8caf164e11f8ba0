from django.urls import URLPattern, path

from preau.fleet import urls_compliance, urls_deploy, views, views_devices, views_labels

app_name = "fleet"
urlpatterns: list[URLPattern] = [
    path("", views.asset_list, name="asset_list"),
    path("assets/new/", views.asset_create, name="asset_create"),
    path("assets/<int:pk>/", views.asset_detail, name="asset_detail"),
    path("assets/<int:pk>/edit/", views.asset_edit, name="asset_edit"),
    path("assets/<int:pk>/status/", views.asset_transition, name="asset_transition"),
    path("a/<str:code>", views.asset_by_code, name="asset_by_code"),
    path("labels.pdf", views_labels.labels_pdf, name="labels_pdf"),
    path("import/", views_labels.delivery_import, name="delivery_import"),
    path("devices/", views_devices.device_list, name="device_list"),
    path("devices/<int:pk>/", views_devices.device_detail, name="device_detail"),
    path("agents/", views_devices.agents, name="agents"),
    path("agents/tags/<int:pk>/remove/", views_devices.agent_tag_remove, name="agent_tag_remove"),
]
urlpatterns += urls_deploy.urlpatterns + urls_compliance.urlpatterns
