"""The four i-Kfz forms walked with the demo eID and the demo vehicle registry: to the check page, through the
demo payment to a case; the warning before the codes; the fee quotes from the catalogue; the trust level
"hoch"; a keeper outside the district; bad input in every field keeps the answers."""

import datetime
import json
from pathlib import Path

import pytest
import yaml

from amtsweg.applications.formengine.definition import drop_hidden_answers, parse_definition, visible_steps
from amtsweg.applications.models import Draft, Submission
from amtsweg.cases.models import Case
from amtsweg.catalogue.models import Service
from amtsweg.identity.base import Identity
from amtsweg.payments.fees import fee_quote
from amtsweg.payments.models import Payment
from tests.applications.conftest import date_parts
from tests.identity.helpers import log_in

from .conftest import (
    ADDRESS_CHANGE,
    BANK,
    BASE,
    DEREGISTRATION,
    EMAIL,
    KEEPER_CHANGE,
    MANDATE,
    MOVE_IN,
    NEW_REGISTRATION,
    REREGISTRATION,
    WARNING,
    begin,
    errors_on,
    post,
    step_url,
    walk,
)

FORMS = Path(__file__).resolve().parents[2] / "amtsweg" / "vehicles" / "forms"
SLUGS = ["kfz-ausserbetriebsetzung", "kfz-neuzulassung", "kfz-umschreibung", "kfz-wiederzulassung"]
CODE_TYPES = {"zb1_code", "zb2_code", "seal_code"}


def definition(slug: str):
    return parse_definition(yaml.safe_load((FORMS / f"{slug}.yaml").read_text(encoding="utf-8")))


def pay(client, pay_url: str) -> None:
    """Pay through the demo provider as the browser does."""
    demo_url = client.post(pay_url, {"method": "card"})["Location"]
    back = client.post(demo_url, {"outcome": "paid"})["Location"]
    assert client.get(back).status_code == 302


def send(client, slug: str):
    return client.post(f"{BASE.format(slug=slug)}pruefen/", {"declaration": "yes"})


def _texts(value, where=""):
    if isinstance(value, dict):
        if isinstance(value.get("de"), str):
            yield where, value
        else:
            for key, item in value.items():
                yield from _texts(item, f"{where}.{key}")
    elif isinstance(value, list):
        for number, item in enumerate(value):
            yield from _texts(item, f"{where}[{number}]")


@pytest.mark.parametrize("slug", SLUGS)
def test_every_text_is_in_german_and_english_and_nothing_else(slug):
    """A comma in an unquoted YAML text splits it into a stray key: the text would be cut off at the comma."""
    raw = yaml.safe_load((FORMS / f"{slug}.yaml").read_text(encoding="utf-8"))
    assert [where for where, text in _texts(raw) if set(text) != {"de", "en"}] == []


# --- the journeys -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("slug", "steps", "person", "amount"),
    [
        ("kfz-ausserbetriebsetzung", DEREGISTRATION, "kassel-adult", 210 + 260),
        ("kfz-neuzulassung", NEW_REGISTRATION, "kassel-adult", 1280 + 1020 + 260),
        ("kfz-umschreibung", KEEPER_CHANGE, "kassel-adult", 1040),
        ("kfz-umschreibung", MOVE_IN, "kassel-foreign", 1210),
        ("kfz-wiederzulassung", REREGISTRATION, "kassel-adult", 1060),
    ],
    ids=["deregistration", "new-registration", "keeper-change", "move-in", "re-registration"],
)
def test_a_keeper_fills_in_pays_and_the_case_opens(client, ikfz, slug, steps, person, amount):
    walk(client, slug, steps, person=person)
    check = client.get(f"{BASE.format(slug=slug)}pruefen/")
    assert check.status_code == 200
    euros, cents = divmod(amount, 100)
    assert f"{euros},{cents:02d}" in check.content.decode()  # the total the catalogue says

    pay_url = send(client, slug)["Location"]
    payment = Payment.objects.get()
    assert payment.amount_cents == amount
    assert not Case.objects.exists()  # paid online before the case opens
    pay(client, pay_url)

    case = Case.objects.get()
    assert case.service.slug == slug
    answers = Submission.objects.get().answers
    assert answers["name"]["family_name"] == {"kassel-adult": "Mustermann", "kassel-foreign": "Haddad"}[person]
    assert answers["codes_ready"] is True


