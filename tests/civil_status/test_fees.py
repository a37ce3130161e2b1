"""The certificate fees as configured in the catalogue (kassel.yaml), computed by payments.fees.fee_quote."""

import datetime

import pytest

from amtsweg.catalogue.models import Fee, Service
from amtsweg.payments.fees import fee_quote

pytestmark = pytest.mark.django_db

FREE = ["elterngeld", "kindergeld", "mutterschaftsgeld"]


def quote(slug: str, **answers):
    return fee_quote(service=Service.objects.get(slug=slug), answers={"delivery_abroad": False, **answers})


def lines(q) -> list[tuple[str, int, int]]:
    return [(line.code, line.quantity, line.total_cents) for line in q.lines]


def test_one_copy_costs_12_euros(kassel):
    q = quote("geburtsurkunde", copies=1, purpose=None)
    assert lines(q) == [("first-copy", 1, 1200)]
    assert q.total_cents == 1200 and q.payable


def test_three_copies_cost_12_plus_two_times_6(kassel):
    q = quote("geburtsurkunde", copies=3)
    assert lines(q) == [("first-copy", 1, 1200), ("further-copy", 2, 1200)]
    assert q.total_cents == 2400


@pytest.mark.parametrize("purpose", FREE)
def test_one_copy_for_a_free_purpose_is_free_and_skips_payment(kassel, purpose):
    q = quote("geburtsurkunde", copies=1, purpose=purpose)
    assert lines(q) == [("free-purpose", 1, 0)]  # shown as a free line, so the citizen sees why
    assert not q.payable


def test_further_copies_for_a_free_purpose_cost_the_further_copy_fee(kassel):
    assert quote("geburtsurkunde", copies=3, purpose="kindergeld").total_cents == 1200


def test_other_purpose_pays(kassel):
    assert quote("geburtsurkunde", copies=1, purpose="other", purpose_text="Reisepass").total_cents == 1200


def test_newborn_three_free_and_one_paid_copy(kassel):
    q = quote("geburtsurkunde", newborn=True, free_purposes=FREE, extra_copies=1)
    assert lines(q) == [
        ("newborn-elterngeld", 1, 0),
        ("newborn-kindergeld", 1, 0),
        ("newborn-mutterschaftsgeld", 1, 0),
        ("newborn-first-paid", 1, 1200),
    ]
    assert q.total_cents == 1200


def test_newborn_free_copies_only_is_free(kassel):
    q = quote("geburtsurkunde", newborn=True, free_purposes=["kindergeld"], extra_copies=0)
    assert lines(q) == [("newborn-kindergeld", 1, 0)]
    assert not q.payable


def test_newborn_three_paid_copies(kassel):
    q = quote("geburtsurkunde", newborn=True, free_purposes=[], extra_copies=3)
    assert q.total_cents == 1200 + 2 * 600


@pytest.mark.parametrize("slug", ["geburtsurkunde", "eheurkunde", "lebenspartnerschaftsurkunde", "sterbeurkunde"])
def test_postage_is_free_in_germany_and_a_surcharge_abroad(kassel, slug):
    assert quote(slug, copies=1).total_cents == 1200
    q = quote(slug, copies=1, delivery_abroad=True)
    assert lines(q)[-1] == ("postage-abroad", 1, 300)
    assert q.total_cents == 1500


@pytest.mark.parametrize("slug", ["eheurkunde", "lebenspartnerschaftsurkunde", "sterbeurkunde"])
def test_other_certificates_count_copies_the_same_way(kassel, slug):
    assert quote(slug, copies=1).total_cents == 1200
    assert quote(slug, copies=2).total_cents == 1800
    assert quote(slug, copies=10).total_cents == 1200 + 9 * 600


def test_every_certificate_fee_is_marked_for_verification(kassel):
    fees = Fee.objects.filter(
        service__slug__in=["geburtsurkunde", "eheurkunde", "lebenspartnerschaftsurkunde", "sterbeurkunde"]
    )
    assert fees.count() == 9 + 3 * 3  # Geburtsurkunde 9 items, the others 3 each (kassel.yaml)
    assert all(fee.needs_review and fee.review_note.startswith("zu prüfen") for fee in fees)


def test_a_new_fee_version_applies_from_its_date(kassel):
    service = Service.objects.get(slug="geburtsurkunde")
    current = Fee.objects.get(service=service, code="first-copy")
    Fee.objects.create(
        service=service,
        code="first-copy",
        label=current.label,
        amount_cents=1300,
        valid_from=datetime.date(2099, 1, 1),
        applies_if=current.applies_if,
        order=current.order,
    )
    answers = {"copies": 1, "delivery_abroad": False}
    assert fee_quote(service=service, answers=answers).total_cents == 1200
    assert fee_quote(service=service, answers=answers, on=datetime.date(2099, 1, 2)).total_cents == 1300
