"""Background tasks of the notifications module (Django's Tasks API)."""

from django.tasks import TaskContext, task

from .services import notification_deliver


@task(takes_context=True)
def notification_send(context: TaskContext, notification_uuid: str, access_code: str = "") -> str:
    """Send one queued email; idempotent, and it schedules its own retry on failure."""
    try:
        return notification_deliver(notification_uuid=notification_uuid, access_code=access_code)
    finally:
        if access_code:
            _forget_access_code(context)


def _forget_access_code(context: TaskContext) -> None:
    """Blank the access code in the stored task arguments once this run is over.

    django-tasks-db keeps the arguments in its table until results are pruned;
    a retry is queued with its own copy, so this run's copy is not needed. Other
    backends (RQ) keep arguments in their own store, which we cannot edit.
    """
    try:
        from django_tasks_db.backend import DatabaseBackend
        from django_tasks_db.models import DBTaskResult
    except ImportError:  # pragma: no cover - another backend without the package
        return
    if not isinstance(context.task_result.task.get_backend(), DatabaseBackend):
        return
    row = DBTaskResult.objects.filter(id=context.task_result.id).first()
    if row is None:
        return
    args_kwargs = row.args_kwargs
    if args_kwargs.get("kwargs", {}).get("access_code"):
        args_kwargs["kwargs"]["access_code"] = ""
        DBTaskResult.objects.filter(id=row.id).update(args_kwargs=args_kwargs)
