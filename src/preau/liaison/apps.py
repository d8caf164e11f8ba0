from django.apps import AppConfig


class LiaisonConfig(AppConfig):
    name = "preau.liaison"
    label = "liaison"
    verbose_name = "Liaison"

    def ready(self) -> None:
        from preau.liaison import (  # noqa: F401  (registers)
            access,
            audit_labels,
            navigation,
            notification_kinds,
        )
