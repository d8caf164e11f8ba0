from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "preau.core"
    label = "core"
    verbose_name = "Préau core"
