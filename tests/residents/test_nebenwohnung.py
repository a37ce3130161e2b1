"""The Abmeldung einer Nebenwohnung (§ 17(2) BMG) on the register: with the eID at level "hoch" the register
must know the citizen (their main residence may be elsewhere) and hold the secondary residence they give;
completing the case writes the move-out to the register. The demo register runs as its own HTTP service."""

import datetime

import pytest
from django.core import mail
from django.utils import formats, translation

from amtsweg.applications.models import Draft, Submission
from amtsweg.cases.constants import CaseStatus, EventKind
from amtsweg.cases.errors import CaseError
from amtsweg.cases.models import Case
from amtsweg.cases.services import case_transition
from amtsweg.residents.models import RegisterRead, RegisterSubject
from amtsweg.residents.register import fields
from tests.accounts.factories import StaffFactory
from tests.applications.conftest import date_parts
from tests.identity.helpers import log_in

from .conftest import register_identity, stored

BASE = "/antrag/nebenwohnung-abmelden/"
KASSEL_HOME = {"street": "Wilhelmshöher Allee", "house_number": "19", "postcode": "34117", "town": "Kassel"}

pytestmark = pytest.mark.django_db


def secondary(*, street="Wilhelmshöher Allee", number="19", postcode="34117", town="Kassel", moved_out_on=None):
    moved_out_on = moved_out_on or datetime.date.today() - datetime.timedelta(days=3)
    return {
        "secondary_address-street": street,
        "secondary_address-number": number,
        "secondary_address-postcode": postcode,
        "secondary_address-town": town,
        **date_parts("moved_out_on", moved_out_on),
    }


def fill(client, *, address=None, email="jonas.weber@example.org"):
    """Walk the form as the logged-in citizen up to the check page."""
    assert client.post(BASE).status_code == 302
    for key, data in [("person", {}), ("secondary", address or secondary()), ("contact", {"email": email})]:
        response = client.post(f"{BASE}schritt/{key}/", {**data, "action": "continue"})
        assert response.status_code == 302, (key, response.content.decode()[:3000])


def send(client):
    response = client.post(f"{BASE}pruefen/", {"declaration": "yes"})
    assert response.status_code == 302, response.content.decode()[:3000]
    return Case.objects.get(service__slug="nebenwohnung-abmelden")


@pytest.fixture
def jonas(client, forms, demo_register):
    """Jonas Weber: main residence in Göttingen, a secondary residence in Kassel (register P-0005)."""
    log_in(client, register_identity("other-city"))
    return client


@pytest.fixture
def clerk(db):
    from amtsweg.catalogue.models import Department

    return StaffFactory(username="anna", departments=[Department.objects.get(slug="buergerbuero")])


@pytest.fixture
def case(jonas):
    fill(jonas)
    return send(jonas)


def register_down(settings):
    config = settings.RESIDENTS_REGISTER["providers"]["demo"]
    settings.RESIDENTS_REGISTER = {
        **settings.RESIDENTS_REGISTER,
        "providers": {"demo": {**config, "url": "http://127.0.0.1:9"}},
    }


def test_the_form_takes_name_birth_date_and_main_address_from_the_id_locked(jonas):
    jonas.post(BASE)
    html = jonas.get(f"{BASE}schritt/person/").content.decode()
    assert 'value="Jonas"' in html and 'value="Weber"' in html and 'value="Weender Straße"' in html
    assert 'value="Göttingen"' in html and "readonly" in html
    # A changed page posts other values: the ID's win.
    jonas.post(f"{BASE}schritt/person/", {"name-given_names": "Max", "main_address-town": "Kassel"})
    answers = Draft.objects.get().answers
    assert answers["name"]["given_names"] == "Jonas" and answers["main_address"]["town"] == "Göttingen"
    assert answers["birth_date"] == "1978-11-23"


