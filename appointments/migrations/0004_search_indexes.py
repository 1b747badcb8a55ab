"""Trigram indexes for the officers' search by name and organisation (PostgreSQL only; the embedded SQLite
default has no such index and needs none)."""

from django.db import migrations

COLUMNS = {"expedite_name_trgm": "full_name", "expedite_organisation_trgm": "organisation"}


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, column in COLUMNS.items():
        # The expression Django's icontains produces: UPPER(column::text) LIKE UPPER('%term%').
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON appointments_expediterequest "
            f"USING gin (UPPER({column}::text) gin_trgm_ops)"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("appointments", "0003_staff_permissions")]
    operations = [migrations.RunPython(forwards, backwards)]
