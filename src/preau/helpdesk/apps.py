from django.apps import AppConfig


class HelpdeskConfig(AppConfig):
    name = "preau.helpdesk"
    label = "helpdesk"
    verbose_name = "Helpdesk"

    def ready(self) -> None:
        from preau.helpdesk import (  # noqa: F401  (registers)
            access,
            audit_labels,
            navigation,
            notification_kinds,
        )
