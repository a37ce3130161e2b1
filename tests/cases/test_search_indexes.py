"""The inbox search's trigram indexes (migrations 0002 and 0005): PostgreSQL only, nothing elsewhere."""

import importlib
import types

import pytest
from django.apps import apps
from django.db import connection

TRIGRAM_MIGRATIONS = ("0002_search_trigram_indexes", "0005_search_trigram_indexes_without_pending_list")


def _recording_editor() -> types.SimpleNamespace:
    editor = types.SimpleNamespace(connection=connection, statements=[])
    editor.execute = lambda sql, params=(): editor.statements.append(sql)
    return editor


@pytest.mark.django_db
def test_the_trigram_migrations_do_nothing_outside_postgresql():
    if connection.vendor == "postgresql":
        pytest.skip("the SQLite case")
    editor = _recording_editor()
    for name in TRIGRAM_MIGRATIONS:
        migration = importlib.import_module(f"amtsweg.cases.migrations.{name}")
        for operation in migration.Migration.operations:
            operation.code(apps, editor)
            operation.reverse_code(apps, editor)
    assert editor.statements == []


@pytest.mark.django_db
def test_the_trigram_indexes_take_new_cases_without_a_pending_list():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, am.amname, c.reloptions FROM pg_class c JOIN pg_am am ON am.oid = c.relam "
            "WHERE c.relname IN ('case_applicant_trgm', 'case_reference_trgm') ORDER BY c.relname"
        )
        rows = cursor.fetchall()
    assert rows == [
        ("case_applicant_trgm", "gin", ["fastupdate=off"]),
        ("case_reference_trgm", "gin", ["fastupdate=off"]),
    ]
