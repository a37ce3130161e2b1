"""Fees computed from the answers by the catalogue's rules, in whole cents."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from amtsweg.payments.fees import fee_quote
from tests.catalogue.factories import FeeFactory, ServiceFactory

pytestmark = pytest.mark.django_db

FREE_PURPOSES = "purpose in ['kindergeld', 'elterngeld', 'mutterschaftsgeld']"


@pytest.fixture
def certificate():
    """A certificate service: 12 € first copy, 6 € each further, free for stated purposes, 5 € abroad."""
    service = ServiceFactory()
    paid = f"not ({FREE_PURPOSES}) and copies >= 1"
    FeeFactory(service=service, code="first-copy", order=1, amount_cents=1200, applies_if=paid)
    FeeFactory(
        service=service,
        code="further-copy",
        order=2,
        amount_cents=600,
        applies_if=f"not ({FREE_PURPOSES})",
        quantity_from="copies",
        quantity_skip=1,
    )
    FeeFactory(
        service=service, code="free-purpose", order=3, amount_cents=0, applies_if=FREE_PURPOSES, quantity_from="copies"
    )
    FeeFactory(service=service, code="abroad", order=4, amount_cents=500, applies_if="country != 'DE'")
    return service


def _lines(quote):
    return [(line.code, line.quantity, line.total_cents) for line in quote.lines]


def test_first_copy_and_further_copies_are_itemised(certificate):
    quote = fee_quote(service=certificate, answers={"copies": 3, "country": "DE"})
    assert _lines(quote) == [("first-copy", 1, 1200), ("further-copy", 2, 1200)]
    assert quote.total_cents == 2400
    assert quote.payable


def test_one_copy_costs_the_first_copy_fee_only(certificate):
    quote = fee_quote(service=certificate, answers={"copies": 1, "country": "DE"})
    assert _lines(quote) == [("first-copy", 1, 1200)]


def test_delivery_abroad_adds_the_surcharge(certificate):
    quote = fee_quote(service=certificate, answers={"copies": 1, "country": "AT"})
    assert _lines(quote) == [("first-copy", 1, 1200), ("abroad", 1, 500)]
    assert quote.total_cents == 1700


def test_copies_for_kindergeld_are_free_and_shown_as_a_zero_line(certificate):
    quote = fee_quote(service=certificate, answers={"copies": 2, "purpose": "kindergeld", "country": "DE"})
    assert _lines(quote) == [("free-purpose", 2, 0)]
    assert quote.total_cents == 0
    assert not quote.payable


def test_a_fixed_fee_applies_once_whatever_the_answers():
    service = ServiceFactory()
    FeeFactory(service=service, code="fixed", amount_cents=1100)
    assert _lines(fee_quote(service=service, answers={})) == [("fixed", 1, 1100)]


def test_a_service_without_fee_items_costs_nothing():
    quote = fee_quote(service=ServiceFactory(), answers={"copies": 4})
    assert quote.lines == () and quote.total_cents == 0 and not quote.payable


def test_the_fee_in_force_on_the_day_is_used():
    service = ServiceFactory()
    FeeFactory(service=service, code="fee", amount_cents=1000, valid_from=datetime.date(2024, 1, 1))
    FeeFactory(service=service, code="fee", amount_cents=1300, valid_from=datetime.date(2027, 1, 1))
    assert fee_quote(service=service, answers={}, on=datetime.date(2026, 12, 31)).total_cents == 1000
    assert fee_quote(service=service, answers={}, on=datetime.date(2027, 1, 1)).total_cents == 1300


@pytest.mark.parametrize("copies", ["3", "drei", None, True, -4, 10**9, 2.5])
def test_odd_quantity_answers_never_raise_and_stay_bounded(certificate, copies):
    quote = fee_quote(service=certificate, answers={"copies": copies, "country": "DE"})
    assert all(isinstance(line.total_cents, int) for line in quote.lines)
    assert quote.total_cents <= 1200 + 600 * 98


def test_a_rule_that_cannot_be_evaluated_charges_nothing_and_is_refused_by_the_admin(caplog):
    service = ServiceFactory()
    fee = FeeFactory(service=service, code="broken", amount_cents=700, applies_if="__import__('os')")
    assert fee_quote(service=service, answers={}).lines == ()
    with pytest.raises(ValidationError) as info:
        fee.clean()
    assert "applies_if" in info.value.message_dict


def test_money_is_whole_cents_in_every_line(certificate):
    quote = fee_quote(service=certificate, answers={"copies": 5, "country": "FR"})
    for line in quote.lines:
        assert type(line.unit_cents) is int and type(line.total_cents) is int
        assert line.total_cents == line.unit_cents * line.quantity
