"""The receipt of an extension request (§ 81 Abs. 4 AufenthG): a request made before the permit expires counts
as filed on receipt, so the citizen gets a receipt PDF at once, on the confirmation and the status page and
with the confirmation email. A late request gets no such claim."""

import datetime
import html
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone, translation

from amtsweg.applications.models import Submission
from amtsweg.immigration.selectors import receipt_for
from tests.documents.pdftext import pdf_fonts, pdf_text

from .helpers import fill, send

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


def request_extension(client, capture, expiry: datetime.date, topic: str = "extend_permit") -> Submission:
    fill(client, topic=topic, expiry=expiry)
    return send(client, capture)


def receipt_text(client, submission: Submission) -> str:
    response = client.get(f"/antrag/eingereicht/{submission.uuid}/eingangsbestaetigung.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert f"eingangsbestaetigung-{submission.reference}.pdf" in response["Content-Disposition"]
    return " ".join(pdf_text(response.content).split())


def german_received_at(submission: Submission) -> tuple[str, str]:
    local = timezone.localtime(submission.submitted_at, BERLIN)
    with translation.override("de"):
        from django.utils.formats import date_format, time_format

        return date_format(local.date(), "DATE_FORMAT"), time_format(local.time(), "TIME_FORMAT")


def test_a_timely_extension_request_gets_the_receipt_with_time_reference_expiry_and_legal_effect(
    client, forms, django_capture_on_commit_callbacks
):
    expiry = timezone.localdate() + datetime.timedelta(days=30)
    submission = request_extension(client, django_capture_on_commit_callbacks, expiry)

    confirmation = html.unescape(client.get(f"/antrag/eingereicht/{submission.uuid}/").content.decode())
    assert 'data-receipt="timely"' in confirmation
    assert "Ihr Aufenthaltstitel gilt als fortbestehend, bis wir entschieden haben." in confirmation
    assert f'href="/antrag/eingereicht/{submission.uuid}/eingangsbestaetigung.pdf"' in confirmation

    text = receipt_text(client, submission)
    day, time = german_received_at(submission)
    assert "Eingangsbestätigung" in text and submission.reference in text
    assert f"Eingegangen am {day} um {time} Uhr" in text
    with translation.override("de"):
        from django.utils.formats import date_format

        assert f"Ihr Aufenthaltstitel gilt bis {date_format(expiry, 'DATE_FORMAT')}" in text
    assert "Ihr Aufenthaltstitel gilt als fortbestehend, bis wir entschieden haben." in text
    assert "§ 81 Abs. 4 Satz 1" in text
    assert "Amina Haddad" in text and "Aufenthaltserlaubnis verlängern" in text


def test_a_request_on_the_day_the_permit_expires_is_still_timely(client, forms, django_capture_on_commit_callbacks):
    submission = request_extension(client, django_capture_on_commit_callbacks, timezone.localdate())

    assert receipt_for(submission=submission).timely is True
    text = receipt_text(client, submission)
    assert "gilt als fortbestehend" in text and "abgelaufen" not in text


def test_a_late_request_gets_no_claim_that_the_permit_continues(client, forms, django_capture_on_commit_callbacks):
    expiry = timezone.localdate() - datetime.timedelta(days=1)
    submission = request_extension(client, django_capture_on_commit_callbacks, expiry)

    confirmation = html.unescape(client.get(f"/antrag/eingereicht/{submission.uuid}/").content.decode())
    assert 'data-receipt="late"' in confirmation and "fortbestehend" not in confirmation
    assert "Ihr Aufenthaltstitel war schon abgelaufen, als Ihre Anfrage ankam." in confirmation

    text = receipt_text(client, submission)
    assert "fortbestehend" not in text
    assert "Ihr Aufenthaltstitel war schon abgelaufen, als Ihre Anfrage ankam." in text
    assert "nicht von selbst weiter" in text and "§ 81 Abs. 4 Satz 3" in text


def test_the_day_of_receipt_is_the_day_in_kassel_not_in_utc(client, forms, django_capture_on_commit_callbacks):
    submission = request_extension(client, django_capture_on_commit_callbacks, timezone.localdate())
    expiry = datetime.date(2027, 3, 31)
    submission.answers = {**submission.answers, "permit_expiry": expiry.isoformat()}

    # 23:30 in Kassel on the last day (21:30 UTC in summer time): in time.
    submission.submitted_at = datetime.datetime(2027, 3, 31, 23, 30, tzinfo=BERLIN)
    assert receipt_for(submission=submission).timely is True
    # 00:30 in Kassel the next day, still 31 March in UTC: late.
    submission.submitted_at = datetime.datetime(2027, 4, 1, 0, 30, tzinfo=BERLIN)
    assert receipt_for(submission=submission).timely is False


def test_a_fiktion_request_gets_the_receipt_too_and_a_question_none(client, forms, django_capture_on_commit_callbacks):
    fiktion = request_extension(
        client, django_capture_on_commit_callbacks, timezone.localdate() + datetime.timedelta(days=3), topic="fiktion"
    )
    assert receipt_for(submission=fiktion) is not None

    question = request_extension(client, django_capture_on_commit_callbacks, timezone.localdate(), topic="question")
    assert receipt_for(submission=question) is None
    confirmation = client.get(f"/antrag/eingereicht/{question.uuid}/").content.decode()
    assert "data-receipt" not in confirmation
    assert client.get(f"/antrag/eingereicht/{question.uuid}/eingangsbestaetigung.pdf").status_code == 404


def test_the_receipt_is_on_the_status_page_and_only_for_the_session_that_may_see_it(
    client, forms, django_capture_on_commit_callbacks
):
    submission = request_extension(
        client, django_capture_on_commit_callbacks, timezone.localdate() + datetime.timedelta(days=10)
    )

    status = html.unescape(client.get(f"/status/{submission.uuid}/").content.decode())
    assert 'data-receipt="timely"' in status and "eingangsbestaetigung.pdf" in status
    # Also among the documents, under the answers as PDF.
    url = f"/antrag/eingereicht/{submission.uuid}/eingangsbestaetigung.pdf"
    link = f'<a class="kern-link" href="{url}" data-citizen-document>'
    assert f"{link}Eingangsbestätigung Ihrer Anfrage (PDF)</a>" in status
    assert Client().get(f"/antrag/eingereicht/{submission.uuid}/eingangsbestaetigung.pdf").status_code == 404


def test_the_receipt_is_in_english_for_an_english_request(client, forms, django_capture_on_commit_callbacks):
    fill(client, base="/en/antrag/zuwanderung-kontakt/", topic="extend_permit", expiry=timezone.localdate())
    client.post("/en/antrag/zuwanderung-kontakt/unterlagen/", {})
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/en/antrag/zuwanderung-kontakt/pruefen/", {"declaration": "yes"})
    submission = Submission.objects.latest("pk")
    assert submission.language == "en"

    text = receipt_text(client, submission)
    assert "Your residence permit is deemed to continue until we have decided." in text
    assert "Extend a residence permit" in text


@pytest.mark.django_db(transaction=True)  # the task worker checks its connection
def test_the_confirmation_email_carries_the_receipt(client, forms, run_tasks):
    fill(client, topic="extend_permit", expiry=timezone.localdate() + datetime.timedelta(days=30))
    client.post("/antrag/zuwanderung-kontakt/unterlagen/", {})
    client.post("/antrag/zuwanderung-kontakt/pruefen/", {"declaration": "yes"})
    submission = Submission.objects.get()
    run_tasks()

    [message] = [m for m in mail.outbox if m.to == ["amina.haddad@example.org"]]
    assert "Ebenfalls im Anhang: Eingangsbestätigung Ihrer Anfrage (PDF)" in message.body
    names = [name for name, _content, _type in message.attachments]
    assert f"eingangsbestaetigung-{submission.reference}.pdf" in names
    receipt = next(content for name, content, _type in message.attachments if name.startswith("eingangs"))
    assert "gilt als fortbestehend" in " ".join(pdf_text(receipt).split())


def test_an_arabic_receipt_is_right_to_left_in_an_arabic_font(client, forms, django_capture_on_commit_callbacks):
    from django.template.loader import render_to_string

    from amtsweg.immigration.pdf import receipt_pdf

    submission = request_extension(client, django_capture_on_commit_callbacks, timezone.localdate())
    Submission.objects.filter(pk=submission.pk).update(language="ar")
    submission.refresh_from_db()

    data = receipt_pdf(submission=submission, receipt=receipt_for(submission=submission))

    assert "NotoSansArabic" in pdf_fonts(data).replace("-", "")
    with translation.override("ar"):
        page = render_to_string("immigration/pdf/receipt.html", {"language": "ar", "receipt": {}})
    assert '<html lang="ar" dir="rtl">' in page
    text = pdf_text(data)
    assert submission.reference in text
    assert any("\u0600" <= char <= "\u06ff" for char in text)  # Arabic letters, from the Arabic catalogue
