from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "preau.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from preau.notifications import access, audit_labels, navigation  # noqa: F401
