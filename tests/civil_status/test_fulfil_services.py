"""The Standesamt's fulfilment of certificate orders: queueing, printing, posting, asking, rejecting with refund."""

import datetime

import holidays
import pytest
from django.core import mail
from django.utils import translation

from amtsweg.cases.constants import CaseStatus
from amtsweg.cases.errors import CaseError
from amtsweg.cases.models import AuditEntry, DocumentRequest
from amtsweg.cases.selectors import case_status_label
from amtsweg.cases.services import case_open
from amtsweg.catalogue.models import Service
from amtsweg.civil_status import selectors
from amtsweg.civil_status.constants import OrderStatus
from amtsweg.civil_status.models import CertificateOrder
from amtsweg.civil_status.services import (
    certificate_order_print,
    certificate_order_query,
    certificate_order_reject,
    certificate_order_send,
    certificate_orders_print_batch,
)
from amtsweg.payments.constants import PaymentStatus
from amtsweg.payments.models import Payment, Refund
from tests.applications.factories import SubmissionFactory
from tests.cases.factories import form_version_for
from tests.documents.pdftext import pdf_text
from tests.payments.factories import PaymentFactory
from tests.wording import wording_problems

from .fulfilment import back_office, buergerbuero_staff, order, standesamt_staff  # noqa: F401

pytestmark = pytest.mark.usefixtures("back_office")

FRONLEICHNAM = datetime.date(2026, 6, 4)


def german(function, **kwargs):
    with translation.override("de"):
        return function(**kwargs)


# --- entering the queue ---------------------------------------------------------------


def test_a_paid_certificate_order_enters_the_queue_with_its_due_date(forms):
    created = order()
    assert created.status == OrderStatus.QUEUED
    assert created.paid_at == Payment.objects.get(submission=created.case.submission).paid_at
    paid_on = created.paid_at.astimezone(datetime.UTC).date()
    assert created.due_on > paid_on
    assert list(selectors.order_queue_for_staff(user=standesamt_staff())) == [created]


def test_the_due_date_is_two_working_days_after_payment_skipping_a_hesse_holiday(forms):
    assert FRONLEICHNAM in holidays.country_holidays("DE", subdiv="HE", years=2026)
    service = Service.objects.get(slug="geburtsurkunde")
    # Paid on Wednesday; Thursday is Fronleichnam: Friday is the first working day, Monday the second.
    assert selectors.order_due_on(service=service, paid_on=datetime.date(2026, 6, 3)) == datetime.date(2026, 6, 8)
    # Paid on a Friday: Monday and Tuesday.
    assert selectors.order_due_on(service=service, paid_on=datetime.date(2026, 11, 20)) == datetime.date(2026, 11, 24)


def test_without_a_processing_rule_the_configured_working_days_apply(kassel, settings):
    settings.CIVIL_STATUS_FULFILMENT = {**settings.CIVIL_STATUS_FULFILMENT, "working_days": 3}
    service = Service.objects.get(slug="sterbeurkunde")
    assert selectors.order_due_on(service=service, paid_on=datetime.date(2026, 11, 20)) == datetime.date(2026, 11, 25)


def test_other_services_do_not_enter_the_queue(forms):
    service = Service.objects.get(slug="meldebescheinigung")
    case = case_open(submission=SubmissionFactory(form_version=form_version_for(service)))
    assert not CertificateOrder.objects.filter(case=case).exists()


def test_the_set_of_certificate_services_is_configuration(forms, settings):
    settings.CIVIL_STATUS_FULFILMENT = {**settings.CIVIL_STATUS_FULFILMENT, "services": ["eheurkunde"]}
    service = Service.objects.get(slug="geburtsurkunde")
    case = case_open(submission=SubmissionFactory(form_version=form_version_for(service)))
    assert not CertificateOrder.objects.filter(case=case).exists()
    assert order(service="eheurkunde").status == OrderStatus.QUEUED


def test_an_unpaid_order_never_reaches_the_queue(forms):
    service = Service.objects.get(slug="geburtsurkunde")
    PaymentFactory(submission=SubmissionFactory(form_version=form_version_for(service)))
    assert not CertificateOrder.objects.exists()
    assert list(selectors.order_queue_for_staff(user=standesamt_staff())) == []


def test_opening_the_case_twice_keeps_one_order(forms):
    created = order()
    case_open(submission=created.case.submission)
    assert CertificateOrder.objects.count() == 1


# --- Drucken ---------------------------------------------------------------------------------


