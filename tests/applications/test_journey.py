import datetime
import re
import threading

import pytest
from django.core import mail
from django.db import connection
from django.test import Client

from amtsweg.applications.access import status_access_code
from amtsweg.applications.models import Draft, Submission
from amtsweg.applications.references import access_code_hash, reference_normalize
from amtsweg.cases.models import Case

from .conftest import ABMELDUNG_BASE, address, date_parts, fill_abmeldung, log_in_for_abmeldung


def test_service_page_start_button_leads_to_the_online_form(client, forms):
    html = client.get("/leistungen/nebenwohnung-abmelden/").content.decode()
    assert f'href="{ABMELDUNG_BASE}"' in html
    start = client.get(ABMELDUNG_BASE)
    assert start.status_code == 200
    assert "Was Sie brauchen" in start.content.decode()


def test_error_keeps_the_answers_and_has_summary_title_and_inline_message(client, abmeldung):
    log_in_for_abmeldung(client)
    client.post(ABMELDUNG_BASE)
    client.post(f"{ABMELDUNG_BASE}schritt/person/", {"action": "continue"})
    moved = datetime.date.today() - datetime.timedelta(days=3)
    response = client.post(
        f"{ABMELDUNG_BASE}schritt/secondary/",
        {**address("secondary_address", number=""), **date_parts("moved_out_on", moved)},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "<title>Fehler:" in html
    assert 'role="alert"' in html
    assert 'value="Wilhelmshöher Allee"' in html  # nothing entered is lost
    assert f'value="{moved.year}"' in html
    summary_links = html.count('href="#id_secondary_address-number"')
    assert summary_links == 1


def test_move_out_more_than_14_days_ago_is_refused(client, abmeldung):
    log_in_for_abmeldung(client)
    client.post(ABMELDUNG_BASE)
    client.post(f"{ABMELDUNG_BASE}schritt/person/", {"action": "continue"})
    too_old = datetime.date.today() - datetime.timedelta(days=15)
    response = client.post(
        f"{ABMELDUNG_BASE}schritt/secondary/",
        {
            "secondary_address-street": "Königsstraße",
            "secondary_address-number": "1",
            "secondary_address-postcode": "34117",
            "secondary_address-town": "Kassel",
            **date_parts("moved_out_on", too_old),
        },
    )
    assert response.status_code == 400
    assert "secondary" not in Draft.objects.get().completed_steps


def test_steps_cannot_be_skipped(client, abmeldung):
    log_in_for_abmeldung(client)
    client.post(ABMELDUNG_BASE)
    response = client.get(f"{ABMELDUNG_BASE}schritt/contact/")
    assert response.status_code == 302
    assert response["Location"].endswith("/schritt/person/")


def test_full_journey_creates_one_submission_one_case_and_a_reference(
    client, abmeldung, django_capture_on_commit_callbacks
):
    fill_abmeldung(client)
    check = client.get(f"{ABMELDUNG_BASE}pruefen/")
    assert check.status_code == 200
    html = check.content.decode()
    assert "Jonas" in html and "Ändern" in html
    missing_declaration = client.post(f"{ABMELDUNG_BASE}pruefen/", {})
    assert missing_declaration.status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{ABMELDUNG_BASE}pruefen/", {"declaration": "yes"})
    assert response.status_code == 302
    submission = Submission.objects.get()
    assert reference_normalize(submission.reference) == submission.reference
    assert Case.objects.get().submission == submission
    assert submission.case.department.slug == "buergerbuero"
    assert not Draft.objects.exists()
    confirmation = client.get(response["Location"]).content.decode()
    assert submission.reference in confirmation


def test_sending_twice_gives_one_submission(client, abmeldung):
    fill_abmeldung(client)
    first = client.post(f"{ABMELDUNG_BASE}pruefen/", {"declaration": "yes"})
    second = client.post(f"{ABMELDUNG_BASE}pruefen/", {"declaration": "yes"})
    assert first.status_code == 302
    assert second.status_code == 302  # the draft is gone: back to the start, nothing doubled
    assert Submission.objects.count() == 1
    assert Case.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_parallel_double_click_makes_exactly_one_submission(kassel, demo_register):
    from amtsweg.applications.services import form_definitions_load, submission_create

    form_definitions_load()
    client = Client()
    fill_abmeldung(client)
    draft = Draft.objects.get()
    results, errors = [], []

    def submit():
        try:
            results.append(submission_create(draft=draft))
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Submission.objects.count() == 1
    assert Case.objects.count() == 1
    assert len({s.pk for s, _code in results}) == 1
    assert sum(1 for _s, code in results if code) == 1  # only one caller learns the access code


def test_hidden_answers_are_dropped_from_the_submission(client, abmeldung):
    from amtsweg.applications.services import submission_create

    fill_abmeldung(client)
    draft = Draft.objects.get()
    draft.answers["not_in_the_form"] = "x"
    draft.save()
    submission, _code = submission_create(draft=draft)
    assert "not_in_the_form" not in submission.answers


@pytest.mark.django_db(transaction=True)  # the task worker checks its connection
def test_save_for_later_emails_a_resume_link_that_restores_the_draft(client, abmeldung, run_tasks):
    log_in_for_abmeldung(client)
    client.post(ABMELDUNG_BASE)
    response = client.post(f"{ABMELDUNG_BASE}schritt/person/", {"action": "save"})
    assert response.status_code == 302
    assert client.post(f"{ABMELDUNG_BASE}speichern/", {"email": "kaputt"}).status_code == 400
    assert client.post(f"{ABMELDUNG_BASE}speichern/", {"email": "erika@example.org"}).status_code == 200
    run_tasks()  # the task worker sends the link
    link = next(line for line in mail.outbox[-1].body.splitlines() if "/antrag/fortsetzen/" in line)
    other_device = Client()
    resumed = other_device.get(link.replace("http://127.0.0.1:8000", ""))
    assert resumed.status_code == 302
    assert resumed["Location"].endswith("/schritt/secondary/")


def test_expired_or_forged_resume_link_says_so(client, abmeldung, settings):
    log_in_for_abmeldung(client)
    client.post(ABMELDUNG_BASE)
    draft = Draft.objects.get()
    from amtsweg.applications.services import draft_resume_token

    token = draft_resume_token(draft=draft)
    settings.RESUME_LINK_MAX_AGE_HOURS = 0
    assert client.get(f"/antrag/fortsetzen/{token}/").status_code == 410
    settings.RESUME_LINK_MAX_AGE_HOURS = 72
    assert client.get(f"/antrag/fortsetzen/{token}x/").status_code == 410
    assert client.get(f"/antrag/fortsetzen/{token}/").status_code == 302


def _submitted(client):
    fill_abmeldung(client)
    client.post(f"{ABMELDUNG_BASE}pruefen/", {"declaration": "yes"})
    submission = Submission.objects.get()
    code = status_access_code(session=client.session, submission_uuid=submission.uuid)
    return submission, code


def test_status_page_with_right_code(client, abmeldung):
    submission, code = _submitted(client)
    other = Client()
    log_in_for_abmeldung(other)  # the status page of a service at level "hoch" needs that login too
    response = other.post("/status/", {"reference": submission.reference, "code": code})
    assert response.status_code == 302
    page = other.get(response["Location"]).content.decode()
    assert submission.reference in page
    assert "Eingegangen" in page


def test_wrong_code_and_unknown_number_get_the_same_answer(client, abmeldung):
    submission, code = _submitted(client)
    visitor = Client()
    wrong_code = visitor.post("/status/", {"reference": submission.reference, "code": "AAAAA-AAAAA"})
    from amtsweg.applications.references import reference_format

    unknown = visitor.post(
        "/status/", {"reference": reference_format(prefix="KS", year=2026, number=999_999), "code": code}
    )
    assert wrong_code.status_code == unknown.status_code == 400
    assert "stimmen nicht überein" in wrong_code.content.decode()
    assert "stimmen nicht überein" in unknown.content.decode()


def test_wrong_codes_from_elsewhere_do_not_lock_the_citizen_out_of_their_status_page(
    client, abmeldung, settings, caplog
):
    settings.STATUS_LOOKUP_LIMIT = 3
    submission, code = _submitted(client)
    for i in range(10):
        Client(REMOTE_ADDR=f"10.0.0.{i}").post("/status/", {"reference": submission.reference, "code": "AAAAA-AAAAA"})
    citizen = Client(REMOTE_ADDR="10.0.0.99").post("/status/", {"reference": submission.reference, "code": code})
    assert citizen.status_code == 302
    # A number that collects wrong codes is reported once, without the number.
    reports = [r.getMessage() for r in caplog.records if r.name == "amtsweg.applications.security"]
    assert len(reports) == 1 and submission.reference not in reports[0]


def test_status_lookup_counts_an_ipv6_network_as_one_address(client, abmeldung, settings):
    settings.STATUS_LOOKUP_LIMIT = 3
    submission, code = _submitted(client)
    for i in range(3):
        Client(REMOTE_ADDR=f"2001:db8:1:2::{i + 1}").post(
            "/status/", {"reference": submission.reference, "code": "AAAAA-AAAAA"}
        )
    same_network = Client(REMOTE_ADDR="2001:db8:1:2::ffff")
    refused = same_network.post("/status/", {"reference": submission.reference, "code": code})
    assert refused.status_code == 429 and "Statuslink in Ihrer Bestätigungs-E-Mail" in refused.content.decode()
    other_network = Client(REMOTE_ADDR="2001:db8:1:3::1")
    assert other_network.post("/status/", {"reference": submission.reference, "code": code}).status_code == 302


def test_status_lookup_is_rate_limited_per_ip(client, abmeldung, settings):
    settings.STATUS_LOOKUP_LIMIT = 3
    submission, code = _submitted(client)
    from amtsweg.applications.references import reference_format

    attacker = Client(REMOTE_ADDR="10.9.9.9")
    for n in range(3):
        attacker.post("/status/", {"reference": reference_format(prefix="KS", year=2026, number=500 + n), "code": "X"})
    assert attacker.post("/status/", {"reference": submission.reference, "code": code}).status_code == 429


def test_status_page_needs_the_code_or_the_link(client, abmeldung):
    from tests.identity.helpers import log_in
    from tests.residents.conftest import register_identity

    submission, _code = _submitted(client)
    # The Abmeldung's status page needs the eID login: someone else logged in so still sees nothing.
    stranger = Client()
    log_in(stranger, register_identity("kassel-adult"))
    assert stranger.get(f"/status/{submission.uuid}/").status_code == 404
    from amtsweg.applications.status_links import status_url

    response = stranger.get(status_url(submission, absolute=False))
    assert response.status_code == 302
    assert stranger.get(response["Location"]).status_code == 200


def test_access_code_is_stored_only_as_a_hash(client, abmeldung):
    submission, code = _submitted(client)
    assert code not in submission.access_code_hash
    assert submission.access_code_hash == access_code_hash(code)


@pytest.mark.django_db
def test_a_step_saved_from_a_stale_copy_of_the_draft_is_merged_not_overwriting(client, abmeldung):
    """Two tabs: both read the draft, each saves another step; neither step's answers are lost."""
    from amtsweg.applications.models import Draft
    from amtsweg.applications.services import draft_save_step

    log_in_for_abmeldung(client)
    assert client.post(ABMELDUNG_BASE).status_code == 302
    first_tab, second_tab = Draft.objects.get(), Draft.objects.get()
    draft_save_step(draft=first_tab, step_key="person", step_answers={"birth_date": "1985-03-27"})
    draft_save_step(draft=second_tab, step_key="contact", step_answers={"email": "erika@example.org"})

    saved = Draft.objects.get()
    assert saved.answers["birth_date"] == "1985-03-27"
    assert saved.answers["email"] == "erika@example.org"
    assert set(saved.completed_steps) == {"person", "contact"}


def test_no_page_promises_a_number_of_steps_that_the_answers_would_change(client, forms):
    """Which steps a form has depends on the answers: a count on the start page or per step would jump."""
    start = client.get("/antrag/geburtsurkunde/")
    assert start.status_code == 200
    first = client.post("/antrag/geburtsurkunde/", {}, follow=True)
    assert "/schritt/" in first.redirect_chain[-1][0]
    for page in (start.content.decode(), first.content.decode()):
        assert not re.search(r"\d+ (Schritten?|steps?)\b", page)
        assert not re.search(r"(Schritt|Step) \d+ (von|of) \d+", page)


def test_a_move_out_before_the_birth_is_refused(client, abmeldung):
    """The form's declarative check across steps. The birth date comes locked from the ID, so the draft is given
    a later one directly: the check reads the draft's answers of the earlier step."""
    from amtsweg.applications.services import draft_save_step

    log_in_for_abmeldung(client)
    assert client.post(ABMELDUNG_BASE).status_code == 302
    assert client.post(f"{ABMELDUNG_BASE}schritt/person/", {"action": "continue"}).status_code == 302
    yesterday = datetime.date.today() - datetime.timedelta(days=1)
    draft_save_step(draft=Draft.objects.get(), step_key="person", step_answers={"birth_date": yesterday.isoformat()})
    moved = datetime.date.today() - datetime.timedelta(days=3)
    secondary = {**address("secondary_address"), **date_parts("moved_out_on", moved)}
    response = client.post(f"{ABMELDUNG_BASE}schritt/secondary/", {**secondary, "action": "continue"})
    assert response.status_code == 400
    assert "Das Auszugsdatum muss nach Ihrem Geburtsdatum liegen." in response.content.decode()
