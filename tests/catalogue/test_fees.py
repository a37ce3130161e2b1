import datetime

import pytest

from amtsweg.catalogue.money import format_cents
from amtsweg.catalogue.selectors import fee_list_current

from .factories import FeeFactory, ServiceFactory


@pytest.mark.django_db
def test_newest_fee_version_in_force_wins_and_future_versions_wait():
    service = ServiceFactory()
    FeeFactory(service=service, code="first", amount_cents=1000, valid_from=datetime.date(2020, 1, 1))
    FeeFactory(service=service, code="first", amount_cents=1200, valid_from=datetime.date(2024, 1, 1))
    FeeFactory(service=service, code="first", amount_cents=1500, valid_from=datetime.date(2030, 1, 1))
    FeeFactory(service=service, code="further", amount_cents=600, valid_from=datetime.date(2024, 1, 1))

    on_2025 = fee_list_current(service=service, on=datetime.date(2025, 6, 1))
    assert {(f.code, f.amount_cents) for f in on_2025} == {("first", 1200), ("further", 600)}
    on_2021 = fee_list_current(service=service, on=datetime.date(2021, 6, 1))
    assert [(f.code, f.amount_cents) for f in on_2021] == [("first", 1000)]
    on_2030 = fee_list_current(service=service, on=datetime.date(2030, 1, 1))
    assert {f.amount_cents for f in on_2030} == {1500, 600}


@pytest.mark.django_db
def test_fee_valid_tomorrow_is_not_shown_today(client):
    service = ServiceFactory()
    tomorrow = datetime.date.today() + datetime.timedelta(days=2)
    FeeFactory(service=service, code="only", amount_cents=9900, valid_from=tomorrow, label_de="Zukunftsgebühr")
    html = client.get(service.get_absolute_url()).content.decode()
    assert "Zukunftsgebühr" not in html
    assert "kostenlos" in html


@pytest.mark.parametrize(
    ("cents", "language", "text"),
    [
        (1200, "de", "12,00 €"),
        (1200, "en", "€12.00"),
        (5, "de", "0,05 €"),
        (123456, "de", "1.234,56 €"),
        (123456, "en", "€1,234.56"),
    ],
)
def test_money_is_formatted_from_integer_cents(cents, language, text):
    assert format_cents(cents, language=language) == text


def test_zero_is_free_of_charge():
    from django.utils import translation

    with translation.override("de"):
        assert format_cents(0) == "kostenlos"
    with translation.override("en"):
        assert format_cents(0) == "free of charge"


@pytest.mark.django_db
def test_fee_marked_for_review_is_flagged_on_the_public_page(client):
    service = ServiceFactory()
    FeeFactory(service=service, needs_review=True)
    page = client.get(service.get_absolute_url()).content.decode()
    assert page.count("Einige Angaben auf dieser Seite prüft die Fachabteilung noch.") == 1
