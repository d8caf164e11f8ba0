from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "preau.messaging"
    label = "messaging"
    verbose_name = "Messaging"

    def ready(self) -> None:
        from preau.messaging import (  # noqa: F401  (registers)
            access,
            audit_labels,
            navigation,
            notification_kinds,
        )
