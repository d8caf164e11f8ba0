"""Accent- and case-insensitive search, the same on SQLite and PostgreSQL.

Families and staff type "ecole", "lea", "francois": they must find "École", "Léa",
"François". ``name__fold__contains=fold(word)`` compares both sides folded (lower case,
no accents, œ → oe). PostgreSQL's ``unaccent`` would need a superuser to install an
extension, so the fold is written with ``translate``; SQLite gets a deterministic Python
function registered on each connection.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import CharField, TextField, Transform
from django.db.models.sql.compiler import SQLCompiler

_ACCENTED = "àáâäãåçèéêëìíîïñòóôöõùúûüýÿÀÁÂÄÃÅÇÈÉÊËÌÍÎÏÑÒÓÔÖÕÙÚÛÜÝ’"
_PLAIN = "aaaaaaceeeeiiiinooooouuuuyyaaaaaaceeeeiiiinooooouuuuy'"


def fold(text: str) -> str:
    text = text.replace("œ", "oe").replace("Œ", "oe").replace("æ", "ae").replace("Æ", "ae")
    decomposed = unicodedata.normalize("NFKD", text.replace("’", "'"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def _sqlite_fold(value: Any) -> str | None:
    return None if value is None else fold(str(value))


class Fold(Transform):
    lookup_name = "fold"
    output_field = CharField()

    def as_sql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, *args: Any, **extra: Any
    ) -> Any:
        lhs, params = compiler.compile(self.lhs)
        return f"preau_fold({lhs})", params

    def as_postgresql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any
    ) -> tuple[str, Any]:
        lhs, params = compiler.compile(self.lhs)
        sql = (
            f"lower(translate(replace(replace(replace(replace({lhs}, 'œ', 'oe'), 'Œ', 'oe'), "
            f"'æ', 'ae'), 'Æ', 'ae'), %s, %s))"
        )
        return sql, (*params, _ACCENTED, _PLAIN)


def register_sqlite_fold(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_function("preau_fold", 1, _sqlite_fold, deterministic=True)


CharField.register_lookup(Fold)
TextField.register_lookup(Fold)
