"""Checks shared by the tests of every email: what the task queue may hold."""

import uuid

from django_tasks_db.models import DBTaskResult


def assert_tasks_carry_only_notification_uuids(*secrets: str) -> None:
    """Every queued task's arguments are one notification's uuid, and none holds any of ``secrets``."""
    rows = list(DBTaskResult.objects.all())
    assert rows, "no task was queued"
    for row in rows:
        assert row.args_kwargs["args"] == []
        assert list(row.args_kwargs["kwargs"]) == ["notification_uuid"], row.task_path
        uuid.UUID(row.args_kwargs["kwargs"]["notification_uuid"])
        for secret in secrets:
            assert secret not in str(row.args_kwargs)
