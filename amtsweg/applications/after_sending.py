"""Where the citizen goes once an application is sent, or paid when it has a fee."""

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from amtsweg.appointments.selectors import booking_at_once_url


def redirect_after_sending(request: HttpRequest, submission: Any) -> HttpResponse:
    """The confirmation page; or, for a form whose next step is booked at once, the booking page of the case
    (the reference number and the access code reach the citizen by email and on the status page)."""
    url = booking_at_once_url(submission=submission)
    if url is None:
        return redirect("applications:confirmation", uuid=submission.uuid)
    messages.success(
        request,
        _("Your application %(reference)s has been received. Now choose a time for your appointment.")
        % {"reference": submission.reference},
    )
    return redirect(url)
