"""``manage.py db_worker``: django-tasks-db's worker, which also puts back the tasks of a worker that died.

The library's worker never looks again at a task whose worker was killed while running it (the row
stays RUNNING). This command is the library's, with the same options and behaviour, plus
``core.taskrecovery.tasks_recover`` for the backend it serves: once as it starts, and then every
minute (a quarter of ``TASKS_RECOVER_AFTER_SECONDS`` if that is shorter) in a background thread. So
every worker recovers, including `make run`'s, which has no timer; with several workers each one
checks, and a task goes back once (see ``core.taskrecovery``).

It overrides the library's command of the same name because ``amtsweg.core`` comes before
``django_tasks_db`` in INSTALLED_APPS, Django's documented way to override a management command.
"""

from __future__ import annotations

import logging
import os
import threading
from typing import Any

from django.db import connections
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands.db_worker import Command as LibraryWorkerCommand

from amtsweg.core.taskrecovery import recovery_interval, tasks_recover

logger = logging.getLogger("amtsweg.core.taskrecovery")


class Command(LibraryWorkerCommand):
    help = (
        "Run a database background worker (django-tasks-db). It also puts back in the queue the tasks "
        "of a worker that died (RUNNING for longer than TASKS_RECOVER_AFTER_SECONDS): as it starts and "
        "every minute."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        thread = None
        # With --reload this process only watches the files and a child runs the worker (and recovers).
        if not options.get("reload") or os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
            backend_alias = options["backend_name"]
            _recover(backend_alias)
            thread = RecoveryThread(backend_alias=backend_alias)
            thread.start()
        try:
            super().handle(*args, **options)
        finally:  # --batch and --max-tasks end the worker; a signal ends it with SystemExit
            if thread is not None:
                thread.stopped.set()


def _recover(backend_alias: str) -> None:
    try:
        tasks_recover(backend_alias=backend_alias)
    except Exception:  # the database is away for a moment: the next check tries again
        logger.exception("could not look for the tasks of a dead worker")
    finally:
        connections.close_all()  # this thread's connections only


class RecoveryThread(threading.Thread):
    """Calls ``tasks_recover`` every ``recovery_interval()`` seconds until the process ends."""

    def __init__(self, *, backend_alias: str) -> None:
        super().__init__(name="task-recovery", daemon=True)
        self.backend_alias = backend_alias
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(recovery_interval()):
            _recover(self.backend_alias)
