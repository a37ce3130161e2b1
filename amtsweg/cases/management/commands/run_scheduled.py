from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends

from amtsweg.appointments.services import appointments_remind, holds_expire
from amtsweg.appointments.tasks import appointments_housekeeping_task
from amtsweg.cases.retention import retention_run, retention_run_task
from amtsweg.feedback.services import raffle_contact_purge
from amtsweg.feedback.tasks import feedback_housekeeping_task
from amtsweg.payments.services import payment_reconcile
from amtsweg.payments.tasks import payment_reconcile_task


class Command(BaseCommand):
    help = (
        "Run the periodic jobs: queue the payment reconciliation (pending payments asked at the provider, unpaid "
        "ones expired) and the retention job (closed cases past their retention period, abandoned drafts and "
        "lapsed unpaid submissions) for the task worker, and prune old task results. Call it from cron or a "
        "systemd timer, e.g. every 5 minutes; --now runs the jobs in this process instead of queueing them."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--now", action="store_true", help="Run the retention job here instead of queueing it.")

    def handle(self, *args, now: bool = False, **options):  # type: ignore[no-untyped-def]
        if now:
            paid = payment_reconcile()
            self.stdout.write(
                f"payments: {paid.asked} asked, {paid.changed} settled, {paid.unavailable} provider unavailable, "
                f"{paid.expired} expired"
            )
            self.stdout.write(f"appointments: {appointments_remind()} reminded, {holds_expire()} holds expired")
            result = retention_run()
            self.stdout.write(
                f"retention: {result.cases_deleted} cases deleted, {result.cases_failed} failed, "
                f"{result.drafts_deleted} drafts deleted"
            )
            self.stdout.write(f"feedback: {raffle_contact_purge()} raffle contacts deleted")
        else:
            queued = appointments_housekeeping_task.enqueue()
            self.stdout.write(f"queued appointments_housekeeping_task ({queued.id})")
            queued = payment_reconcile_task.enqueue()
            self.stdout.write(f"queued payment_reconcile_task ({queued.id})")
            queued = retention_run_task.enqueue()
            self.stdout.write(f"queued retention_run_task ({queued.id})")
            queued = feedback_housekeeping_task.enqueue()
            self.stdout.write(f"queued feedback_housekeeping_task ({queued.id})")
        if _database_queue():
            # Finished task rows keep their arguments; two weeks is enough to look into a failure.
            call_command("prune_db_task_results", queue_name="*", min_age_days=14, verbosity=0)


def _database_queue() -> bool:
    try:
        from django_tasks_db.backend import DatabaseBackend
    except ImportError:  # pragma: no cover
        return False
    return isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], DatabaseBackend)
