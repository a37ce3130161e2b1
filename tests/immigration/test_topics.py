"""Each topic of the immigration office's contact form: its documents (the checklist from the answers), its
fee in force (shown as an estimate, paid at the office) and the hints that say who it is for."""

import datetime
import html
from pathlib import Path

import pytest
import yaml

from amtsweg.applications.formengine.checklist import documents_needed
from amtsweg.applications.formengine.definition import drop_hidden_answers, parse_definition
from amtsweg.catalogue.models import Service
from amtsweg.payments.fees import fee_quote
from amtsweg.payments.models import Payment

from .helpers import BASE, fill, send

FORM = Path(__file__).resolve().parents[2] / "amtsweg/immigration/forms/zuwanderung-kontakt.yaml"


@pytest.fixture(scope="module")
def definition():
    return parse_definition(yaml.safe_load(FORM.read_text(encoding="utf-8")))


def needed(definition, **answers) -> list[str]:
    """The document keys the answers call for, with hidden answers dropped as on sending."""
    return [spec.key for spec in documents_needed(definition, drop_hidden_answers(definition, answers))]


def test_extend_permit_for_work_needs_passport_photo_contract_payslips_rent_certificate_and_insurance(definition):
    assert needed(definition, topic="extend_permit", permit_purpose="work") == [
        "passport",
        "residence_card",
        "photo",
        "employment_contract",
        "payslips",
        "rent_certificate",
        "health_insurance",
    ]
    # For a family permit the marriage certificate takes the place of the work papers.
    family = needed(definition, topic="extend_permit", permit_purpose="family")
    assert "marriage_certificate" in family and "payslips" not in family


def test_fiktion_needs_the_passport_and_the_residence_card(definition):
    assert needed(definition, topic="fiktion", permit_purpose="study") == ["passport", "residence_card"]


def test_settlement_needs_income_housing_insurance_and_german(definition):
    assert needed(definition, topic="settlement", permit_purpose="other") == [
        "passport",
        "residence_card",
        "photo",
        "employment_contract",
        "payslips",
        "rent_certificate",
        "health_insurance",
        "integration_course",
    ]


def test_blue_card_needs_the_recognised_degree_and_a_contract_of_six_months(definition):
    assert needed(definition, topic="blue_card") == [
        "passport",
        "photo",
        "health_insurance",
        "degree",
        "blue_card_contract",
    ]


def test_family_reunification_needs_the_marriage_or_birth_certificate_and_the_sponsors_means(definition):
    spouse = needed(definition, topic="family_reunification", family_member="spouse")
    assert spouse == ["passport", "rent_certificate", "marriage_certificate", "income_3_months", "rent_contract"]
    child = needed(definition, topic="family_reunification", family_member="child")
    assert "birth_certificate_child" in child and "marriage_certificate" not in child


def test_obligation_needs_the_hosts_income_housing_and_the_guests_passport(definition):
    assert needed(definition, topic="obligation") == ["passport", "income_3_months", "rent_contract", "guest_passport"]


def test_card_change_needs_what_changed(definition):
    assert needed(definition, topic="card_change", card_change_kind=["address"]) == [
        "residence_card",
        "registration_certificate",
    ]
    assert needed(definition, topic="card_change", card_change_kind=["passport"]) == ["passport", "residence_card"]


def test_a_general_question_needs_no_documents(definition):
    assert needed(definition, topic="question") == []


def test_the_photo_is_digital_only_since_may_2025_and_the_rent_certificate_is_not_the_landlords_form(definition):
    photo = next(spec for spec in definition.documents if spec.key == "photo")
    assert "1. Mai 2025" in photo.explanation["de"] and "DataMatrix" in photo.explanation["de"]
    assert photo.upload is None  # the studio sends it, or it is taken on site
    rent = next(spec for spec in definition.documents if spec.key == "rent_certificate")
    assert "nicht die Wohnungsgeberbestätigung" in rent.explanation["de"]


# --- fees ---------------------------------------------------------------------------------------------------

FEES = {
    "extend_permit": ("extension-long", 8000),
    "fiktion": ("fiktion", 1300),
    "settlement": ("settlement", 11300),
    "blue_card": ("blue-card", 11000),
    "obligation": ("obligation", 2900),
}


@pytest.mark.parametrize("topic", ["extend_permit", "fiktion", "settlement", "blue_card", "obligation"])
def test_each_topic_with_a_fee_is_quoted_the_fee_in_force(kassel, topic):
    service = Service.objects.get(slug="zuwanderung-kontakt")
    quote = fee_quote(service=service, answers={"topic": topic}, on=datetime.date(2026, 12, 7))
    assert [(line.code, line.total_cents) for line in quote.lines] == [FEES[topic]]


@pytest.mark.parametrize("topic", ["family_reunification", "card_change", "question"])
def test_topics_without_a_known_fee_are_quoted_nothing(kassel, topic):
    service = Service.objects.get(slug="zuwanderung-kontakt")
    assert fee_quote(service=service, answers={"topic": topic}).lines == ()


def test_the_fee_is_shown_as_an_estimate_and_never_charged_online(client, forms, django_capture_on_commit_callbacks):
    fill(client, topic="extend_permit", expiry=datetime.date.today() + datetime.timedelta(days=30))
    client.post(f"{BASE}unterlagen/", {})
    check = html.unescape(client.get(f"{BASE}pruefen/").content.decode())
    assert "Voraussichtliche Gebühren" in check and "80,00" in check and "Online zahlen Sie nichts" in check

    submission = send(client, django_capture_on_commit_callbacks)

    assert not Payment.objects.filter(submission=submission).exists()
    assert submission.case.status == "received"  # the office has it at once
    confirmation = html.unescape(client.get(f"/antrag/eingereicht/{submission.uuid}/").content.decode())
    assert "Voraussichtliche Gebühren" in confirmation and "80,00" in confirmation


def test_the_service_page_lists_every_fee_and_offers_the_form(client, forms):
    page = html.unescape(client.get("/leistungen/zuwanderung-kontakt/").content.decode())
    assert "Noch nicht online" not in page and f'href="{BASE}"' in page
    for amount in ("80,00", "65,00", "13,00", "29,00"):
        assert amount in page


def test_the_topic_page_says_who_each_topic_is_for(client, forms):
    client.post(BASE)
    page = html.unescape(client.get(f"{BASE}schritt/topic/").content.decode())
    assert "Ihre Aufenthaltserlaubnis endet bald" in page
    assert "Sie laden einen Gast aus dem Ausland ein" in page
    # Each hint is read out with its radio.
    assert 'aria-describedby="id_topic-hint"' in page and 'id="id_topic-2-hint"' in page
    english = html.unescape(client.get(f"/en{BASE}schritt/topic/").content.decode())
    assert "Your residence permit ends soon" in english
