from django.apps import AppConfig


class FleetConfig(AppConfig):
    name = "preau.fleet"
    label = "fleet"
    verbose_name = "Fleet"

    def ready(self) -> None:
        from preau.fleet import access, audit_labels, navigation  # noqa: F401  (registers)
        from preau.fleet.compliance import audit_labels as _compliance  # noqa: F401
        from preau.fleet.compliance import tasks as _compliance_tasks  # noqa: F401
        from preau.fleet.deploy import notify as _deploy_kinds  # noqa: F401