def test_a_change_of_address_has_no_fee_and_opens_the_case_at_once(client, ikfz):
    walk(client, "kfz-umschreibung", ADDRESS_CHANGE, person="landkreis")
    response = send(client, "kfz-umschreibung")
    assert response.status_code == 302
    assert not Payment.objects.exists()
    case = Case.objects.get()
    assert case.submission.answers["variant"] == "address_change"
    assert case.submission.answers["address"]["town"] == "Hofgeismar"


def test_the_data_from_the_id_are_locked(client, ikfz):
    begin(client, "kfz-ausserbetriebsetzung")
    page = client.get(step_url("kfz-ausserbetriebsetzung", "keeper")).content.decode()
    assert 'value="Friedrich-Ebert-Straße"' in page and "kann hier nicht geändert werden" in page
    post(
        client,
        "kfz-ausserbetriebsetzung",
        "keeper",
        {"name-given_names": "Max", "name-family_name": "Muster", "address-postcode": "37073"},
    )
    answers = Draft.objects.get().answers
    assert (answers["name"]["given_names"], answers["name"]["family_name"]) == ("Erika", "Mustermann")
    assert answers["address"]["postcode"] == "34117"


# --- the trust level and the district -----------------------------------------------------------------------


@pytest.mark.parametrize("slug", SLUGS)
def test_the_forms_need_the_eid_at_level_hoch(client, ikfz, slug):
    assert Service.objects.get(slug=slug).trust_level == "high"
    log_in(client, Identity(provider="email", subject="mail-erika", trust_level="basic", email="erika@example.org"))
    response = client.post(BASE.format(slug=slug))
    assert response.status_code == 403
    assert "Bitte melden Sie sich an" in response.content.decode()  # with the online ID, at level "hoch"
    assert not Draft.objects.exists()


def test_a_keeper_living_outside_the_district_is_told_where_to_go(client, ikfz):
    begin(client, "kfz-neuzulassung", person="other-city")
    response = post(client, "kfz-neuzulassung", "keeper", {})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Zulassungsstelle" in page and "verwaltung.bund.de" in page and "115" in page
    assert client.get(step_url("kfz-neuzulassung", "vehicle")).status_code == 302  # no further


def test_a_vehicle_from_before_2015_is_refused_with_the_reason_before_any_code(client, ikfz):
    walk(client, "kfz-wiederzulassung", REREGISTRATION[:1], to_check=False)
    response = post(client, "kfz-wiederzulassung", "vehicle", {"vin": "WF0DXXGAKD9A12003", "zb2_number": "EM2012003"})
    assert response.status_code == 400
    assert any("1. Januar 2015" in error for error in errors_on(response) if error.startswith("vin:"))
    assert 'value="WF0DXXGAKD9A12003"' in response.content.decode()


# --- the warning before the codes ---------------------------------------------------------------------------


@pytest.mark.parametrize("slug", SLUGS)
def test_no_code_is_asked_before_the_warning_and_every_other_question_is(slug):
    steps = definition(slug).steps
    keys = [step.key for step in steps]
    warning = keys.index("codes_warning")
    for number, step in enumerate(steps):
        codes = [spec.key for spec in step.fields if spec.type in CODE_TYPES]
        assert not codes or number > warning, (slug, step.key)
        if number > warning:
            assert codes and len(codes) == len(step.fields), (slug, step.key)  # after it only codes


@pytest.mark.parametrize(
    ("slug", "answers"),
    [
        ("kfz-umschreibung", {"variant": "keeper_change", "keep_plate": False, "plate_choice": "random"}),
        ("kfz-umschreibung", {"variant": "address_change"}),
        ("kfz-wiederzulassung", {"keep_plate": False, "plate_choice": "wish", "holder_is_keeper": False}),
    ],
)
def test_the_warning_stays_before_the_codes_whatever_the_answers(slug, answers):
    keys = [step.key for step in visible_steps(definition(slug), answers)]
    warning = keys.index("codes_warning")
    assert set(keys[warning + 1 :]) <= {"zb1", "zb2", "seals"} and keys[warning + 1 :]


