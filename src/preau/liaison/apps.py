from django.apps import AppConfig


class LiaisonConfig(AppConfig):
    name = "preau.liaison"
    label = "liaison"
    verbose_name = "Liaison"
