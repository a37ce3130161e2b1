"""The citizen's certificate orders through the form engine, over HTTP, up to the fee and the payment."""

from amtsweg.applications.models import Submission
from amtsweg.payments.models import Payment

from .ordering import GEBURTSURKUNDE, birth_certificate_steps, walk


def test_birth_certificate_for_oneself_is_submitted_and_awaits_payment(
    client, forms, django_capture_on_commit_callbacks
):
    walk(client, GEBURTSURKUNDE, birth_certificate_steps(copies=2))
    check = client.get(f"{GEBURTSURKUNDE}pruefen/")
    assert check.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{GEBURTSURKUNDE}pruefen/", {"declaration": "yes"})
    assert response.status_code == 302
    submission = Submission.objects.get()
    assert submission.answers["copies"] == 2
    assert submission.applicant_name == "Erika Mustermann"
    assert Payment.objects.get(submission=submission).amount_cents == 1800