def test_the_warning_page_says_what_an_uncovered_code_does_and_must_be_confirmed(client, ikfz):
    walk(client, "kfz-ausserbetriebsetzung", DEREGISTRATION[:5], to_check=False)
    page = client.get(step_url("kfz-ausserbetriebsetzung", "codes_warning")).content.decode()
    assert "nicht mehr gültig" in page and "entstempelt" in page and "Zulassungsstelle" in page
    assert "zb1_code" not in page

    refused = post(client, "kfz-ausserbetriebsetzung", "codes_warning", {})
    assert refused.status_code == 400
    assert client.get(step_url("kfz-ausserbetriebsetzung", "zb1")).status_code == 302  # not before the consent
    assert post(client, "kfz-ausserbetriebsetzung", "codes_warning", WARNING)["Location"].endswith("/schritt/zb1/")


def test_a_registry_that_does_not_answer_on_the_vehicle_step_loses_nothing(client, ikfz):
    _walked_to(client, "kfz-umschreibung", KEEPER_CHANGE, "vehicle")
    ikfz.stop()
    data = KEEPER_CHANGE[2][1]
    response = post(client, "kfz-umschreibung", "vehicle", data)
    assert response.status_code == 400
    assert any("später" in error for error in errors_on(response) if error.startswith("plate:"))
    page = response.content.decode()
    assert all(f'value="{value}"' in page for value in data.values())
    ikfz.start()
    assert post(client, "kfz-umschreibung", "vehicle", data)["Location"].endswith("/schritt/inspection/")


# --- before sending: the registry once more -----------------------------------------------------------------


def test_a_registry_that_does_not_answer_when_sending_does_not_stop_the_application(client, ikfz):
    walk(client, "kfz-ausserbetriebsetzung", DEREGISTRATION)
    ikfz.stop()
    response = send(client, "kfz-ausserbetriebsetzung")
    assert response.status_code == 302
    assert Payment.objects.exists()  # kept, and sent when the registry answers again (the back office)


def test_a_wish_plate_taken_meanwhile_sends_the_citizen_back_before_paying(client, ikfz):
    walk(client, "kfz-neuzulassung", NEW_REGISTRATION)
    data = ikfz.read()
    data["plates"]["KS-EM 2026"] = {"state": "taken"}  # somebody else got it meanwhile
    ikfz.data.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    ikfz.restart()
    response = send(client, "kfz-neuzulassung")
    assert response["Location"].endswith("/schritt/wish/?aendern=1")
    assert not Submission.objects.exists()
    assert "Dieses Kennzeichen ist nicht frei" in client.get(response["Location"]).content.decode()


