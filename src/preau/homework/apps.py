from django.apps import AppConfig


class HomeworkConfig(AppConfig):
    name = "preau.homework"
    label = "homework"
    verbose_name = "Homework"

    def ready(self) -> None:
        from preau.homework import (  # noqa: F401  (registers)
            access,
            audit_labels,
            navigation,
            notification_kinds,
        )
