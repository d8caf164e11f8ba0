from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "preau.core"
    label = "core"
    verbose_name = "Préau core"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from preau.core.search import register_sqlite_fold

        # The one signal core listens to: a database function, not business logic.
        connection_created.connect(register_sqlite_fold, dispatch_uid="preau_sqlite_fold")
