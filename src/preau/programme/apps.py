from django.apps import AppConfig


class ProgrammeConfig(AppConfig):
    name = "preau.programme"
    label = "programme"
    verbose_name = "Programme and funding"

    def ready(self) -> None:
        from preau.programme import access, audit_labels, navigation  # noqa: F401  (registers)
