"""Certificate orders in the fulfilment queue, for the fulfilment and service-level tests."""

import datetime

import pytest
from django.utils import timezone

from amtsweg.cases.services import case_open
from amtsweg.catalogue.models import Department, Service
from amtsweg.civil_status.models import CertificateOrder
from tests.accounts.factories import StaffFactory
from tests.applications.factories import SubmissionFactory
from tests.cases.factories import form_version_for
from tests.payments.factories import paid_payment

DELIVERY = {"street": "Wilhelmshöher Allee", "number": "19", "postcode": "34117", "town": "Kassel"}


def standesamt_staff(**kwargs):
    return StaffFactory(departments=[Department.objects.get(slug="standesamt")], **kwargs)


def buergerbuero_staff(**kwargs):
    return StaffFactory(departments=[Department.objects.get(slug="buergerbuero")], **kwargs)


def order(*, service="geburtsurkunde", copies=2, paid=True, language="de", paid_at=None) -> CertificateOrder:
    """An order as after checkout: the submission, its payment (paid through the demo provider), the case opened."""
    service = Service.objects.get(slug=service)
    submission = SubmissionFactory(
        form_version=form_version_for(service),
        language=language,
        answers={
            "applicant_name": {"given_names": "Erika", "family_name": "Mustermann"},
            "copies": copies,
            "delivery_abroad": False,
            "delivery_address": dict(DELIVERY),
            "email": "erika@example.org",
        },
    )
    if paid:
        payment = paid_payment(submission=submission, amount_cents=1200 + 600 * (copies - 1))
        if paid_at is not None:
            type(payment).objects.filter(pk=payment.pk).update(paid_at=paid_at)
    case = case_open(submission=submission)
    result = CertificateOrder.objects.get(case=case)
    if paid_at is not None:
        result.paid_at = paid_at
        result.save(update_fields=["paid_at"])
    return result


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@pytest.fixture(autouse=False)
def back_office(settings, tmp_path):
    """Files in a temporary folder, no second factor for staff."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.STAFF_2FA_REQUIRED = False
    return settings
