"""The registration office's action on a vehicle application, from the case page's panel "Vehicle registry".

One POST view under the case's back-office address: approve, refuse with a reason, or send again. Staff of the
case's department only (``case_get_for_staff``: 404 for another department's case, after ``staff_required``);
each action is audited by the services. A refusal of the rules (an empty reason, an application already
decided, a double click, a registry that cannot be reached) is a ``CaseError``: the middleware sends staff back
to the case page with the message.
"""

from __future__ import annotations

import uuid as uuid_module

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from amtsweg.accounts.decorators import staff_required
from amtsweg.cases.errors import CaseError
from amtsweg.cases.selectors import case_get_for_staff
from amtsweg.core.http import see_other

from . import services
from .constants import VEHICLE_SERVICES
from .models import VehicleApplication
from .services import SendOutcome
from .staff import RefuseForm

ACTIONS = ("approve", "refuse", "resend")


def _sent_message(outcome: str) -> str:
    if outcome == SendOutcome.UNAVAILABLE:
        return _("The vehicle registry still cannot be reached. The application is kept and sent again later.")
    if outcome == SendOutcome.REVIEW:
        return _("The application was sent. The registry referred it to staff: decide it in this section.")
    if outcome == SendOutcome.BUSY:
        return _("The application is being sent at this moment. Look again in a minute.")
    if outcome == SendOutcome.REFUSED:
        return _("The application was sent and refused by the registry. The citizen was told why.")
    return _("The application was sent and approved by the registry.")


@staff_required
@require_http_methods(["POST"])
def registry_action(request: HttpRequest, uuid: uuid_module.UUID) -> HttpResponse:
    """Approve, refuse (with a reason) or send again the case's vehicle application, then back to the case."""
    case = case_get_for_staff(user=request.user, uuid=uuid)
    if case.service.slug not in VEHICLE_SERVICES:
        raise Http404("Not a vehicle registration.")
    application = VehicleApplication.objects.filter(case=case).first()
    if application is None:
        raise Http404("No vehicle application.")
    action = request.POST.get("action", "")
    if action not in ACTIONS:
        raise CaseError(_("Choose what to do with the application."))
    if action == "approve":
        services.vehicle_application_decide(application=application, approve=True, reason="", actor=request.user)
        messages.success(request, _("The application was approved. The citizen can see the decision now."))
    elif action == "refuse":
        form = RefuseForm(request.POST, prefix="refuse")
        if not form.is_valid():
            raise CaseError(" ".join(str(error) for error in form.errors.get("reason", [])))
        services.vehicle_application_decide(
            application=application, approve=False, reason=form.cleaned_data["reason"], actor=request.user
        )
        messages.success(request, _("The application was refused. The citizen reads the reason."))
    else:
        outcome = services.vehicle_application_resend(application=application, actor=request.user)
        messages.info(request, _sent_message(outcome))
    return see_other(reverse("cases:case_detail", kwargs={"uuid": case.uuid}))
