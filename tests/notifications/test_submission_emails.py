import pytest
from django.core import mail
from django_tasks_db.models import DBTaskResult

from amtsweg.applications.models import Submission
from amtsweg.notifications.constants import NotificationKind, NotificationStatus
from amtsweg.notifications.models import Notification
from amtsweg.notifications.services import notify_submission_received
from amtsweg.notifications.tasks import notification_send
from tests.cases.factories import CaseFactory
from tests.documents.pdftext import pdf_text

from .checks import assert_tasks_carry_only_notification_uuids

pytestmark = pytest.mark.django_db(transaction=True)

ACCESS_CODE = "7KQ2-M9XD"


def _case(language="de", email="erika@example.org", department_email="buergerbuero@kassel.example"):  # type: ignore[no-untyped-def]
    return CaseFactory(
        submission__language=language,
        submission__email=email,
        submission__form_version__service__department__email=department_email,
    )


def _to(address):  # type: ignore[no-untyped-def]
    return [m for m in mail.outbox if m.to == [address]]


def test_german_confirmation_has_reference_access_code_status_link_and_the_pdf(run_tasks):
    case = _case(language="de")
    submission = case.submission

    notify_submission_received(submission=submission, access_code=ACCESS_CODE)
    run_tasks()

    [message] = _to("erika@example.org")
    assert message.subject.startswith("Ihr Antrag ist eingegangen")
    assert submission.reference in message.subject
    assert "Ihre Vorgangsnummer: " + submission.reference in message.body
    assert "Ihr Zugangscode: " + ACCESS_CODE in message.body
    assert "Wie geht es weiter?" in message.body
    assert "http://127.0.0.1:8000/status/" in message.body
    assert "Rufen Sie die Behördennummer 115 oder 0561 115 an." in message.body
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    assert '<html lang="de" dir="ltr">' in html and ACCESS_CODE in html
    [(filename, content, content_type)] = message.attachments
    assert filename == f"{submission.reference}.pdf"
    assert content_type == "application/pdf"
    text = pdf_text(content)
    assert submission.reference in text and "Erika Mustermann" in text and "Ihre Angaben" in text


def test_english_confirmation_is_written_in_english_with_an_english_pdf(run_tasks):
    submission = _case(language="en").submission

    notify_submission_received(submission=submission, access_code=ACCESS_CODE)
    run_tasks()

    [message] = _to("erika@example.org")
    assert message.subject.startswith("We have received your application")
    assert "Your access code: " + ACCESS_CODE in message.body
    assert "What happens next" in message.body
    assert "/en/status/" in message.body
    [(html, _mimetype)] = message.alternatives
    assert '<html lang="en" dir="ltr">' in html
    [(_filename, content, _type)] = message.attachments
    text = pdf_text(content)
    assert "About you" in text and "City of Kassel" in text


def test_department_gets_the_reference_and_a_back_office_link_but_no_personal_data(run_tasks):
    case = _case()

    notify_submission_received(submission=case.submission, access_code=ACCESS_CODE)
    run_tasks()

    [message] = _to("buergerbuero@kassel.example")
    assert case.reference in message.subject
    assert f"http://127.0.0.1:8000/intern/faelle/{case.uuid}/" in message.body
    everything = message.subject + message.body + message.alternatives[0][0]
    for personal in ("Erika", "Mustermann", "erika@example.org", ACCESS_CODE):
        assert personal not in everything
    assert message.attachments == []


def test_the_access_code_never_enters_the_task_queue_and_is_blanked_on_the_row_after_sending(run_tasks):
    submission = _case().submission

    notify_submission_received(submission=submission, access_code=ACCESS_CODE)
    confirmation = Notification.objects.get(kind=NotificationKind.SUBMISSION_CONFIRMATION)
    assert confirmation.sealed and ACCESS_CODE not in confirmation.sealed  # kept, encrypted
    assert_tasks_carry_only_notification_uuids(ACCESS_CODE, "erika@example.org")
    run_tasks()

    assert ACCESS_CODE in _to("erika@example.org")[0].body
    assert len(mail.outbox) == 2
    assert not any(ACCESS_CODE in str(row.args_kwargs) for row in DBTaskResult.objects.all())
    confirmation.refresh_from_db()
    assert confirmation.sealed == ""


def test_the_generated_pdf_is_kept_for_the_status_page(run_tasks):
    submission = _case().submission

    notify_submission_received(submission=submission, access_code=ACCESS_CODE)
    run_tasks()

    submission.refresh_from_db()
    assert submission.summary_pdf.endswith(".pdf")


def test_without_an_email_address_only_the_department_is_told(run_tasks):
    submission = _case(email="").submission

    notify_submission_received(submission=submission, access_code=ACCESS_CODE)
    run_tasks()

    assert [m.to for m in mail.outbox] == [["buergerbuero@kassel.example"]]


def test_a_department_without_an_email_address_gets_nothing(run_tasks):
    submission = _case(department_email="").submission

    notify_submission_received(submission=submission, access_code=ACCESS_CODE)
    run_tasks()

    assert [m.to for m in mail.outbox] == [["erika@example.org"]]


def test_notifying_twice_queues_each_email_once(run_tasks):
    submission = _case().submission

    notify_submission_received(submission=submission, access_code=ACCESS_CODE)
    notify_submission_received(submission=submission, access_code=ACCESS_CODE)
    run_tasks()

    assert len(mail.outbox) == 2
    assert Notification.objects.count() == 2


def test_a_sent_email_is_not_sent_again_when_its_task_runs_again(run_tasks):
    submission = _case().submission
    notify_submission_received(submission=submission, access_code=ACCESS_CODE)
    run_tasks()
    confirmation = Notification.objects.get(kind=NotificationKind.SUBMISSION_CONFIRMATION)
    assert confirmation.status == NotificationStatus.SENT

    notification_send.enqueue(notification_uuid=str(confirmation.uuid))
    run_tasks()

    assert len(mail.outbox) == 2
    confirmation.refresh_from_db()
    assert confirmation.attempts == 1
    assert Submission.objects.filter(pk=submission.pk).exists()


def test_department_is_not_told_of_a_submission_whose_fee_is_unpaid(run_tasks):
    """A fee-bearing submission has no case until it is paid: the department hears of it then."""
    from tests.payments.factories import PaymentFactory

    payment = PaymentFactory(submission__email="", submission__service__department__email="buergerbuero@kassel.example")

    notify_submission_received(submission=payment.submission, access_code=ACCESS_CODE)
    run_tasks()

    assert mail.outbox == []