# --- the fee quotes -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("slug", "answers", "codes"),
    [
        ("kfz-ausserbetriebsetzung", {"reserve_plate": False, "scrapped": False}, ["online-deregistration"]),
        (
            "kfz-ausserbetriebsetzung",
            {"reserve_plate": True, "scrapped": False},
            ["online-deregistration", "number-reservation"],
        ),
        ("kfz-neuzulassung", {"plate_choice": "random", "area_code": "KS"}, ["online-registration"]),
        (
            "kfz-neuzulassung",
            {"plate_choice": "wish", "wish_plate": "KS-EM 2026"},
            ["online-registration", "personalised-number", "number-reservation"],
        ),
        (
            "kfz-umschreibung",
            {"variant": "keeper_change", "plate": "KS-MM 314", "keep_plate": True},
            ["online-same-district-keep-plate"],
        ),
        (
            "kfz-umschreibung",
            {"variant": "keeper_change", "plate": "HOG-AB 12", "keep_plate": False, "plate_choice": "random"},
            ["online-same-district-new-plate"],
        ),
        (
            "kfz-umschreibung",
            {"variant": "keeper_change", "plate": "GÖ-XY 45", "keep_plate": True},
            ["online-other-district-keep-plate"],
        ),
        (
            "kfz-umschreibung",
            {"variant": "move_in", "plate": "F-AH 321", "keep_plate": True},
            ["online-other-district-keep-plate"],
        ),
        (
            "kfz-umschreibung",
            {
                "variant": "move_in",
                "plate": "F-AH 321",
                "keep_plate": False,
                "plate_choice": "wish",
                "wish_plate": "KS-AH 321",
            },
            ["online-other-district-new-plate", "personalised-number", "number-reservation"],
        ),
        ("kfz-umschreibung", {"variant": "address_change", "plate": "KS-LS 690"}, []),
        ("kfz-wiederzulassung", {"keep_plate": True, "plate": "KS-EM 2020"}, ["online-reregistration"]),
        (
            "kfz-wiederzulassung",
            {"keep_plate": False, "plate_choice": "wish", "wish_plate": "KS-EM 2026"},
            ["online-reregistration", "personalised-number", "number-reservation"],
        ),
    ],
)
def test_the_quote_charges_what_the_catalogue_says_for_the_answers(kassel, slug, answers, codes):
    with_counts = drop_hidden_answers(definition(slug), answers)
    quote = fee_quote(service=Service.objects.get(slug=slug), answers=with_counts)
    assert [line.code for line in quote.lines] == codes
    amounts = {fee.code: fee.amount_cents for fee in Service.objects.get(slug=slug).fees.all()}
    assert quote.total_cents == sum(amounts[code] for code in codes)


# --- bad input ----------------------------------------------------------------------------------------------


def _walked_to(client, slug: str, steps, step: str, person: str = "kassel-adult") -> None:
    keys = [key for key, _data in steps]
    walk(client, slug, steps[: keys.index(step)], person=person, to_check=False)


@pytest.mark.parametrize(
    ("slug", "steps", "step", "data", "field", "kept"),
    [
        (
            "kfz-ausserbetriebsetzung",
            DEREGISTRATION,
            "vehicle",
            {"plate": "KS-EM 812", "vin": "WVWZZZ1KZ9W81200O"},
            "vin",
            "WVWZZZ1KZ9W81200O",
        ),
        (
            "kfz-ausserbetriebsetzung",
            DEREGISTRATION,
            "vehicle",
            {"plate": "KS-SS 812", "vin": "WVWZZZ1KZ9W812001"},
            "plate",
            "KS-SS 812",
        ),
        ("kfz-ausserbetriebsetzung", DEREGISTRATION, "reserve", {"reserve_plate": ""}, "reserve_plate", None),
        ("kfz-ausserbetriebsetzung", DEREGISTRATION, "scrapping", {}, "scrapped", None),
        ("kfz-ausserbetriebsetzung", DEREGISTRATION, "contact", {"email": "erika@", "phone": ""}, "email", "erika@"),
        ("kfz-ausserbetriebsetzung", DEREGISTRATION, "codes_warning", {}, "codes_ready", None),
        ("kfz-ausserbetriebsetzung", DEREGISTRATION, "zb1", {"zb1_code": "K4mT7p"}, "zb1_code", "K4mT7p"),
        (
            "kfz-ausserbetriebsetzung",
            DEREGISTRATION,
            "seals",
            {"seal_front": "a7l", "seal_rear": "Rt3"},
            "seal_front",
            "a7l",
        ),
        (
            "kfz-neuzulassung",
            NEW_REGISTRATION,
            "vehicle",
            {"vin": "WVWZZZE1ZRP050005", "zb2_number": "NZ202600"},
            "zb2_number",
            "NZ202600",
        ),
        ("kfz-neuzulassung", NEW_REGISTRATION, "insurance", {"evb": "K7M3N2O"}, "evb", "K7M3N2O"),
        ("kfz-neuzulassung", NEW_REGISTRATION, "plate_choice", {}, "plate_choice", None),
        ("kfz-neuzulassung", NEW_REGISTRATION, "wish", {"wish_plate": "KS-EM 02026"}, "wish_plate", "KS-EM 02026"),
        (
            "kfz-neuzulassung",
            NEW_REGISTRATION,
            "bank",
            {"iban": "DE89 3704 0044 0532 0130 01", "holder_is_keeper": "yes"},
            "iban",
            "DE89 3704 0044 0532 0130 01",
        ),
        ("kfz-neuzulassung", NEW_REGISTRATION, "mandate", {}, "sepa_consent", None),
        ("kfz-neuzulassung", NEW_REGISTRATION, "zb2", {"zb2_code": "Fn6Tq2Xc8Hv0"}, "zb2_code", "Fn6Tq2Xc8Hv0"),
        ("kfz-umschreibung", KEEPER_CHANGE, "variant", {}, "variant", None),
        ("kfz-umschreibung", KEEPER_CHANGE, "keep", {}, "keep_plate", None),
        (
            "kfz-wiederzulassung",
            REREGISTRATION,
            "inspection",
            {"inspection_due-day": "31", "inspection_due-month": "2", "inspection_due-year": "2030"},
            "inspection_due",
            "2030",
        ),
        ("kfz-wiederzulassung", REREGISTRATION, "old_plate", {"plate": "KS-EM 20200"}, "plate", "KS-EM 20200"),
    ],
)
def test_bad_input_gives_a_message_and_keeps_what_was_typed(client, ikfz, slug, steps, step, data, field, kept):
    _walked_to(client, slug, steps, step)
    response = post(client, slug, step, data)
    assert response.status_code == 400
    found = errors_on(response)
    assert any(error.startswith(f"{field}:") for error in found), found
    page = response.content.decode()
    assert "error-summary" in page
    if kept is not None:
        assert kept in page
    before = {key for key, _data in steps[: [key for key, _d in steps].index(step)]}
    assert before <= set(Draft.objects.get().completed_steps)  # nothing earlier is lost


