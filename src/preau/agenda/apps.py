from django.apps import AppConfig


class AgendaConfig(AppConfig):
    name = "preau.agenda"
    label = "agenda"
    verbose_name = "Agenda"

    def ready(self) -> None:
        from preau.agenda import access, audit_labels, navigation  # noqa: F401  (registers)
