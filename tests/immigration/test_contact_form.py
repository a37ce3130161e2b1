"""The contact form's questions: clear messages for bad input (the typed answer kept), and a login prefills."""

import dataclasses
import datetime
import html

from django.core.files.uploadedfile import SimpleUploadedFile

from amtsweg.applications.models import StoredFile
from tests.applications.conftest import date_parts
from tests.identity.helpers import ADULT, log_in

from .helpers import BASE, answer_until, applicant, fill, post_step, send


def page(response) -> str:
    return html.unescape(response.content.decode())


def test_a_date_that_does_not_exist_is_refused_with_a_message_linked_from_the_summary(client, forms):
    answer_until(client, "permit")

    response = post_step(
        client, "permit", {"permit_expiry-day": "31", "permit_expiry-month": "2", "permit_expiry-year": "2027"}
    )

    assert response.status_code == 400
    text = page(response)
    assert "Es gibt ein Problem" in text and 'href="#id_permit_expiry-day"' in text
    assert "Das Datum muss ein gültiges Datum sein" in text
    assert 'value="31"' in text and 'value="2027"' in text  # nothing typed is lost


def test_the_expiry_date_is_needed_for_an_extension_but_not_for_a_question(client, forms):
    answer_until(client, "permit")
    response = post_step(client, "permit", {})
    assert response.status_code == 400
    assert "Geben Sie das Datum ein, bis zu dem Ihr Aufenthaltstitel gilt" in page(response)

    post_step(client, "topic", {"topic": "question"})  # the same draft, another topic: the date is not asked
    response = post_step(client, "request", {"request_text": "Eine Frage."})
    assert response.status_code == 302 and response["Location"].endswith("/schritt/contact/")


def test_a_phone_number_is_needed_when_a_call_is_preferred(client, forms):
    answer_until(client, "contact")
    assert post_step(client, "contact", {"contact_preference": "phone"}).status_code == 302
    response = post_step(client, "call", {"phone": "", "call_times": ["morning"]})

    assert response.status_code == 400
    assert "Geben Sie eine Telefonnummer ein, damit wir Sie anrufen können" in page(response)
    assert post_step(client, "call", {"phone": "0151 23456789", "call_times": ["morning"]}).status_code == 302
    assert post_step(client, "email_address", {"email": ""}).status_code == 302  # no email needed for a call


def test_an_email_address_is_needed_for_an_answer_by_email(client, forms):
    answer_until(client, "contact")
    assert post_step(client, "contact", {"contact_preference": "email"}).status_code == 302
    response = post_step(client, "email_address", {"email": ""})
    assert response.status_code == 400
    assert "Geben Sie eine E-Mail-Adresse ein, damit wir Ihnen antworten" in page(response)


def test_a_request_longer_than_2000_characters_is_refused_and_kept(client, forms):
    answer_until(client, "request")
    text = "Bitte helfen Sie mir. " * 100  # 2200 characters

    response = post_step(client, "request", {"request_text": text})

    assert response.status_code == 400
    body = page(response)
    assert "Ihr Anliegen darf höchstens 2000 Zeichen lang sein" in body
    assert text.strip() in body
    assert post_step(client, "request", {"request_text": "x" * 2000}).status_code == 302


def test_an_address_outside_the_city_and_district_of_kassel_is_sent_to_the_right_office(client, forms):
    answer_until(client, "applicant")
    response = post_step(client, "applicant", applicant(postcode="60311"))  # Frankfurt
    assert response.status_code == 400
    assert "Wir sind nur die Ausländerbehörde für die Stadt und den Landkreis Kassel" in page(response)
    assert post_step(client, "applicant", applicant(postcode="34225")).status_code == 302  # Baunatal, district


def test_a_text_file_posing_as_a_pdf_is_refused_on_the_documents_page(client, forms, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    fill(client, topic="extend_permit", expiry=datetime.date.today() + datetime.timedelta(days=20))
    good = SimpleUploadedFile("pass.pdf", b"%PDF-1.7\n" + b"\x00" * 100, content_type="application/pdf")
    fake = SimpleUploadedFile("vertrag.pdf", b"nur Text", content_type="application/pdf")

    response = client.post(f"{BASE}unterlagen/", {"passport": good, "employment_contract": fake})

    assert response.status_code == 400
    body = page(response)
    assert 'href="#id_employment_contract"' in body
    assert "Die ausgewählte Datei muss im Format PDF, JPG oder PNG sein" in body
    assert list(StoredFile.objects.values_list("field_key", flat=True)) == ["checklist:passport"]


def test_no_login_is_needed_and_a_login_prefills_name_birth_date_address_and_email(
    client, forms, django_capture_on_commit_callbacks
):
    assert client.post(BASE).status_code == 302  # anonymous: the form starts
    assert post_step(client, "topic", {"topic": "question"}).status_code == 302
    identity = dataclasses.replace(ADULT, trust_level="basic", email="erika@example.org")  # any level
    log_in(client, identity)

    form = page(client.get(f"{BASE}schritt/applicant/"))
    assert 'value="Erika"' in form and 'value="Mustermann"' in form and 'value="1964"' in form
    assert 'value="Heidestraße"' in form and 'value="34117"' in form

    fill(client, topic="question", logged_in=True, contact={"contact_preference": "email"})
    assert 'value="erika@example.org"' in page(client.get(f"{BASE}schritt/email_address/"))
    # Posted values for the ID's fields are ignored: the ID wins.
    post_step(
        client,
        "applicant",
        {
            "applicant_name-given_names": "Eve",
            **date_parts("birth_date", datetime.date(2000, 1, 1)),
            "nationality": "syrisch",
        },
    )
    submission = send(client, django_capture_on_commit_callbacks)
    assert submission.answers["applicant_name"]["given_names"] == "Erika"
    assert submission.answers["birth_date"] == "1964-08-12"
    assert submission.answers["address"]["postcode"] == "34117"
    assert submission.email == "erika@example.org"
