"""What the citizen sees of a case: the status page's history in their words, Mein Amtsweg's status,
booking offers only while the case is open, and a refund with its own date."""

import datetime
import re

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format

from amtsweg.applications.access import status_access_grant
from amtsweg.cases.constants import CaseStatus
from amtsweg.cases.services import case_documents_request, case_message_send, case_transition
from amtsweg.identity.models import CitizenAccount
from amtsweg.identity.selectors import account_overview
from amtsweg.payments.models import Payment
from amtsweg.payments.services import payment_refund
from tests.accounts.factories import StaffFactory
from tests.appointments.test_booking import make_office
from tests.payments.factories import paid_payment

from .factories import CaseFactory


def _status_page(client, case) -> str:
    session = client.session
    status_access_grant(session=session, submission=case.submission)
    session.save()
    return client.get(f"/status/{case.submission.uuid}/").content.decode()


def _history(html: str) -> str:
    return html.split('class="aw-history"', 1)[1].split("</ol>", 1)[0]


def test_the_history_names_the_new_status_and_speaks_to_the_citizen(client, service, staff):
    case = CaseFactory.for_service(service)
    case = case_transition(case=case, to_status=CaseStatus.IN_PROGRESS, actor=staff)
    case_message_send(case=case, actor=staff, text="Bitte rufen Sie uns an.")
    case_documents_request(case=case, actor=staff, text="Eine Kopie des Passes.")
    history = _history(_status_page(client, case))
    assert "Neuer Stand: In Bearbeitung" in history
    assert "Nachricht vom Amt" in history and "Bitte rufen Sie uns an." in history
    assert "Wir haben Sie um Unterlagen oder Angaben gebeten" in history
    for staff_wording in ("Status geändert", "Nachricht an", "Unterlagen angefordert"):
        assert staff_wording not in history


def test_a_rejection_says_rejected_once_and_its_reason_stands_in_its_box(client, service, staff):
    case = CaseFactory.for_service(service)
    case_transition(case=case, to_status=CaseStatus.REJECTED, actor=staff, reason="Nicht zuständig.")
    html = _status_page(client, case)
    assert "Neuer Stand: Abgelehnt" in _history(html)
    assert "Nicht zuständig." not in _history(html)
    assert html.count("Nicht zuständig.") == 1


def test_mein_amtsweg_shows_each_cases_status_in_words(service, staff):
    account = CitizenAccount.objects.create(provider="demo", subject="DEMO-1")
    case = CaseFactory.for_service(service, submission__account=account)
    case_transition(case=case, to_status=CaseStatus.IN_PROGRESS, actor=staff)
    case_transition(case=case, to_status=CaseStatus.COMPLETED, actor=staff)
    with translation.override("de"):
        (item,) = account_overview(account=account)
        assert item.status_label == "Erledigt"
        assert [entry.headline for entry in item.events][:2] == ["Neuer Stand: Erledigt", "Neuer Stand: In Bearbeitung"]


@pytest.mark.parametrize("status", [CaseStatus.COMPLETED, CaseStatus.REJECTED])
def test_a_finished_case_offers_no_appointment(client, db, status):
    bookable = make_office(counters=1, lead=0)
    case = CaseFactory(submission__service=bookable.service)
    staff = StaffFactory(departments=[case.department])
    assert "vorgang=" in _status_page(client, case)
    case_transition(case=case, to_status=CaseStatus.IN_PROGRESS, actor=staff)
    case_transition(case=case, to_status=status, actor=staff, reason="Erledigt im Haus.")
    assert "vorgang=" not in _status_page(client, case)


def test_a_refund_shows_when_it_was_made_not_when_the_fee_was_paid(client, service, staff):
    case = CaseFactory.for_service(service)
    payment = paid_payment(submission=case.submission, amount_cents=1200)
    Payment.objects.filter(pk=payment.pk).update(paid_at=timezone.now() - datetime.timedelta(days=20))
    payment.refresh_from_db()
    payment_refund(payment=payment, amount_cents=1200, reason="Antrag zurückgenommen", actor=staff)
    html = _status_page(client, case)
    with translation.override("de"):
        refunded_on = date_format(timezone.localtime(payment.refunds.get().created_at), "DATETIME_FORMAT")
        paid_on = date_format(timezone.localtime(payment.paid_at), "DATETIME_FORMAT")
    assert refunded_on != paid_on
    assert re.search(r"Erstattet</dt><dd[^>]*>([^<]*)</dd>", html).group(1) == f"12,00 € am {refunded_on}"
    assert re.search(r"Bezahlt am</dt><dd[^>]*>([^<]*)</dd>", html).group(1) == paid_on
