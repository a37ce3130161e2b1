from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.tasks import DEFAULT_TASK_BACKEND_ALIAS, Task, task_backends
from django.utils.module_loading import import_string

from amtsweg.core.taskrecovery import tasks_recover


class Command(BaseCommand):
    help = (
        "Run the periodic jobs listed in settings.SCHEDULED_TASKS (the payment reconciliation, the retention job, "
        "the appointments' and the feedback module's housekeeping): queue them for the task worker, put back in "
        "the queue the tasks of a worker that died, and prune old task results. Call it from cron or a systemd "
        "timer, e.g. every 5 minutes; --now runs the jobs in this process instead of queueing them."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--now", action="store_true", help="Run the jobs here instead of queueing them.")

    def handle(self, *args, now: bool = False, **options):  # type: ignore[no-untyped-def]
        # Here as well as in every worker (core/management/commands/db_worker.py): the timer's log says
        # what was put back, and it covers workers started without our db_worker command.
        self.stdout.write(f"tasks of dead workers: {_report(tasks_recover())}")
        for scheduled in scheduled_tasks():
            if now:
                self.stdout.write(f"{scheduled.name}: {_report(scheduled.call())}")
            else:
                queued = scheduled.enqueue()
                self.stdout.write(f"queued {scheduled.name} ({queued.id})")
        if _database_queue():
            # Finished task rows keep their arguments; two weeks is enough to look into a failure.
            call_command("prune_db_task_results", queue_name="*", min_age_days=14, verbosity=0)


def scheduled_tasks() -> list[Task]:
    """The tasks named in settings.SCHEDULED_TASKS, in their order."""
    return [import_string(path) for path in settings.SCHEDULED_TASKS]


def _report(result: Any) -> str:
    """A task's counts as words: {"cases_deleted": 1} becomes "1 cases deleted"."""
    if isinstance(result, dict):
        return ", ".join(f"{value} {key.replace('_', ' ')}" for key, value in result.items())
    return str(result)


def _database_queue() -> bool:
    try:
        from django_tasks_db.backend import DatabaseBackend
    except ImportError:  # pragma: no cover
        return False
    return isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], DatabaseBackend)
