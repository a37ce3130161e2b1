"""The citizen's certificate orders through the form engine, over HTTP, up to the fee and the payment."""

import datetime
import html as html_lib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from amtsweg.applications.models import Submission
from amtsweg.cases.models import Case
from amtsweg.core import dates
from amtsweg.payments.models import Payment
from tests.applications.conftest import date_parts
from tests.identity.helpers import ADULT, log_in

from .ordering import (
    EHEURKUNDE,
    GEBURTSURKUNDE,
    LEBENSPARTNERSCHAFTSURKUNDE,
    STERBEURKUNDE,
    applicant,
    birth_certificate_steps,
    delivery,
    name,
    newborn_steps,
    post_step,
    walk,
)


def german(message: str) -> str:
    with translation.override("de"):
        return translation.gettext(message)


def page(response) -> str:
    return html_lib.unescape(response.content.decode())


def submit(client, base: str, django_capture_on_commit_callbacks) -> Submission:
    assert client.get(f"{base}pruefen/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{base}pruefen/", {"declaration": "yes"})
    assert response.status_code == 302, page(response)[:2000]
    return Submission.objects.latest("pk")


def test_birth_certificate_for_oneself_is_submitted_and_awaits_payment(
    client, forms, django_capture_on_commit_callbacks
):
    walk(client, GEBURTSURKUNDE, birth_certificate_steps(copies=2))
    check = page(client.get(f"{GEBURTSURKUNDE}pruefen/"))
    assert "18,00" in check  # the itemised fee on the check page
    submission = submit(client, GEBURTSURKUNDE, django_capture_on_commit_callbacks)
    assert submission.answers["copies"] == 2
    assert submission.answers["certificate_kind"] == "certificate"
    assert submission.applicant_name == "Erika Mustermann"
    assert submission.email == "erika@example.org"
    payment = Payment.objects.get(submission=submission)
    assert payment.amount_cents == 1800
    assert not Case.objects.filter(submission=submission).exists()  # the case opens once paid


def test_newborn_order_with_three_free_and_one_paid_copy(client, forms, django_capture_on_commit_callbacks):
    walk(client, GEBURTSURKUNDE, newborn_steps(free=["elterngeld", "kindergeld", "mutterschaftsgeld"], extra_copies=1))
    submission = submit(client, GEBURTSURKUNDE, django_capture_on_commit_callbacks)
    assert submission.answers["newborn"] is True
    assert submission.answers["hospital"] == "Klinikum Kassel"
    payment = Payment.objects.get(submission=submission)
    assert payment.amount_cents == 1200
    assert [line["total_cents"] for line in payment.items] == [0, 0, 0, 1200]


def test_free_purpose_order_skips_payment_and_reaches_the_standesamt(client, forms, django_capture_on_commit_callbacks):
    walk(client, GEBURTSURKUNDE, birth_certificate_steps(copies=1, purpose="kindergeld"))
    submission = submit(client, GEBURTSURKUNDE, django_capture_on_commit_callbacks)
    assert not Payment.objects.filter(submission=submission).exists()
    assert Case.objects.get(submission=submission).department.slug == "standesamt"


def test_delivery_abroad_adds_the_surcharge(client, forms, django_capture_on_commit_callbacks):
    walk(client, GEBURTSURKUNDE, birth_certificate_steps(copies=1, abroad=True))
    submission = submit(client, GEBURTSURKUNDE, django_capture_on_commit_callbacks)
    assert submission.answers["delivery_country"] == "Frankreich"
    assert Payment.objects.get(submission=submission).amount_cents == 1500


@pytest.mark.parametrize(
    ("base", "relationship", "entry"),
    [
        (
            EHEURKUNDE,
            "self",
            {**name("entry_name", "Erika", "Mustermann", "Gabler"), **name("second_name", "Max", "Mustermann")},
        ),
        (
            LEBENSPARTNERSCHAFTSURKUNDE,
            "self",
            {**name("entry_name", "Erika", "Mustermann"), **name("second_name", "Eva", "Mustermann")},
        ),
        (
            STERBEURKUNDE,
            "descendant",
            {**name("entry_name", "Hans", "Mustermann"), **date_parts("entry_birth_date", datetime.date(1940, 1, 2))},
        ),
    ],
)
def test_marriage_partnership_and_death_certificates_can_be_ordered(
    client, forms, django_capture_on_commit_callbacks, base, relationship, entry
):
    event = dates.today() - datetime.timedelta(days=3650)
    walk(
        client,
        base,
        [
            ("relationship", {"relationship": relationship}),
            ("applicant", applicant()),
            ("entry", {**entry, **date_parts("event_date", event), "event_place": "Kassel"}),
            ("order", {"certificate_kind": "international", "copies": "3", "purpose_text": "Rente"}),
            *delivery(),
        ],
    )
    submission = submit(client, base, django_capture_on_commit_callbacks)
    assert submission.answers["certificate_kind"] == "international"
    assert Payment.objects.get(submission=submission).amount_cents == 2400


