"""Where the citizen goes once an application is sent, or paid when it has a fee; and what a service module
does right then (``after_sending_hooks``).

A service module may register a function for its catalogue slug that runs once the citizen's application is
sent (and paid, for a fee), in the citizen's own request, before the redirect to the confirmation page::

    from amtsweg.applications.after_sending import after_sending_hooks

    @after_sending_hooks.register("kfz-neuzulassung")
    def send_at_once(*, submission) -> None:
        ...  # e.g. send the application to a register now, so the confirmation page shows its decision

It runs outside any transaction, so it may call an outside service (with a short timeout: the citizen waits).
It must be idempotent (the citizen may reload the payment's return page) and may not rely on running at all:
anything it does must also be done by a background task. An exception is logged and never reaches the
citizen: the redirect happens all the same.
"""

import logging
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from amtsweg.appointments.selectors import booking_at_once_url
from amtsweg.core.registry import Registry, qualified_name

logger = logging.getLogger(__name__)

AfterSending = Callable[..., Any]

after_sending_hooks: Registry[AfterSending] = Registry(kind="after-sending hook", unique=False)


def after_sending_run(*, submission: Any) -> None:
    """Run the service's after-sending functions for ``submission``; an error is logged, never raised."""
    for function in after_sending_hooks.entries(submission.service.slug):
        try:
            function(submission=submission)
        except Exception:
            name = qualified_name(function)
            logger.exception("after-sending hook %s failed for submission %s", name, submission.uuid)


def redirect_after_sending(request: HttpRequest, submission: Any) -> HttpResponse:
    """The confirmation page; or, for a form whose next step is booked at once, the booking page of the case
    (the reference number and the access code reach the citizen by email and on the status page). The
    service's after-sending functions run first (``after_sending_hooks``)."""
    after_sending_run(submission=submission)
    url = booking_at_once_url(submission=submission)
    if url is None:
        return redirect("applications:confirmation", uuid=submission.uuid)
    messages.success(
        request,
        _("Your application %(reference)s has been received. Now choose a time for your appointment.")
        % {"reference": submission.reference},
    )
    return redirect(url)
