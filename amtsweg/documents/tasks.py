"""The documents' periodic job, queued by ``manage.py run_scheduled`` (settings.SCHEDULED_TASKS)."""

from django.tasks import task

from .services import sealed_documents_prune


@task
def documents_housekeeping_task() -> dict[str, int]:
    return sealed_documents_prune()