# --- bad input: a clear message, what was typed is kept, never a 500 ----------------


def _to_entry(client, base=GEBURTSURKUNDE, relationship="self"):
    steps = [("relationship", {"relationship": relationship})]
    if base == GEBURTSURKUNDE:
        steps.append(("adoption", {"adopted": "no"}))
    walk(client, base, [*steps, ("applicant", applicant())])


def test_event_date_in_the_future_is_refused(client, forms):
    _to_entry(client)
    tomorrow = dates.today() + datetime.timedelta(days=1)
    response = post_step(
        client,
        GEBURTSURKUNDE,
        "entry",
        {**name("entry_name", "Erika", "Mustermann"), **date_parts("event_date", tomorrow), "event_place": "Kassel"},
    )
    assert response.status_code == 400
    assert german("The date must be today or in the past") in page(response)
    assert f'value="{tomorrow.year}"' in page(response)


def test_death_date_before_birth_date_is_refused(client, forms):
    _to_entry(client, STERBEURKUNDE, relationship="descendant")
    response = post_step(
        client,
        STERBEURKUNDE,
        "entry",
        {
            **name("entry_name", "Hans", "Mustermann"),
            **date_parts("entry_birth_date", datetime.date(1950, 6, 1)),
            **date_parts("event_date", datetime.date(1950, 5, 1)),
            "event_place": "Kassel",
        },
    )
    assert response.status_code == 400
    assert "Das Sterbedatum muss nach dem Geburtsdatum liegen." in page(response)


def test_a_marriage_before_the_spouse_was_sixteen_is_refused(client, forms):
    """The newcomer's example: a marriage in 2001 for a spouse born in 1990 (the applicant, ordering their own)."""
    walk(
        client,
        EHEURKUNDE,
        [
            ("relationship", {"relationship": "self"}),
            ("applicant", applicant(birth_date=datetime.date(1990, 5, 1))),
        ],
    )
    entry = {
        **name("entry_name", "Erika", "Mustermann"),
        **name("second_name", "Max", "Mustermann"),
        "event_place": "Kassel",
    }
    response = post_step(client, EHEURKUNDE, "entry", {**entry, **date_parts("event_date", datetime.date(2001, 6, 1))})
    assert response.status_code == 400
    assert "Sie waren an diesem Tag jünger als 16 Jahre" in page(response)
    response = post_step(client, EHEURKUNDE, "entry", {**entry, **date_parts("event_date", datetime.date(2012, 6, 1))})
    assert response.status_code == 302


def test_place_outside_kassel_is_referred_to_the_right_registry_office(client, forms):
    _to_entry(client)
    response = post_step(
        client,
        GEBURTSURKUNDE,
        "entry",
        {
            **name("entry_name", "Erika", "Mustermann"),
            **date_parts("event_date", datetime.date(1985, 3, 27)),
            "event_place": "Baunatal",
        },
    )
    assert response.status_code == 400
    assert "Standesamt" in page(response) and "Baunatal" in page(response)
    assert 'href="#id_event_place"' in page(response)


def test_entry_older_than_110_years_is_referred_to_the_stadtarchiv(client, forms):
    _to_entry(client)
    response = post_step(
        client,
        GEBURTSURKUNDE,
        "entry",
        {
            **name("entry_name", "Karl", "Muster"),
            **date_parts("event_date", datetime.date(1900, 1, 1)),
            "event_place": "Kassel",
        },
    )
    assert response.status_code == 400
    assert "Stadtarchiv Kassel" in page(response) and "stadtarchiv@kassel.de" in page(response)


@pytest.mark.parametrize("copies", ["0", "11"])
def test_zero_or_more_than_ten_copies_are_refused(client, forms, copies):
    steps = birth_certificate_steps()
    walk(client, GEBURTSURKUNDE, steps[:4])
    response = post_step(client, GEBURTSURKUNDE, "order", {"certificate_kind": "certificate", "copies": copies})
    assert response.status_code == 400
    assert "Sie können 1 bis 10 Urkunden bestellen" in page(response)
    assert f'value="{copies}"' in page(response)


