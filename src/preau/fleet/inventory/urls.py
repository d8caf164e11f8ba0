"""The agents' root-level paths (included once from ``preau.urls``).

OCS agents post to ``/ocsinventory`` (no trailing slash); FusionInventory agents set up
for GLPI's plugin post to ``/plugins/fusioninventory/``; GLPI agents to
``/front/inventory.php``. ``PREAU_OCS_PATH`` adds a path of the admin's choice. Every
path accepts every dialect: the body's bytes tell them apart.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import URLPattern, path

from preau.fleet.deploy.urls import urlpatterns as deploy_urlpatterns
from preau.fleet.inventory.views import agent_endpoint

urlpatterns: list[URLPattern] = [
    path("ocsinventory", agent_endpoint, name="fleet_ocsinventory"),
    path("plugins/fusioninventory/", agent_endpoint, name="fleet_fusioninventory"),
    path("front/inventory.php", agent_endpoint, name="fleet_glpi_inventory"),
]
urlpatterns += deploy_urlpatterns
if settings.PREAU_OCS_PATH:
    urlpatterns.append(path(settings.PREAU_OCS_PATH, agent_endpoint, name="fleet_agent_custom"))
