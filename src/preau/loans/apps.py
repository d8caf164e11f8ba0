from django.apps import AppConfig


class LoansConfig(AppConfig):
    name = "preau.loans"
    label = "loans"
    verbose_name = "Loans"

    def ready(self) -> None:
        from preau.loans import (  # noqa: F401  (registers)
            access,
            audit_labels,
            navigation,
            notification_kinds,
        )
