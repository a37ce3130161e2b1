"""Every citizen page, email and letter of the seeded services, in both languages, reads cleanly:
no doubled full stop, no doubled word, no empty placeholder (tests/wording.py)."""

import pytest
from django.core import mail
from django.utils import translation

from amtsweg.applications.models import FormVersion
from amtsweg.applications.selectors import form_version_active
from amtsweg.catalogue.models import Service
from amtsweg.notifications.services import notify_submission_received
from tests.cases.factories import CaseFactory
from tests.conftest import kassel_seed
from tests.wording import visible_text, wording_problems

SEEDED = [entry["slug"] for entry in kassel_seed()["services"]]
LANGUAGES = ["", "/en"]


def test_the_check_finds_what_it_looks_for():
    assert wording_problems("Die Gebühr wird ab Bezahlung fällig.. Danke") != []
    assert wording_problems("Bitte bringen Sie Ihren Ihren Ausweis mit.") != []
    assert wording_problems("Ihr Termin: {{ time }}") != []
    assert wording_problems("Bearbeitungszeit: .") != []
    assert wording_problems("Bitte warten... 2 2 KS-KS Ende. Nächster Satz.") == []


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("slug", SEEDED)
def test_every_service_page_reads_cleanly(client, forms, slug, language):
    problems = wording_problems(visible_text(client.get(f"{language}/leistungen/{slug}/").content.decode()))
    assert problems == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_form_start_page_and_first_step_reads_cleanly(client, forms, language):
    slugs = set(FormVersion.objects.filter(published=True).values_list("service__slug", flat=True))
    assert slugs
    for slug in slugs:
        start = client.get(f"{language}/antrag/{slug}/")
        if start.status_code != 200:  # a service that needs a login shows the login page, checked elsewhere
            continue
        first = client.post(f"{language}/antrag/{slug}/", {}, follow=True)
        for page in (start, first):
            assert wording_problems(visible_text(page.content.decode())) == [], slug


@pytest.mark.parametrize("path", ["/", "/standorte/", "/leistungen/", "/suche/?q=Termin", "/termin/"])
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_public_pages_read_cleanly(client, forms, path, language):
    assert wording_problems(visible_text(client.get(f"{language}{path}").content.decode())) == []


@pytest.mark.django_db(transaction=True)  # the task worker checks its connection
@pytest.mark.parametrize("language", ["de", "en"])
@pytest.mark.parametrize("slug", ["geburtsurkunde", "nebenwohnung-abmelden", "sterbefall-voranzeige"])
def test_the_confirmation_emails_read_cleanly(forms, run_tasks, slug, language):
    service = Service.objects.get(slug=slug)
    case = CaseFactory(
        submission__language=language,
        submission__email="erika@example.org",
        submission__service=service,
        submission__form_version=form_version_active(service=service),
    )
    notify_submission_received(submission=case.submission, access_code="7KQ2-M9XD")
    run_tasks()
    assert mail.outbox
    for message in mail.outbox:
        with translation.override(language):
            assert wording_problems(message.subject + "\n" + message.body) == [], message.subject
            for body, _type in message.alternatives:
                assert wording_problems(visible_text(body)) == [], message.subject


@pytest.mark.django_db(transaction=True)  # the task worker checks its connection
@pytest.mark.parametrize("language", ["", "/en"])
def test_a_whole_journey_its_status_page_and_every_email_of_the_case_read_cleanly(
    client, forms, demo_register, run_tasks, language
):
    """The Abmeldung from its first step to the status page, then each email a case worker's steps send."""
    from amtsweg.accounts.models import User
    from amtsweg.applications.models import Submission
    from amtsweg.cases.constants import CaseStatus
    from amtsweg.cases.services import case_documents_request, case_message_send, case_transition
    from tests.accounts.factories import StaffFactory
    from tests.applications.conftest import fill_abmeldung, log_in_for_abmeldung

    base = f"{language}/antrag/nebenwohnung-abmelden/"
    pages = []
    log_in_for_abmeldung(client)
    client.post(base)  # the start page's "Jetzt starten"
    for step in ("person", "secondary", "contact"):
        pages.append(client.get(f"{base}schritt/{step}/").content.decode())
    if language:
        client.get("/en/")  # the journey below runs in English too
    fill_abmeldung(client)
    pages.append(client.get(f"{base}pruefen/").content.decode())
    confirmation = client.post(f"{base}pruefen/", {"declaration": "yes"}, follow=True)
    pages.append(confirmation.content.decode())
    submission = Submission.objects.get()
    case = submission.case
    staff = StaffFactory(departments=[case.department])
    case = case_transition(case=case, to_status=CaseStatus.IN_PROGRESS, actor=staff)
    case_message_send(case=case, actor=staff, text="Bitte rufen Sie uns an.")
    case_documents_request(case=case, actor=staff, text="Eine Kopie des Mietvertrags.")
    case_transition(case=case, to_status=CaseStatus.COMPLETED, actor=staff)
    pages.append(client.get(f"{language}/status/{submission.uuid}/").content.decode())
    run_tasks()
    for page in pages:
        assert wording_problems(visible_text(page)) == []
    assert len(mail.outbox) >= 5 and User.objects.exists()
    for message in mail.outbox:
        assert wording_problems(message.subject + "\n" + message.body) == [], message.subject
        for body, _type in message.alternatives:
            assert wording_problems(visible_text(body)) == [], message.subject
