from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "preau.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from preau.accounts import access, audit_hooks, audit_labels, navigation  # noqa: F401
