"""What payments keep per process and content version (fees, services) follows a change in the admin at once,
and costs no query while nothing changed."""

import pytest

from amtsweg.catalogue.selectors import service_with_department
from amtsweg.payments.fees import fee_quote
from tests.catalogue.factories import FeeFactory, ServiceFactory

pytestmark = pytest.mark.django_db


def test_a_second_quote_reads_no_fees_from_the_database(django_assert_num_queries):
    service = ServiceFactory()
    FeeFactory(service=service, code="first-copy", amount_cents=1200)
    assert fee_quote(service=service, answers={}).total_cents == 1200
    with django_assert_num_queries(0):
        assert fee_quote(service=service, answers={}).total_cents == 1200


def test_a_fee_changed_in_the_admin_is_charged_on_the_next_quote(django_capture_on_commit_callbacks):
    service = ServiceFactory()
    fee = FeeFactory(service=service, code="first-copy", amount_cents=1200)
    assert fee_quote(service=service, answers={}).total_cents == 1200
    with django_capture_on_commit_callbacks(execute=True):  # the catalogue's change bumps the content version
        fee.amount_cents = 1500
        fee.save()
    assert fee_quote(service=service, answers={}).total_cents == 1500


def test_a_new_fee_item_is_charged_on_the_next_quote(django_capture_on_commit_callbacks):
    service = ServiceFactory()
    FeeFactory(service=service, code="first-copy", amount_cents=1200)
    assert fee_quote(service=service, answers={}).total_cents == 1200
    with django_capture_on_commit_callbacks(execute=True):
        FeeFactory(service=service, code="postage-abroad", amount_cents=300)
    assert fee_quote(service=service, answers={}).total_cents == 1500


def test_a_service_is_read_once_with_its_department(django_assert_num_queries):
    service = ServiceFactory()
    with django_assert_num_queries(1):
        assert service_with_department(pk=service.pk).department.email == service.department.email
    with django_assert_num_queries(0):
        assert service_with_department(pk=service.pk).department.email == service.department.email


def test_a_department_email_changed_in_the_admin_is_used_at_once(django_capture_on_commit_callbacks):
    service = ServiceFactory()
    assert service_with_department(pk=service.pk).department.email == "abteilung@example.org"
    with django_capture_on_commit_callbacks(execute=True):
        service.department.email = "standesamt@example.org"
        service.department.save()
    assert service_with_department(pk=service.pk).department.email == "standesamt@example.org"