def test_jonas_deregisters_his_kassel_secondary_residence_and_the_approval_writes_it_to_the_register(
    case, clerk, demo_register
):
    moved_out_on = datetime.date.today() - datetime.timedelta(days=3)
    assert case.department.slug == "buergerbuero" and case.status == CaseStatus.RECEIVED
    subject = RegisterSubject.objects.get(submission=case.submission)
    assert (subject.person_id, subject.finding) == ("P-0005", "secondary_residence")
    assert stored(demo_register)["P-0005"][fields.SECONDARY_ADDRESSES] == [KASSEL_HOME]

    case = case_transition(case=case, to_status=CaseStatus.IN_PROGRESS, actor=clerk)
    case_transition(case=case, to_status=CaseStatus.COMPLETED, actor=clerk)

    person = stored(demo_register)["P-0005"]
    assert person.get(fields.SECONDARY_ADDRESSES, []) == []
    assert {**KASSEL_HOME, "moved_out_on": moved_out_on.isoformat()} in person["former_addresses"]
    note = case.events.get(kind=EventKind.NOTE)
    assert "Wilhelmshöher Allee 19, 34117 Kassel" in note.text and not note.visible_to_citizen


def test_the_citizen_reads_from_when_the_secondary_residence_is_deregistered(case, clerk, jonas):
    case = case_transition(case=case, to_status=CaseStatus.IN_PROGRESS, actor=clerk)
    case_transition(case=case, to_status=CaseStatus.COMPLETED, actor=clerk)
    moved_out_on = datetime.date.today() - datetime.timedelta(days=3)
    with translation.override("de"):
        date = formats.date_format(moved_out_on, "DATE_FORMAT")
    page = jonas.get(f"/status/{case.submission.uuid}/").content.decode()
    assert f"Nebenwohnung abgemeldet zum {date}" in page


@pytest.mark.django_db(transaction=True)  # the task worker sends the email
def test_the_completed_email_says_from_when_the_secondary_residence_is_deregistered(case, clerk, run_tasks):
    case = case_transition(case=case, to_status=CaseStatus.IN_PROGRESS, actor=clerk)
    case_transition(case=case, to_status=CaseStatus.COMPLETED, actor=clerk)
    mail.outbox.clear()
    run_tasks()
    moved_out_on = datetime.date.today() - datetime.timedelta(days=3)
    with translation.override("de"):
        date = formats.date_format(moved_out_on, "DATE_FORMAT")
    completed = [m for m in mail.outbox if m.to == ["jonas.weber@example.org"] and "fertig" in m.body]
    assert len(completed) == 1
    assert f"Neuer Stand: Nebenwohnung abgemeldet zum {date}" in completed[0].body


