"""The test database as a DATABASE_URL, for a worker or a server that a test starts in another process."""

from urllib.parse import quote

import pytest
from django.db import connection


def database_url() -> str:
    """pytest-django's test database as a DATABASE_URL; skips the test where another process cannot share it."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        name = str(db["NAME"])
        if name == ":memory:" or name.startswith("file:"):
            pytest.skip("the test database is in memory: a process of its own cannot share it")
        return f"sqlite:///{name}"
    if connection.vendor == "postgresql":
        auth = quote(db["USER"] or "", safe="")
        if db["PASSWORD"]:
            auth += ":" + quote(db["PASSWORD"], safe="")
        port = f":{db['PORT']}" if db["PORT"] else ""
        return f"postgres://{auth}@{db['HOST'] or 'localhost'}{port}/{quote(db['NAME'], safe='')}"
    pytest.skip(f"a process of its own is started only against SQLite or PostgreSQL, not {connection.vendor}")
