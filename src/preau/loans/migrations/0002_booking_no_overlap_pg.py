"""On PostgreSQL, the database itself refuses two overlapping active bookings of one asset.

The service already checks under a row lock (``loans.services.book``); this exclusion
constraint is the second belt. It needs no extension: ``int8range(id, id, '[]') WITH =``
stands in for ``loanable_id WITH =`` (which would need btree_gist). Other databases
(SQLite in development and tests) rely on the service alone.
"""

from django.db import migrations

CONSTRAINT = "loans_booking_no_overlap"
CREATE = f"""
ALTER TABLE loans_booking ADD CONSTRAINT {CONSTRAINT} EXCLUDE USING gist (
    int8range(loanable_id, loanable_id, '[]') WITH =,
    tstzrange(starts_at, ends_at, '[)') WITH &&
) WHERE (status IN ('booked', 'checked_out'))
"""
DROP = f"ALTER TABLE loans_booking DROP CONSTRAINT IF EXISTS {CONSTRAINT}"


def _on_postgresql(sql: str):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("loans", "0001_initial")]

    operations = [migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP))]
