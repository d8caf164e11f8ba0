from django.apps import AppConfig


class FleetConfig(AppConfig):
    name = "preau.fleet"
    label = "fleet"
    verbose_name = "Fleet"

    def ready(self) -> None:
        from preau.fleet import access, audit_labels, navigation  # noqa: F401  (registers)
