from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "preau.notifications"
    label = "notifications"
    verbose_name = "Notifications"
