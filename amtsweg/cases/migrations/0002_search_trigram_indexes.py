"""Trigram indexes for the inbox search on PostgreSQL (a no-op elsewhere).

The inbox finds cases by any part of the applicant's name or reference number
(``icontains``), which without these indexes reads every case of the
department. pg_trgm is a trusted extension, so the database owner may create it.
The index expressions match the SQL that Django generates for the lookups in
``cases.selectors.case_list_for_staff``.
"""

from django.db import migrations

INDEXES = {
    "case_applicant_trgm": 'UPPER("applicant_name"::text)',
    "case_reference_trgm": "(REPLACE(UPPER(\"reference\"), '-', ''))::text",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, expression in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON cases_case USING gin (({expression}) gin_trgm_ops)")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
