"""The Deploy task's agent-facing paths, at the root (included from the agents' urls).

No login: agents authenticate by their DEVICEID (and site tag), as for inventory.
"""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
