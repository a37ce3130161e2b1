"""Signed links in the emails: confirm (double opt-in) and manage (ics, cancel, rebook)."""

from __future__ import annotations

from django.core import signing

from .errors import AppointmentError
from .models import Appointment

MAX_AGE = {"confirm": 15 * 60, "manage": 400 * 24 * 3600}


def appointment_token(*, appointment: Appointment, purpose: str) -> str:
    return signing.dumps(str(appointment.uuid), salt=f"amtsweg.appointment.{purpose}")


def appointment_from_token(*, token: str, purpose: str) -> Appointment:
    from django.utils.translation import gettext as _

    try:
        uuid = signing.loads(token, salt=f"amtsweg.appointment.{purpose}", max_age=MAX_AGE[purpose])
    except signing.SignatureExpired:
        raise AppointmentError(_("This link has expired."), status=410) from None
    except signing.BadSignature:
        raise AppointmentError(_("This link is not valid."), status=404) from None
    appointment = Appointment.objects.select_related("location", "service").filter(uuid=uuid).first()
    if appointment is None:
        raise AppointmentError(_("This link is not valid."), status=404)
    return appointment


def case_token(*, case) -> str:  # type: ignore[no-untyped-def]
    """A link from a case's status page to booking its appointment; the booking is then linked to the case."""
    return signing.dumps(str(case.uuid), salt="amtsweg.appointment.case")


def case_from_token(*, token: str):  # type: ignore[no-untyped-def]
    from django.utils.translation import gettext as _

    from amtsweg.cases.models import Case

    try:
        uuid = signing.loads(token, salt="amtsweg.appointment.case", max_age=400 * 24 * 3600)
    except signing.BadSignature:
        raise AppointmentError(_("This link is not valid."), status=404) from None
    case = Case.objects.filter(uuid=uuid).first()
    if case is None:
        raise AppointmentError(_("This link is not valid."), status=404)
    return case
