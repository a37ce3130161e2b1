"""gunicorn's hooks for the metrics' multiprocess mode (``--config python:amtsweg.gunicorn_conf``).

With ``PROMETHEUS_MULTIPROC_DIR`` set, each worker writes its request figures to files in that folder and a
scrape adds them up (core/metrics.py). The folder is emptied when gunicorn starts, so that figures of an earlier
run are not counted again, and a worker that ends is marked dead, so that its live figures drop out. Without
the variable these hooks do nothing. Options given on the command line (bind, workers) still apply.
"""

import os
from pathlib import Path
from typing import Any


def on_starting(server: Any) -> None:
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if not folder:
        return
    path = Path(folder)
    path.mkdir(parents=True, exist_ok=True)
    for stale in path.glob("*.db"):
        stale.unlink()


def child_exit(server: Any, worker: Any) -> None:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