def test_a_scrapped_vehicle_needs_the_certificate_of_destruction(client, ikfz):
    _walked_to(client, "kfz-ausserbetriebsetzung", DEREGISTRATION, "scrapping")
    assert post(client, "kfz-ausserbetriebsetzung", "scrapping", {"scrapped": "yes"})["Location"].endswith(
        "/schritt/recycling/"
    )
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    bad = post(
        client,
        "kfz-ausserbetriebsetzung",
        "recycling",
        {**date_parts("recycling_date", tomorrow), "recycling_company": "?"},
    )
    assert bad.status_code == 400
    assert {error.split(":")[0] for error in errors_on(bad)} == {"recycling_date", "recycling_company"}
    good = {**date_parts("recycling_date", datetime.date.today()), "recycling_company": "DE-12345678"}
    assert post(client, "kfz-ausserbetriebsetzung", "recycling", good)["Location"].endswith("/schritt/contact/")
    answers = Draft.objects.get().answers
    assert answers["recycling_company"] == "DE-12345678" and answers["scrapped"] is True
    post(client, "kfz-ausserbetriebsetzung", "scrapping", {"scrapped": "no"})
    assert "recycling_date" not in Draft.objects.get().answers  # only when scrapped


def test_a_valid_answer_beside_a_wrong_one_is_kept(client, ikfz):
    _walked_to(client, "kfz-neuzulassung", NEW_REGISTRATION, "bank")
    post(client, "kfz-neuzulassung", "bank", {"iban": "DE89 3704 0044 0532 0130 01", "holder_is_keeper": "no"})
    assert Draft.objects.get().answers["holder_is_keeper"] is False


def test_an_account_holder_who_is_not_the_keeper_agrees_too(client, ikfz):
    steps = [
        *NEW_REGISTRATION[:6],
        ("bank", {**BANK, "holder_is_keeper": "no"}),
        ("account_holder", {"account_holder": "Max Mustermann", "holder_consent": "yes"}),
        ("mandate", MANDATE),
        ("contact", EMAIL),
    ]
    _walked_to(client, "kfz-neuzulassung", steps, "account_holder")
    missing = post(client, "kfz-neuzulassung", "account_holder", {"account_holder": "Max Mustermann"})
    assert missing.status_code == 400
    assert any(error.startswith("holder_consent:") for error in errors_on(missing))
    assert post(client, "kfz-neuzulassung", "account_holder", steps[7][1]).status_code == 302