def test_printing_gives_the_cover_letter_and_order_sheet_and_starts_the_case(forms):
    created = order(copies=2)
    staff = standesamt_staff()
    data = certificate_order_print(order=created, actor=staff)
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    assert "Wilhelmshöher Allee 19" in text and "34117 Kassel" in text
    assert created.case.reference in text and "Bestellblatt" in text
    assert "die 2 Urkunden" in text  # the cover letter, in the citizen's language
    created.refresh_from_db()
    assert created.status == OrderStatus.PRINTED and created.printed_at and created.printed_by == staff
    created.case.refresh_from_db()
    assert created.case.status == CaseStatus.IN_PROGRESS
    assert AuditEntry.objects.filter(case_uuid=created.case.uuid, detail="certificate order printed").exists()


def test_the_cover_letter_greets_the_addressee_by_name_and_reads_cleanly(forms):
    created = order(copies=2)
    text = pdf_text(certificate_order_print(order=created, actor=standesamt_staff()))
    assert f"Guten Tag {created.case.applicant_name}," in " ".join(text.split())
    assert "Sehr geehrte Damen und Herren" not in text
    assert wording_problems(text) == []


def test_the_cover_letter_is_in_the_citizens_language(forms):
    created = order(language="en", copies=1)
    text = pdf_text(certificate_order_print(order=created, actor=standesamt_staff()))
    assert "please find enclosed the certificate you ordered online" in text
    assert "Bestellblatt" in text  # the order sheet stays German: it is for the registry office


def test_the_batch_prints_every_waiting_order_once(forms):
    first, second, printed = order(), order(), order()
    staff = standesamt_staff()
    certificate_order_print(order=printed, actor=staff)
    data, count = certificate_orders_print_batch(actor=staff)
    assert count == 2
    text = pdf_text(data)
    assert first.case.reference in text and second.case.reference in text
    assert printed.case.reference not in text
    assert set(CertificateOrder.objects.values_list("status", flat=True)) == {OrderStatus.PRINTED}
    with pytest.raises(CaseError, match="Keine Bestellung wartet"):
        german(certificate_orders_print_batch, actor=staff)


# --- Versendet ----------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_sending_completes_the_case_emails_the_citizen_in_their_language_and_shows_sent(
    forms, run_tasks, django_capture_on_commit_callbacks
):
    created = order(language="en")
    staff = standesamt_staff()
    certificate_order_print(order=created, actor=staff)
    run_tasks()
    mail.outbox.clear()
    certificate_order_send(order=created, actor=staff)
    run_tasks()
    created.refresh_from_db()
    assert created.status == OrderStatus.SENT and created.sent_at and created.sent_by == staff
    case = created.case
    case.refresh_from_db()
    assert case.status == CaseStatus.COMPLETED and case.closed_at
    [message] = mail.outbox
    assert message.to == ["erika@example.org"]
    assert case.reference in message.subject and "is complete" in message.subject
    assert "New status: Sent" in message.body
    assert "New status: <strong>Sent</strong>" in message.alternatives[0][0]
    with translation.override("de"):
        assert case_status_label(case=case) == "Versendet"
    with translation.override("en"):
        assert case_status_label(case=case) == "Sent"


def test_sending_before_printing_is_refused(forms):
    created = order()
    with pytest.raises(CaseError, match="Drucken Sie die Bestellung zuerst"):
        german(certificate_order_send, order=created, actor=standesamt_staff())
    created.refresh_from_db()
    assert created.status == OrderStatus.QUEUED


def test_sending_twice_is_refused_with_a_clear_message(forms):
    created = order()
    staff = standesamt_staff()
    certificate_order_print(order=created, actor=staff)
    certificate_order_send(order=created, actor=staff)
    with pytest.raises(CaseError, match="bereits versendet"):
        german(certificate_order_send, order=created, actor=staff)
    with pytest.raises(CaseError, match="bereits versendet"):
        german(certificate_order_print, order=created, actor=staff)


# --- Rückfrage -----------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_question_reaches_the_citizen_as_a_document_request_by_email(forms, run_tasks):
    created = order()
    staff = standesamt_staff()
    certificate_order_query(order=created, actor=staff, text="Bitte senden Sie eine Kopie Ihres Ausweises.")
    run_tasks()
    created.refresh_from_db()
    assert created.status == OrderStatus.QUERY
    request = DocumentRequest.objects.get(case=created.case)
    assert request.text == "Bitte senden Sie eine Kopie Ihres Ausweises."
    assert any("Bitte senden Sie eine Kopie" in message.body for message in mail.outbox)
    # After the answer the order is printed and sent as usual.
    certificate_order_print(order=created, actor=staff)
    assert certificate_order_send(order=created, actor=staff).status == OrderStatus.SENT


def test_an_empty_question_is_refused(forms):
    created = order()
    with pytest.raises(CaseError, match="Geben Sie Ihre Frage"):
        german(certificate_order_query, order=created, actor=standesamt_staff(), text="   ")
    assert not DocumentRequest.objects.exists()


