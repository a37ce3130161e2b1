import datetime

import pytest

from amtsweg.documents.storage import private_file_path
from amtsweg.payments.constants import PaymentStatus
from amtsweg.payments.models import Payment, Refund
from amtsweg.payments.receipts import payment_receipt_pdf, payment_receipt_store
from tests.applications.factories import SubmissionFactory
from tests.catalogue.factories import LocationFactory
from tests.documents.pdftext import pdf_info, pdf_text

from .factories import PaymentFactory, paid_payment

pytestmark = pytest.mark.django_db

# 10:30 in Kassel on 2 March 2026; stored in UTC
PAID_AT = datetime.datetime(2026, 3, 2, 9, 30, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """Generated receipts go to a temporary folder, never into var/."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


def _paid(language: str = "de") -> Payment:
    submission = SubmissionFactory(reference="KS-2026-000123-4", language=language)
    department = submission.service.department
    department.main_location = LocationFactory(department=department, street="Obere Königsstraße 8", postcode="34117")
    department.save(update_fields=["main_location"])
    payment = paid_payment(submission=submission, kassenzeichen="66260000123")
    payment.paid_at = PAID_AT
    payment.save(update_fields=["paid_at"])
    tx = payment.transactions.get()
    tx.method = "card"
    tx.save(update_fields=["method"])
    return payment


def test_german_receipt_shows_city_kassenzeichen_reference_items_total_date_and_vat_note():
    payment = _paid("de")
    service = payment.submission.service

    data = payment_receipt_pdf(payment=payment)
    text = pdf_text(data)

    assert "Stadt Kassel" in text
    assert service.department.name_de in text
    assert "Obere Königsstraße 8, 34117 Kassel" in text
    assert "abteilung@example.org" in text
    assert "Quittung" in text
    assert "66260000123" in text
    assert "KS-2026-000123-4" in text
    assert service.name_de in text
    assert "Erste Urkunde" in text and "Jede weitere Urkunde" in text
    assert "12,00 €" in text and "6,00 €" in text
    assert "24,00 €" in text  # the total
    assert "2. März 2026" in text
    assert "Zahlungsart" in text  # the method is named by the provider plugin
    assert "Verwaltungsgebühren unterliegen nicht der Umsatzsteuer." in text
    assert "First copy" not in text
    assert pdf_info(data)["Title"].startswith("Quittung 66260000123")


def test_english_receipt_for_an_english_submission():
    payment = _paid("en")
    service = payment.submission.service

    text = pdf_text(payment_receipt_pdf(payment=payment))

    assert "City of Kassel" in text
    assert "Receipt" in text
    assert service.name_en in text
    assert "First copy" in text and "Each extra copy" in text
    assert "€12.00" in text and "€24.00" in text
    assert "March 2, 2026" in text
    assert "Credit or debit card (Demo payment provider)" in text
    assert "Administrative fees are not subject to VAT." in text
    assert "Erste Urkunde" not in text
    assert "Quittung" not in text


def test_receipt_lists_refunds_with_amount_and_date():
    payment = _paid("en")
    Refund.objects.create(
        payment=payment, transaction=payment.transactions.get(), amount_cents=600, reason="One copy not issued"
    )
    Refund.objects.filter(payment=payment).update(created_at=datetime.datetime(2026, 3, 5, 12, 0, tzinfo=datetime.UTC))
    payment.refunded_cents = 600
    payment.status = PaymentStatus.PARTLY_REFUNDED
    payment.save(update_fields=["refunded_cents", "status"])

    text = pdf_text(payment_receipt_pdf(payment=payment))

    assert "Refunds" in text
    assert "March 5, 2026" in text
    assert "€6.00" in text
    assert "€18.00" in text  # what remains paid


@pytest.mark.parametrize(
    "status", [PaymentStatus.OPEN, PaymentStatus.PENDING, PaymentStatus.FAILED, PaymentStatus.EXPIRED]
)
def test_no_receipt_for_a_payment_that_is_not_paid(status):
    payment = PaymentFactory(status=status)

    with pytest.raises(ValueError, match="only a paid fee has a receipt"):
        payment_receipt_store(payment=payment)

    payment.refresh_from_db()
    assert payment.receipt_pdf == ""


def test_receipt_is_generated_once_and_stored_under_receipts(django_assert_num_queries):
    payment = _paid("de")

    name = payment_receipt_store(payment=payment)

    assert name.startswith("receipts/") and name.endswith(".pdf")
    assert private_file_path(name).read_bytes().startswith(b"%PDF-")
    payment.refresh_from_db()
    assert payment.receipt_pdf == name
    with django_assert_num_queries(0):
        assert payment_receipt_store(payment=payment) == name


def test_receipt_is_generated_again_when_the_stored_file_is_gone():
    payment = _paid("de")
    first = payment_receipt_store(payment=payment)
    private_file_path(first).unlink()

    second = payment_receipt_store(payment=payment)

    assert second != first
    assert private_file_path(second).is_file()
    payment.refresh_from_db()
    assert payment.receipt_pdf == second