def test_an_address_the_register_does_not_hold_for_the_citizen_is_a_field_error(jonas):
    jonas.post(BASE)
    jonas.post(f"{BASE}schritt/person/", {"action": "continue"})
    response = jonas.post(
        f"{BASE}schritt/secondary/", {**secondary(street="Königsstraße", number="1"), "action": "continue"}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Unter dieser Anschrift ist für Sie keine Nebenwohnung in Kassel gemeldet" in html
    assert 'href="#id_secondary_address-street"' in html  # the error summary links to the field
    assert 'value="Königsstraße"' in html  # what was entered is kept
    assert "secondary" not in Draft.objects.get().completed_steps
    read = RegisterRead.objects.get(person_id="P-0005")
    assert (read.items, read.purpose) == ("1202", "Abmeldung einer Nebenwohnung: the address step of the form")


def test_the_field_error_is_in_the_citizens_language(jonas):
    jonas.get("/en/")
    jonas.post(f"/en{BASE}")
    jonas.post(f"/en{BASE}schritt/person/", {"action": "continue"})
    response = jonas.post(f"/en{BASE}schritt/secondary/", {**secondary(number="21"), "action": "continue"})
    assert response.status_code == 400
    assert "No secondary residence in Kassel is registered for you at this address" in response.content.decode()


def test_the_address_is_compared_as_the_register_compares_it(jonas):
    """Case and spaces do not matter; the address must otherwise be the registered one."""
    fill(jonas, address=secondary(street="wilhelmshöher  allee", town="KASSEL"))
    assert Draft.objects.get().completed_steps == ["person", "secondary", "contact"]


def test_a_resident_the_register_holds_no_such_secondary_residence_for_gets_the_field_error(
    client, forms, demo_register
):
    """Erika's main residence is in Kassel: the register knows her, and holds no secondary residence for her."""
    log_in(client, register_identity("kassel-adult"))
    client.post(BASE)
    client.post(f"{BASE}schritt/person/", {"action": "continue"})
    response = client.post(f"{BASE}schritt/secondary/", {**secondary(), "action": "continue"})
    assert response.status_code == 400
    assert "keine Nebenwohnung in Kassel gemeldet" in response.content.decode()


def test_neither_address_in_the_city_sends_the_citizen_to_the_office_of_one_of_them(jonas):
    jonas.post(BASE)
    jonas.post(f"{BASE}schritt/person/", {"action": "continue"})
    response = jonas.post(
        f"{BASE}schritt/secondary/",
        {**secondary(street="Markt", number="1", postcode="37073", town="Göttingen"), "action": "continue"},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Keine der beiden Adressen liegt in Kassel" in html
    assert "keine Nebenwohnung" not in html  # one message, not two
    assert not RegisterRead.objects.exists()


def test_an_id_that_does_not_match_the_register_is_refused_and_shown_nothing(client, forms, demo_register):
    log_in(client, register_identity("other-city", house_number="7"))
    response = client.post(BASE)
    html = response.content.decode()
    assert response.status_code == 403
    assert "Wir haben Sie im Melderegister nicht gefunden" in html and "Termin" in html
    assert not client.session.get("drafts") and not RegisterRead.objects.exists()


def test_a_login_below_the_eid_is_not_enough(client, forms, demo_register):
    import dataclasses

    from tests.identity.helpers import ADULT

    log_in(client, dataclasses.replace(ADULT, trust_level="substantial"))
    response = client.post(BASE)
    assert response.status_code == 403 and "höhere" in response.content.decode()


def test_a_register_that_cannot_be_reached_says_so_and_keeps_the_draft(jonas, settings):
    jonas.post(BASE)
    jonas.post(f"{BASE}schritt/person/", {"action": "continue"})
    register_down(settings)
    response = jonas.post(f"{BASE}schritt/secondary/", {**secondary(), "action": "continue"})
    assert response.status_code == 503
    assert "Das Melderegister ist gerade nicht erreichbar" in response.content.decode()
    draft = Draft.objects.get()
    assert draft.completed_steps == ["person"] and draft.answers["name"]["family_name"] == "Weber"
    assert jonas.session["drafts"]["nebenwohnung-abmelden"] == str(draft.uuid)


def test_a_register_unreachable_when_sending_sends_nothing_and_keeps_the_draft(jonas, settings):
    fill(jonas)
    register_down(settings)
    response = jonas.post(f"{BASE}pruefen/", {"declaration": "yes"})
    assert response.status_code == 503
    assert not Submission.objects.exists() and Draft.objects.count() == 1


def test_a_secondary_residence_gone_from_the_register_before_sending_is_sent_back_to_the_address(jonas, demo_register):
    from amtsweg.residents.register.base import Address
    from amtsweg.residents.services import register_secondary_residence_end

    fill(jonas)
    register_secondary_residence_end(
        person_id="P-0005", address=Address(**KASSEL_HOME), moved_out_on=datetime.date.today()
    )  # deregistered at the counter meanwhile
    response = jonas.post(f"{BASE}pruefen/", {"declaration": "yes"}, follow=True)
    assert response.redirect_chain[-1][0].endswith(f"{BASE}schritt/secondary/?aendern=1")
    assert "keine Nebenwohnung in Kassel gemeldet" in response.content.decode()
    assert not Submission.objects.exists() and not RegisterSubject.objects.exists()


def test_the_case_page_shows_the_registers_secondary_residences_and_the_read_is_audited(client, case, clerk):
    client.force_login(clerk)
    html = client.get(f"/intern/faelle/{case.uuid}/").content.decode()
    assert "Melderegister" in html and "Wilhelmshöher Allee 19, 34117 Kassel" in html
    assert "die diese Abmeldung betrifft" in html
    read = RegisterRead.objects.get(actor=clerk)
    assert (read.actor_label, read.person_id, read.items, read.case_reference, read.purpose) == (
        "anna",
        "P-0005",
        "1202",
        case.reference,
        "Abmeldung einer Nebenwohnung: the case page",
    )


def test_the_case_page_says_when_the_register_cannot_be_reached(client, case, clerk, settings):
    register_down(settings)
    client.force_login(clerk)
    response = client.get(f"/intern/faelle/{case.uuid}/")
    assert response.status_code == 200
    assert "Das Melderegister ist gerade nicht erreichbar" in response.content.decode()


def test_an_approval_made_again_writes_nothing_twice(case, clerk, demo_register):
    """The interface's promise: the same move-out again is done already (a lost answer, a second try)."""
    from amtsweg.residents.services import secondary_residence_end_approve

    case = case_transition(case=case, to_status=CaseStatus.IN_PROGRESS, actor=clerk)
    secondary_residence_end_approve(case=case, actor=clerk)
    case_transition(case=case, to_status=CaseStatus.COMPLETED, actor=clerk)
    assert len(stored(demo_register)["P-0005"]["former_addresses"]) == 1
    assert Case.objects.get(pk=case.pk).status == CaseStatus.COMPLETED


def test_a_register_that_refuses_the_move_out_leaves_the_case_open_and_says_why(client, case, clerk, demo_register):
    from amtsweg.residents.register.base import Address
    from amtsweg.residents.services import register_secondary_residence_end

    case_transition(case=case, to_status=CaseStatus.IN_PROGRESS, actor=clerk)
    register_secondary_residence_end(
        person_id="P-0005", address=Address(**KASSEL_HOME), moved_out_on=datetime.date.today() + datetime.timedelta(1)
    )  # ended at the counter on another day
    client.force_login(clerk)
    url = f"/intern/faelle/{case.uuid}/"
    response = client.post(
        url, {"action": "status", "status-to_status": "completed", "status-reason": ""}, HTTP_REFERER=url, follow=True
    )
    html = response.content.decode()
    assert "Das Melderegister hat den Auszug abgelehnt" in html
    assert "hält diese Nebenwohnung nicht" in html or "nicht (mehr)" in html
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_PROGRESS
    assert not case.events.filter(kind=EventKind.NOTE).exists()


def test_a_register_that_cannot_be_reached_on_approval_leaves_the_case_open(client, case, clerk, settings):
    case_transition(case=case, to_status=CaseStatus.IN_PROGRESS, actor=clerk)
    register_down(settings)
    client.force_login(clerk)
    url = f"/intern/faelle/{case.uuid}/"
    response = client.post(
        url, {"action": "status", "status-to_status": "completed", "status-reason": ""}, HTTP_REFERER=url, follow=True
    )
    assert "Das Melderegister ist nicht erreichbar" in response.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_PROGRESS


def test_a_rejection_writes_nothing_to_the_register(case, clerk, demo_register):
    case_transition(case=case, to_status=CaseStatus.REJECTED, actor=clerk, reason="Auszug nicht belegt.")
    assert stored(demo_register)["P-0005"][fields.SECONDARY_ADDRESSES] == [KASSEL_HOME]


def test_an_application_sent_before_the_register_check_is_completed_with_a_note_to_enter_it(case, clerk, demo_register):
    RegisterSubject.objects.all().delete()
    Submission.objects.filter(pk=case.submission_id).update(trust_level="none")
    case.refresh_from_db()
    case = case_transition(case=case, to_status=CaseStatus.IN_PROGRESS, actor=clerk)
    case_transition(case=case, to_status=CaseStatus.COMPLETED, actor=clerk)
    assert stored(demo_register)["P-0005"][fields.SECONDARY_ADDRESSES] == [KASSEL_HOME]
    assert "Meldeverfahren" in case.events.get(kind=EventKind.NOTE).text


def test_an_eid_application_without_a_register_match_cannot_be_approved(case, clerk, demo_register):
    RegisterSubject.objects.all().delete()
    case = case_transition(case=case, to_status=CaseStatus.IN_PROGRESS, actor=clerk)
    with pytest.raises(CaseError):
        case_transition(case=case, to_status=CaseStatus.COMPLETED, actor=clerk)
    assert stored(demo_register)["P-0005"][fields.SECONDARY_ADDRESSES] == [KASSEL_HOME]