# --- Ablehnen ----------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_rejecting_refunds_the_fee_and_tells_the_citizen_the_reason(forms, run_tasks):
    created = order(copies=3)
    staff = standesamt_staff()
    certificate_order_reject(order=created, actor=staff, reason="Der Eintrag liegt nicht in Kassel.")
    run_tasks()
    created.refresh_from_db()
    assert created.status == OrderStatus.REJECTED and created.rejected_at
    case = created.case
    case.refresh_from_db()
    assert case.status == CaseStatus.REJECTED and case.rejection_reason == "Der Eintrag liegt nicht in Kassel."
    payment = Payment.objects.get(submission=case.submission)
    assert payment.status == PaymentStatus.REFUNDED and payment.refunded_cents == 2400
    refund = Refund.objects.get(payment=payment)
    assert refund.amount_cents == 2400 and refund.reason == "Der Eintrag liegt nicht in Kassel."
    assert any("Der Eintrag liegt nicht in Kassel." in message.body for message in mail.outbox)
    assert AuditEntry.objects.filter(case_uuid=case.uuid, action="refund").exists()


def test_a_rejection_without_a_reason_is_refused_and_nothing_is_refunded(forms):
    created = order()
    with pytest.raises(CaseError, match="Begründung"):
        german(certificate_order_reject, order=created, actor=standesamt_staff(), reason=" ")
    created.refresh_from_db()
    assert created.status == OrderStatus.QUEUED
    assert Payment.objects.get(submission=created.case.submission).status == PaymentStatus.PAID


def test_a_free_order_is_rejected_without_a_refund(forms):
    created = order(paid=False)
    certificate_order_reject(order=created, actor=standesamt_staff(), reason="Kein Eintrag gefunden.")
    created.refresh_from_db()
    assert created.status == OrderStatus.REJECTED and not Refund.objects.exists()


@pytest.mark.parametrize(
    ("action", "kwargs"),
    [
        (certificate_order_print, {}),
        (certificate_order_send, {}),
        (certificate_order_query, {"text": "Noch eine Frage"}),
        (certificate_order_reject, {"reason": "Noch einmal"}),
    ],
)
def test_a_rejected_order_can_no_longer_be_worked_on(forms, action, kwargs):
    created = order()
    staff = standesamt_staff()
    certificate_order_reject(order=created, actor=staff, reason="Kein Eintrag gefunden.")
    with pytest.raises(CaseError, match="abgelehnt"):
        german(action, order=created, actor=staff, **kwargs)
    assert Refund.objects.count() == 1


# --- who may act ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("action", "kwargs"),
    [
        (certificate_order_print, {}),
        (certificate_order_send, {}),
        (certificate_order_query, {"text": "Frage"}),
        (certificate_order_reject, {"reason": "Grund"}),
    ],
)
def test_staff_of_other_departments_cannot_act(forms, action, kwargs):
    created = order()
    with pytest.raises(CaseError, match="eigenen Abteilung"):
        german(action, order=created, actor=buergerbuero_staff(), **kwargs)
    created.refresh_from_db()
    assert created.status == OrderStatus.QUEUED
    assert Payment.objects.get(submission=created.case.submission).status == PaymentStatus.PAID


def test_staff_of_other_departments_see_no_orders(forms):
    order()
    assert list(selectors.order_queue_for_staff(user=buergerbuero_staff())) == []


def test_a_case_withdrawn_on_the_case_page_leaves_the_queue(forms):
    from amtsweg.cases.services import case_transition

    created = order()
    staff = standesamt_staff()
    case_transition(case=created.case, to_status=CaseStatus.WITHDRAWN, actor=staff)
    assert list(selectors.order_queue_for_staff(user=staff)) == []
    created.refresh_from_db()
    assert not selectors.order_is_overdue(created, today=created.due_on + datetime.timedelta(days=30))
    with pytest.raises(CaseError, match="abgeschlossen"):
        german(certificate_order_print, order=created, actor=staff)
    waiting = order()
    data, count = certificate_orders_print_batch(actor=staff)  # the withdrawn one is not in the batch
    assert count == 1 and waiting.case.reference in pdf_text(data)


def test_a_sent_order_is_deleted_with_its_case_when_the_retention_period_ends(forms):
    from amtsweg.cases.models import Case
    from amtsweg.cases.retention import retention_run

    created = order()
    staff = standesamt_staff()
    certificate_order_print(order=created, actor=staff)
    certificate_order_send(order=created, actor=staff)
    retention_run(now=created.case.created_at + datetime.timedelta(days=400))
    assert not Case.objects.filter(pk=created.case_id).exists()
    assert not CertificateOrder.objects.exists()
