from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "preau.news"
    label = "news"
    verbose_name = "News"

    def ready(self) -> None:
        from preau.news import (  # noqa: F401  (they register)
            access,
            audit_labels,
            navigation,
            notification_kinds,
        )
