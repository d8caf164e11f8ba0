from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "preau.home"
    label = "home"
    verbose_name = "Home pages"
