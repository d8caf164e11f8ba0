"""The Deploy task's agent-facing paths, at the root (included from the agents' urls).

No login: agents authenticate by their DEVICEID (and site tag), as for inventory. The
paths follow GLPI's FusionInventory plugin (``/plugins/fusioninventory/b/deploy/``), so
a reverse proxy set up for GLPI needs no change; the agent learns them from getConfig.
"""

from django.urls import URLPattern, path

from preau.fleet.deploy import views

_ROOT = "plugins/fusioninventory/b/deploy/"

urlpatterns: list[URLPattern] = [
    path(_ROOT, views.remote, name="fleet_deploy_remote"),
    # The mirror's base URL given to agents; itself always 404.
    path(f"{_ROOT}parts/", views.part, name="fleet_deploy_mirror"),
    path(f"{_ROOT}parts/<str:h0>/<str:h01>/<str:sha512>", views.part, name="fleet_deploy_part"),
]
