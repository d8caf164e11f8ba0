from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "preau.demo"
    label = "demo"
    verbose_name = "Demo world"

    def ready(self) -> None:
        from preau.demo import audit_labels  # noqa: F401  (registers)
