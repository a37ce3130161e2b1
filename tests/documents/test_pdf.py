import datetime
from pathlib import Path

import pytest
from django.utils import timezone

from amtsweg.documents.pdf import StaticFilesOnlyFetcher, static_root, submission_summary_pdf
from amtsweg.documents.services import submission_summary_pdf_store
from amtsweg.documents.storage import private_file_path
from tests.applications.factories import SubmissionFactory

from .pdftext import pdf_fonts, pdf_info, pdf_objects, pdf_text

pytestmark = pytest.mark.django_db

ANSWERS = {
    "name": {"given_names": "Erika", "family_name": "Mustermann"},
    "email": "erika@example.org",
}


def _submission(**kwargs):  # type: ignore[no-untyped-def]
    submission = SubmissionFactory(reference="KS-2026-000123-4", answers=ANSWERS, **kwargs)
    # 10:30 in Kassel; stored in UTC
    submission.submitted_at = datetime.datetime(2026, 3, 2, 9, 30, tzinfo=datetime.UTC)
    submission.save(update_fields=["submitted_at"])
    return submission


def test_german_summary_shows_city_service_reference_time_and_every_answer_under_its_step():
    submission = _submission(language="de")

    text = pdf_text(submission_summary_pdf(submission=submission))

    assert "Stadt Kassel" in text
    assert submission.service.name_de in text
    assert "KS-2026-000123-4" in text
    assert "2. März 2026 10:30" in text
    assert "Ihre Angaben" in text  # the step title
    assert "Ihr Name" in text and "Erika Mustermann" in text
    assert "E-Mail-Adresse" in text and "erika@example.org" in text
    assert text.index("Ihre Angaben") < text.index("Ihr Name") < text.index("E-Mail-Adresse")
    assert "115" in text


def test_english_summary_uses_the_english_labels_of_the_frozen_definition():
    submission = _submission(language="en")

    text = pdf_text(submission_summary_pdf(submission=submission))

    assert "City of Kassel" in text
    assert submission.service.name_en in text
    assert "About you" in text and "Your name" in text and "Email address" in text
    assert "Erika Mustermann" in text
    assert "Ihr Name" not in text


def test_unanswered_fields_are_left_out():
    submission = _submission(language="de")
    submission.answers = {"name": ANSWERS["name"], "email": ""}
    submission.save(update_fields=["answers"])

    text = pdf_text(submission_summary_pdf(submission=submission))

    assert "Erika Mustermann" in text
    assert "E-Mail-Adresse" not in text


def test_summary_is_a_tagged_a4_pdf_with_title_and_document_language():
    submission = _submission(language="en")

    data = submission_summary_pdf(submission=submission)

    info = pdf_info(data)
    assert info["Tagged"] == "yes"
    assert "KS-2026-000123-4" in info["Title"]
    assert info["Page size"].startswith("595.")  # A4 width in points
    assert b"/Lang (en)" in pdf_objects(data)


def test_summary_embeds_the_vendored_fira_sans_font_from_the_static_folder():
    data = submission_summary_pdf(submission=_submission(language="de"))

    assert "Fira-Sans" in pdf_fonts(data)


def test_answers_that_look_like_html_are_printed_as_text_and_fetch_nothing():
    submission = _submission(language="de")
    submission.answers = {
        "name": {"given_names": '<img src="https://example.org/track.png">', "family_name": "Mustermann"},
        "email": "erika@example.org",
    }
    submission.save(update_fields=["answers"])

    text = pdf_text(submission_summary_pdf(submission=submission))

    assert '<img src="https://example.org/track.png">' in text


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/evil.css",
        "http://127.0.0.1:8000/static/css/amtsweg.css",
        "data:text/css,body{}",
        "ftp://example.org/x.css",
        "file:///etc/passwd",
        "file://remote-host/share/x.css",
    ],
)
def test_pdf_fetcher_refuses_everything_outside_the_static_folder(url):
    fetcher = StaticFilesOnlyFetcher(root=static_root())

    with pytest.raises(ValueError, match="refused"):
        fetcher.fetch(url)


def test_pdf_fetcher_refuses_a_path_that_climbs_out_of_the_static_folder():
    fetcher = StaticFilesOnlyFetcher(root=static_root())
    escaping = static_root().as_uri() + "/../settings/base.py"

    with pytest.raises(ValueError, match="refused"):
        fetcher.fetch(escaping)


def test_pdf_fetcher_reads_files_inside_the_static_folder():
    fetcher = StaticFilesOnlyFetcher(root=static_root())

    response = fetcher.fetch((static_root() / "css" / "amtsweg.css").as_uri())
    try:
        assert response.read()
    finally:
        response.close()


def test_stored_summary_is_generated_once_and_reused(private_media):
    submission = _submission(language="de")

    first = submission_summary_pdf_store(submission=submission)
    submission.refresh_from_db()
    second = submission_summary_pdf_store(submission=submission)

    assert first == second == submission.summary_pdf
    path = private_file_path(first)
    assert path.read_bytes().startswith(b"%PDF-")
    assert Path(private_media).resolve() in path.parents
    assert len([p for p in Path(private_media).rglob("*") if p.is_file()]) == 1


def test_a_stored_summary_missing_on_disk_is_generated_again():
    submission = _submission(language="de")
    first = submission_summary_pdf_store(submission=submission)
    private_file_path(first).unlink()

    second = submission_summary_pdf_store(submission=submission)

    submission.refresh_from_db()
    assert second != first
    assert submission.summary_pdf == second
    assert private_file_path(second).is_file()


def test_submission_time_is_shown_in_kassel_time_even_in_summer():
    submission = _submission(language="de")
    submission.submitted_at = timezone.make_aware(datetime.datetime(2026, 7, 1, 8, 5), datetime.UTC)
    submission.save(update_fields=["submitted_at"])

    assert "1. Juli 2026 10:05" in pdf_text(submission_summary_pdf(submission=submission))


def test_the_summary_masks_security_codes_and_the_iban_that_the_check_page_showed():
    from amtsweg.applications.formengine.definition import parse_definition
    from amtsweg.applications.formengine.registry import field_types

    definition = {
        "service": "kfz-ausserbetriebsetzung",
        "version": 1,
        "title": {"de": "Außerbetriebsetzung", "en": "Deregistration"},
        "steps": [
            {
                "key": "codes",
                "title": {"de": "Codes", "en": "Codes"},
                "fields": [
                    {"key": "zb1_code", "type": "zb1_code", "label": {"de": "Code ZB I", "en": "Code ZB I"}},
                    {"key": "iban", "type": "iban", "label": {"de": "IBAN", "en": "IBAN"}},
                ],
            }
        ],
    }
    answers = {"zb1_code": "K4mT7pX", "iban": "DE89370400440532013000"}
    submission = SubmissionFactory(definition=definition, answers=answers, language="de")

    text = pdf_text(submission_summary_pdf(submission=submission))

    assert "K4mT7pX" not in text and "Angegeben, hier nicht gezeigt" in text
    assert "DE89370400440532013000" not in text and "0532 0130" not in text
    assert "DE89" in text and text.count("•") >= 10
    # The check page and the case page still show what was entered.
    spec = parse_definition(definition).steps[0].fields
    assert field_types.get("zb1_code").display(spec[0], "K4mT7pX") == "K4mT7pX"
    assert field_types.get("iban").display(spec[1], answers["iban"]) == "DE89 3704 0044 0532 0130 00"
