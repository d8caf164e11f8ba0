from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "preau.home"
    label = "home"
    verbose_name = "Home pages"

    def ready(self) -> None:
        from preau.home import navigation  # noqa: F401  (registers the Home entry)
