"""The inbox search's trigram indexes take new cases at once (PostgreSQL; a no-op elsewhere).

GIN indexes collect new entries in an unsorted pending list by default
(``fastupdate``) and merge them only at VACUUM, autovacuum or when the list
outgrows ``gin_pending_list_limit`` (4 MB). Every search reads the whole list:
with 100,000 cases inserted after 0002 it held about 390 pages per index, and a
name search spent 7 ms per query there instead of 1 ms. Cases arrive one by one,
so updating the index directly on insert costs little. The entries already
waiting are merged now.
"""

from django.db import migrations

INDEXES = ("case_applicant_trgm", "case_reference_trgm")


def _existing(schema_editor) -> list[str]:
    with schema_editor.connection.cursor() as cursor:
        found = []
        for name in INDEXES:
            cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [name])
            if cursor.fetchone()[0]:
                found.append(name)
        return found


def without_pending_list(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in _existing(schema_editor):
        schema_editor.execute(f"ALTER INDEX {name} SET (fastupdate = off)")
        schema_editor.execute("SELECT gin_clean_pending_list(%s::regclass)", [name])


def with_pending_list(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in _existing(schema_editor):
        schema_editor.execute(f"ALTER INDEX {name} RESET (fastupdate)")


class Migration(migrations.Migration):
    dependencies = [("cases", "0004_audit_actions_print_raffle")]

    operations = [migrations.RunPython(without_pending_list, with_pending_list)]