def test_proof_with_the_wrong_type_is_refused(client, forms):
    walk(client, GEBURTSURKUNDE, [("relationship", {"relationship": "other"}), ("adoption", {"adopted": "no"})])
    text_file = SimpleUploadedFile("nachweis.txt", b"just some text, not a PDF", content_type="application/pdf")
    response = post_step(
        client,
        GEBURTSURKUNDE,
        "interest",
        {"legal_reason": "Nachlasspflegschaft", "manual_review": "yes"},
        files={"proof": text_file},
    )
    assert response.status_code == 400
    with translation.override("de"):
        expected = translation.gettext("The selected file must be a %(types)s").split("%")[0]
    assert expected in page(response)
    assert "Nachlasspflegschaft" in page(response)


def test_sibling_without_a_reason_is_stopped(client, forms):
    walk(client, GEBURTSURKUNDE, [("relationship", {"relationship": "sibling"}), ("adoption", {"adopted": "no"})])
    response = post_step(client, GEBURTSURKUNDE, "interest", {"reason": ""})
    assert response.status_code == 400
    assert "Geschwister bekommen eine Urkunde nur mit einem berechtigten Interesse" in page(response)


def test_birth_parent_after_an_adoption_is_sent_to_the_standesamt(client, forms):
    walk(client, GEBURTSURKUNDE, [("relationship", {"relationship": "ancestor"}), ("newborn", {"newborn": "no"})])
    assert post_step(client, GEBURTSURKUNDE, "adoption", {"adopted": "yes"}).status_code == 302
    response = post_step(client, GEBURTSURKUNDE, "adoptive_parent", {"adoptive_parent": "no"})
    assert response.status_code == 400
    html = page(response)
    assert "§ 63 Personenstandsgesetz" in html and "urkundenstelle@kassel.de" in html
    # Once stopped, the order cannot go on past this step.
    assert client.get(f"{GEBURTSURKUNDE}schritt/applicant/").status_code == 302


def test_other_person_with_proof_is_marked_for_manual_review(client, forms, django_capture_on_commit_callbacks):
    pdf = SimpleUploadedFile("nachweis.pdf", b"%PDF-1.4\n%test\n", content_type="application/pdf")
    assert client.post(GEBURTSURKUNDE).status_code == 302
    post_step(client, GEBURTSURKUNDE, "relationship", {"relationship": "other"})
    post_step(client, GEBURTSURKUNDE, "adoption", {"adopted": "no"})
    response = post_step(
        client,
        GEBURTSURKUNDE,
        "interest",
        {"legal_reason": "Nachlasspflegschaft, Az. 12 VI 3/26", "manual_review": "yes"},
        files={"proof": pdf},
    )
    assert response.status_code == 302, page(response)[:2000]
    for key, data in birth_certificate_steps()[2:]:
        assert post_step(client, GEBURTSURKUNDE, key, data).status_code == 302
    submission = submit(client, GEBURTSURKUNDE, django_capture_on_commit_callbacks)
    assert submission.answers["manual_review"] is True
    assert submission.answers["proof"]["name"] == "nachweis.pdf"
    assert submission.files.filter(field_key="proof").exists()


def test_no_login_is_needed_and_a_login_prefills_the_applicant(client, forms):
    assert client.post(GEBURTSURKUNDE).status_code == 302  # anonymous: the form starts
    log_in(client, ADULT)
    post_step(client, GEBURTSURKUNDE, "relationship", {"relationship": "self"})
    post_step(client, GEBURTSURKUNDE, "adoption", {"adopted": "no"})
    html = page(client.get(f"{GEBURTSURKUNDE}schritt/applicant/"))
    assert 'value="Erika"' in html and 'value="1964"' in html
    # Locked: what is posted for the ID's fields is ignored.
    response = post_step(
        client, GEBURTSURKUNDE, "applicant", {**name("applicant_name", "Eve", "Forger"), "email": "e@example.org"}
    )
    assert response.status_code == 302


def test_the_order_works_in_english_with_english_referrals(client, forms):
    base = "/en" + STERBEURKUNDE
    walk(client, base, [("relationship", {"relationship": "descendant"}), ("applicant", applicant())])
    entry = page(client.get(f"{base}schritt/entry/"))
    assert "The person who died" in entry and "Date of death" in entry
    response = post_step(
        client,
        base,
        "entry",
        {
            **name("entry_name", "Hans", "Mustermann"),
            **date_parts("entry_birth_date", datetime.date(1900, 1, 2)),
            **date_parts("event_date", datetime.date(1980, 5, 1)),
            "event_place": "Kassel",
        },
    )
    assert response.status_code == 400
    html = page(response)
    assert "The registry office keeps these entries for 30 years" in html and "Stadtarchiv Kassel" in html
