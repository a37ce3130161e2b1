"""The demo provider's hosted payment page. Not our portal: it stands in for the provider's site."""

import datetime
from functools import partial

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from amtsweg.core.outbox import enqueue_after_commit

from .models import DemoProviderTransaction
from .tasks import demo_notification_send

CHOICES = ("paid", "paid_delayed", "failed", "cancelled")


@require_http_methods(["GET", "POST"])
def page(request: HttpRequest, provider_id: str) -> HttpResponse:
    record = get_object_or_404(DemoProviderTransaction, id=provider_id)
    if record.status != "pending":
        return render(request, "payments/demo/done.html", {"record": record}, status=409)
    error = ""
    if request.method == "POST":
        choice = request.POST.get("outcome", "")
        if choice not in CHOICES:
            error = _("Choose what the demo provider should do")
        else:
            return _decide(record, choice)
    return render(
        request,
        "payments/demo/page.html",
        {"record": record, "error": error, "choice": request.POST.get("outcome", "")},
        status=400 if error else 200,
    )


def _decide(record: DemoProviderTransaction, choice: str) -> HttpResponse:
    delay = int(settings.PAYMENTS["providers"]["demo"].get("delay_seconds", 20))
    # The decision and the provider's notification of it in one transaction (core.outbox).
    with transaction.atomic():
        if choice == "paid_delayed":
            record.status, record.outcome = "processing", "paid"
            record.settle_at = timezone.now() + datetime.timedelta(seconds=delay)
            record.save(update_fields=["status", "outcome", "settle_at"])
            task, status = demo_notification_send.using(run_after=record.settle_at), "paid"
        else:
            record.status = choice
            record.save(update_fields=["status"])
            task, status = demo_notification_send, choice
        enqueue_after_commit(task, partial(task.enqueue, record.id, status))
    return HttpResponseRedirect(record.cancel_url if choice == "cancelled" else record.return_url)
