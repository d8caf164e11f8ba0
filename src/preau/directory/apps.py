from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "preau.directory"
    label = "directory"
    verbose_name = "Directory"

    def ready(self) -> None:
        from preau.directory import access, audit_labels, navigation  # noqa: F401  (registers)
