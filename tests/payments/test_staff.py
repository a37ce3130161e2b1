"""The back office's side of payments: the case shows the payment; refunds and the treasury export need permission."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from amtsweg.cases.models import AuditEntry
from amtsweg.cases.services import case_open
from amtsweg.payments.constants import PaymentStatus
from tests.accounts.factories import StaffFactory
from tests.payments.factories import paid_payment

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_second_factor(settings, tmp_path):
    settings.STAFF_2FA_REQUIRED = False
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def paid_case():
    payment = paid_payment()
    return payment, case_open(submission=payment.submission)


def _staff(department, *perms):
    user = StaffFactory(departments=[department])
    user.user_permissions.add(*Permission.objects.filter(codename__in=perms))
    return user


def test_case_page_shows_payment_status_history_and_transaction_id(client, paid_case):
    payment, case = paid_case
    client.force_login(_staff(case.department))
    html = client.get(f"/intern/faelle/{case.uuid}/").content.decode()
    assert payment.kassenzeichen in html and "demo_" in html and "Bezahlt" in html
    assert 'id="form-refund"' not in html  # no permission, no form


def test_refund_with_permission_goes_through_the_provider(client, paid_case):
    payment, case = paid_case
    client.force_login(_staff(case.department, "refund_payment"))
    response = client.post(
        f"/intern/faelle/{case.uuid}/",
        {"action": "refund", "refund-amount": "6,00", "refund-reason": "Eine Urkunde konnte nicht ausgestellt werden"},
    )
    assert response.status_code == 303
    payment.refresh_from_db()
    assert (payment.status, payment.refunded_cents) == (PaymentStatus.PARTLY_REFUNDED, 600)
    assert AuditEntry.objects.filter(action="refund", case_uuid=case.uuid).exists()


@pytest.mark.parametrize("amount", ["sechs", "-5", "6,001", "0", "1.000,00"])
def test_a_bad_refund_amount_is_explained_and_the_reason_kept(client, paid_case, amount):
    payment, case = paid_case
    client.force_login(_staff(case.department, "refund_payment"))
    response = client.post(
        f"/intern/faelle/{case.uuid}/", {"action": "refund", "refund-amount": amount, "refund-reason": "Kulanz"}
    )
    html = response.content.decode()
    assert response.status_code == 400 and "Kulanz" in html
    payment.refresh_from_db()
    assert payment.refunded_cents == 0


def test_refund_larger_than_paid_is_refused_with_a_message(client, paid_case):
    payment, case = paid_case
    client.force_login(_staff(case.department, "refund_payment"))
    response = client.post(
        f"/intern/faelle/{case.uuid}/", {"action": "refund", "refund-amount": "99,00", "refund-reason": "zu viel"}
    )
    assert response.status_code == 400 and "höchstens noch" in response.content.decode()
    payment.refresh_from_db()
    assert payment.refunded_cents == 0


def test_refund_without_permission_is_forbidden(client, paid_case):
    payment, case = paid_case
    client.force_login(_staff(case.department))
    response = client.post(
        f"/intern/faelle/{case.uuid}/", {"action": "refund", "refund-amount": "6", "refund-reason": "x"}
    )
    assert response.status_code == 403
    payment.refresh_from_db()
    assert payment.refunded_cents == 0


def test_staff_of_another_department_cannot_see_or_refund(client, paid_case):
    from tests.catalogue.factories import DepartmentFactory

    _payment, case = paid_case
    client.force_login(_staff(DepartmentFactory(), "refund_payment"))
    assert client.get(f"/intern/faelle/{case.uuid}/").status_code == 404


def test_treasury_export_needs_its_permission(client, paid_case):
    _payment, case = paid_case
    client.force_login(_staff(case.department))
    assert client.get("/intern/kasse/").status_code == 403


def test_treasury_export_downloads_the_days_csv_and_is_audited(client, paid_case):
    payment, case = paid_case
    client.force_login(_staff(case.department, "export_treasury"))
    day = timezone.localdate(payment.paid_at).isoformat()
    response = client.get("/intern/kasse/", {"date": day, "format": "csv"})
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert payment.kassenzeichen in response.content.decode("utf-8-sig")
    assert AuditEntry.objects.filter(action="export_treasury").exists()


@pytest.mark.parametrize(
    "query", [{"date": "2026-13-01"}, {"date": "gestern"}, {"date": "2026-11-24", "format": "pdf"}]
)
def test_treasury_export_explains_bad_input(client, paid_case, query):
    _payment, case = paid_case
    client.force_login(_staff(case.department, "export_treasury"))
    response = client.get("/intern/kasse/", query)
    html = response.content.decode()
    assert response.status_code == 400 and "Fehler:" in html
    assert f'value="{query["date"]}"' in html  # what was typed is kept


def test_the_treasury_day_is_a_date_input(client, paid_case):
    _payment, case = paid_case
    client.force_login(_staff(case.department, "export_treasury"))
    html = client.get("/intern/kasse/").content.decode()
    assert 'type="date" id="id_date"' in html


@pytest.mark.parametrize("far", ["9999-12-31", "0001-01-01"])
def test_treasury_export_refuses_a_day_at_the_end_of_the_calendar_with_a_message(client, paid_case, far):
    _payment, case = paid_case
    client.force_login(_staff(case.department, "export_treasury"))
    response = client.get("/intern/kasse/", {"date": far, "format": "csv"})
    html = response.content.decode()
    assert response.status_code == 400 and "Fehler:" in html
    assert "Geben Sie einen Tag zwischen" in html
    assert not AuditEntry.objects.filter(action="export_treasury").exists()


def test_treasury_export_refuses_a_day_in_the_future(client, paid_case):
    _payment, case = paid_case
    client.force_login(_staff(case.department, "export_treasury"))
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.get("/intern/kasse/", {"date": tomorrow.isoformat(), "format": "csv"})
    assert response.status_code == 400 and "Geben Sie einen Tag zwischen" in response.content.decode()
