"""Contact requests to the immigration office, as its form sends them (the answer keys of the submission), opened
as cases the way the applications engine opens them (``case_open`` runs the case hooks)."""

import datetime

from django.utils import timezone

from amtsweg.cases.services import case_open
from amtsweg.catalogue.models import Department, Service
from tests.accounts.factories import StaffFactory
from tests.applications.factories import SubmissionFactory
from tests.cases.factories import form_version_for

SERVICE = "zuwanderung-kontakt"


def answers(**overrides):
    """The answers of a request to extend a residence permit, by phone, with an interpreter for Arabic."""
    values = {
        "topic": "extend_permit",
        "permit_expiry": (timezone.localdate() + datetime.timedelta(days=30)).isoformat(),
        "request_text": "Mein Aufenthaltstitel läuft bald ab.",
        "contact_preference": "phone",
        "phone": "0561 123456",
        "call_times": ["morning"],
        "email": "amira@example.org",
        "interpreter": True,
        "interpreter_language": "Arabisch",
        "applicant_name": "Amira Haddad",
    }
    values.update(overrides)
    return {key: value for key, value in values.items() if value is not None}


def contact_request(*, language="de", **overrides):
    """An opened case of the contact form with these answers (``permit_expiry=None`` leaves the date out)."""
    service = Service.objects.get(slug=SERVICE)
    given = answers(**overrides)
    submission = SubmissionFactory(
        form_version=form_version_for(service),
        answers=given,
        language=language,
        email=given.get("email", ""),
        applicant_name=given.get("applicant_name", ""),
    )
    submission.submitted_at = timezone.now()
    submission.save(update_fields=["submitted_at"])
    return case_open(submission=submission)


def immigration_staff(**kwargs):
    return StaffFactory(departments=[Department.objects.get(slug="zuwanderung")], **kwargs)
