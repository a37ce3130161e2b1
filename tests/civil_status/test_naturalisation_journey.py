"""The Voranfrage zur Einbürgerung walked with the test client: the result page of the self-check, the
checklist and the next step by the result, the fee shown but not charged, the applicant under 16, a changed
answer that changes the result, and the rule on a conviction's details."""

import datetime

import pytest

from amtsweg.applications.models import Submission
from amtsweg.appointments.seed import appointments_load_seed
from amtsweg.payments.models import Payment
from tests.applications.conftest import date_parts
from tests.identity.helpers import log_in

BASE = "/antrag/einbuergerung-voranfrage/"
TODAY = datetime.date.today()


def years_ago(years: int) -> datetime.date:
    try:
        return TODAY.replace(year=TODAY.year - years)
    except ValueError:  # 29 February
        return TODAY.replace(year=TODAY.year - years, day=28)


@pytest.fixture
def citizen(client, forms):
    appointments_load_seed()
    log_in(client)
    return client


def answers(**changes: dict) -> list[tuple[str, dict]]:
    """A married applicant with one child, both naturalised with her, who meets every condition."""
    steps = {
        "applicant": {
            "applicant_name-given_names": "Amira",
            "applicant_name-family_name": "Haddad",
            **date_parts("applicant_birth_date", datetime.date(1988, 4, 2)),
            "nationality": "syrisch",
        },
        "residence": date_parts("in_germany_since", years_ago(6)),
        "title": {"residence_title": "settlement"},
        "family": {"family_status": "married", "children_together": "yes"},
        "marriage": {
            "spouse_german": "no",
            **date_parts("marriage_date", datetime.date(2012, 6, 1)),
            "earlier_divorce": "no",
        },
        "spouse_together_step": {"spouse_together": "yes"},
        "spouse": {
            "spouse_name-given_names": "Karim",
            "spouse_name-family_name": "Haddad",
            **date_parts("spouse_in_germany_since", years_ago(6)),
        },
        "children_number": {"children_count": "1"},
        "child_1": {
            "child_1_name": "Lina",
            **date_parts("child_1_birth_date", years_ago(8)),
            **date_parts("child_1_in_germany_since", years_ago(6)),
        },
        "livelihood": {"employment": "employed", "benefits": "no"},
        "language": {"german_level": "b1"},
        "language_proof": {"german_proof": "certificate"},
        "test": {"test_status": "taken"},
        "test_result": {"test_score": "30"},
        "declarations": {"declaration_fdgo": "yes", "declaration_history": "yes"},
        "convictions": {"convicted": "no", "investigation_open": "no"},
    }
    walked: list[tuple[str, dict]] = []
    for key, data in steps.items():
        change = changes.get(key, data)
        # A change is a step's answers, or a list of steps in its place (a step the change makes visible).
        walked += change if isinstance(change, list) else [(key, change)]
    return walked


def walk(client, steps, then: str = "result") -> None:
    """Start the form and answer the steps; each must be accepted and lead on to the next one given, the last
    to ``then``."""
    assert client.post(BASE).status_code == 302
    keys = [key for key, _data in steps] + [then]
    for number, (key, data) in enumerate(steps):
        response = client.post(f"{BASE}schritt/{key}/", {**data, "action": "continue"})
        assert response.status_code == 302, (key, response.content.decode()[:3000])
        assert response["Location"] == f"{BASE}schritt/{keys[number + 1]}/", (key, response["Location"])


def finish(client) -> Submission:
    """Accept the result, give the contact details, skip the uploads and send."""
    assert client.post(f"{BASE}schritt/result/", {"action": "continue"})["Location"] == f"{BASE}schritt/contact/"
    response = client.post(f"{BASE}schritt/contact/", {"email": "amira@example.org", "action": "continue"})
    assert response.status_code == 302
    if client.get(f"{BASE}pruefen/").get("Location") == f"{BASE}unterlagen/":
        assert client.post(f"{BASE}unterlagen/", {}).status_code == 302
    response = client.post(f"{BASE}pruefen/", {"declaration": "yes"})
    assert response.status_code == 302, response.content.decode()[:2000]
    return Submission.objects.get()


def criteria_states(page: str) -> dict[str, str]:
    import re

    return dict(re.findall(r'data-criterion="([a-z_0-9]+)" data-state="([a-z_]+)"', page))


def test_a_qualified_family_sees_every_criterion_met_the_fee_and_gets_documents_and_an_appointment(citizen):
    walk(citizen, answers())

    page = citizen.get(f"{BASE}schritt/result/").content.decode()
    assert criteria_states(page) == {
        "residence_duration": "met",
        "residence_title": "met",
        "livelihood": "met",
        "language": "met",
        "naturalisation_test": "met",
        "declarations": "met",
        "convictions": "met",
        "spouse": "met",
        "child_1": "met",
    }
    assert 'data-verdict="met"' in page
    assert "Rechtsgrundlage: § 10 Abs. 1 Satz 1 Nr. 2 StAG" in page
    assert "Kind: Lina" in page
    # The fee of the later application: two adults and a child, paid with the application, not now.
    assert "510,00" in page and "51,00" in page and "561,00" in page
    assert "Sie zahlen jetzt nichts online" in page

    submission = finish(citizen)
    assert submission.answers["selfcheck_result"] == "met"
    assert submission.outcome == {"key": "application_appointment", "kind": "appointment"}
    assert not Payment.objects.exists()
    assert submission.case.pk  # the case opened at once: nothing to pay
    confirmation = citizen.get(f"/antrag/eingereicht/{submission.uuid}/").content.decode()
    assert "Gehaltsabrechnungen" in confirmation and "Heiratsurkunde" in confirmation
    assert "/termin/" in confirmation


def test_a_toleration_is_not_met_but_the_voranfrage_can_still_be_sent_without_documents(citizen):
    walk(citizen, answers(title={"residence_title": "duldung"}))

    page = citizen.get(f"{BASE}schritt/result/").content.decode()
    assert criteria_states(page)["residence_title"] == "not_met"
    assert 'data-verdict="not_met"' in page
    assert "Sie können die Voranfrage trotzdem senden." in page
    assert "Eine Duldung ist kein Aufenthaltstitel" in page

    submission = finish(citizen)
    assert submission.answers["selfcheck_result"] == "not_met"
    assert submission.outcome == {"key": "written_answer", "kind": "case"}
    confirmation = citizen.get(f"/antrag/eingereicht/{submission.uuid}/").content.decode()
    assert "antwortet Ihnen schriftlich" in confirmation
    assert "Gehaltsabrechnungen" not in confirmation


def test_an_open_investigation_is_unclear_and_the_standesamt_answers_in_writing(citizen):
    walk(citizen, answers(convictions={"convicted": "no", "investigation_open": "yes"}))

    page = citizen.get(f"{BASE}schritt/result/").content.decode()
    assert criteria_states(page)["convictions"] == "unclear"
    assert "bis es abgeschlossen ist" in page or "bis sie abgeschlossen sind" in page
    submission = finish(citizen)
    assert submission.outcome == {"key": "written_answer_unclear", "kind": "case"}


def test_an_applicant_under_16_is_told_that_the_parents_apply(citizen):
    citizen.post(BASE)
    response = citizen.post(
        f"{BASE}schritt/applicant/",
        {
            "applicant_name-given_names": "Lina",
            "applicant_name-family_name": "Haddad",
            **date_parts("applicant_birth_date", years_ago(15)),
            "nationality": "syrisch",
            "action": "continue",
        },
    )
    assert response.status_code == 400
    assert "Unter 16 Jahren stellen Ihre Eltern den Antrag für Sie" in response.content.decode()


def test_a_changed_answer_that_changes_the_result_shows_the_result_again(citizen):
    walk(citizen, answers())
    finish_steps = citizen.post(f"{BASE}schritt/result/", {"action": "continue"})
    assert finish_steps.status_code == 302
    citizen.post(f"{BASE}schritt/contact/", {"email": "amira@example.org", "action": "continue"})

    citizen.post(f"{BASE}schritt/livelihood/?aendern=1", {"employment": "employed", "benefits": "yes"})
    citizen.post(f"{BASE}schritt/benefits_details/?aendern=1", {"benefits_exception": "none"})
    response = citizen.get(f"{BASE}pruefen/")

    assert response.status_code == 302 and response["Location"] == f"{BASE}schritt/result/?aendern=1"
    page = citizen.get(response["Location"]).content.decode()
    assert criteria_states(page)["livelihood"] == "unclear"
    assert "Ihre Angaben haben das Ergebnis der Selbstprüfung geändert" in page
    assert Submission.objects.count() == 0


def test_a_fine_needs_its_daily_rates(citizen):
    walk(
        citizen,
        answers(
            convictions=[
                ("convictions", {"convicted": "yes", "investigation_open": "no"}),
                ("convictions_number", {"conviction_count": "1", "hate_motive": "no"}),
            ]
        ),
        then="conviction_1",
    )

    response = citizen.post(f"{BASE}schritt/conviction_1/", {"conviction_1_kind": "fine", "action": "continue"})

    assert response.status_code == 400
    assert "Geben Sie die Zahl der Tagessätze der Geldstrafe an" in response.content.decode()
    response = citizen.post(
        f"{BASE}schritt/conviction_1/",
        {"conviction_1_kind": "fine", "conviction_1_daily_rates": "91", "action": "continue"},
    )
    assert response.status_code == 302
    page = citizen.get(f"{BASE}schritt/result/").content.decode()
    assert criteria_states(page)["convictions"] == "unclear"


def test_the_result_page_reads_in_english(citizen):
    citizen.get("/en/")  # the journey runs in English
    walk(
        citizen,
        answers(title=[("title", {"residence_title": "permit"}), ("permit", {"permit_section": "16b"})]),
    )

    page = citizen.get(f"/en{BASE}schritt/result/").content.decode()
    assert "The result of your self-check" in page
    assert "A residence permit under § 16b of the Residence Act does not lead to naturalisation" in page
    assert "Legal basis: section 10(1) sentence 1 no. 2 StAG" in page
    assert "You can still send the pre-enquiry." in page


def test_the_standesamt_sees_the_self_check_on_the_case_page(citizen, client):
    from django.test import Client
    from django.urls import reverse

    from amtsweg.catalogue.models import Department
    from tests.accounts.factories import StaffFactory

    walk(
        citizen,
        answers(
            livelihood=[
                ("livelihood", {"employment": "none", "benefits": "yes"}),
                ("benefits_details", {"benefits_exception": "none"}),
            ]
        ),
    )
    submission = finish(citizen)
    assert submission.outcome == {"key": "written_answer_unclear", "kind": "case"}

    clerk = StaffFactory(username="standesamt-clara", departments=[Department.objects.get(slug="standesamt")])
    staff = Client()
    staff.force_login(clerk)
    page = staff.get(reverse("cases:case_detail", kwargs={"uuid": submission.case.uuid})).content.decode()

    assert "Selbstprüfung der Einbürgerungsvoraussetzungen" in page
    assert criteria_states(page)["livelihood"] == "unclear"
    assert "bitte antworten Sie schriftlich" in page
    assert "§ 10 Abs. 1 Satz 1 Nr. 3 und § 8 Abs. 2 StAG" in page


def test_the_service_page_starts_the_form_and_lists_the_fees_of_the_application(client, forms):
    page = client.get("/leistungen/einbuergerung-voranfrage/").content.decode()
    assert f'href="{BASE}"' in page
    assert "255,00" in page and "51,00" in page
    assert "nicht für die Voranfrage" in page


def test_a_child_of_18_is_not_a_child_to_naturalise_with_a_parent(citizen):
    steps = answers()
    walk(citizen, steps[: [key for key, _data in steps].index("child_1")], then="child_1")

    response = citizen.post(
        f"{BASE}schritt/child_1/",
        {
            "child_1_name": "Lina",
            **date_parts("child_1_birth_date", years_ago(18)),
            **date_parts("child_1_in_germany_since", years_ago(6)),
            "action": "continue",
        },
    )

    assert response.status_code == 400
    assert "Das Kind muss jünger als 18 Jahre sein" in response.content.decode()


@pytest.mark.parametrize("language", ["", "/en"])
def test_the_result_page_reads_cleanly_in_both_languages(citizen, language):
    from tests.wording import visible_text, wording_problems

    if language:
        citizen.get("/en/")  # the journey runs in English
    walk(
        citizen,
        answers(
            title=[("title", {"residence_title": "permit"}), ("permit", {"permit_section": "18d"})],
            convictions=[
                ("convictions", {"convicted": "yes", "investigation_open": "yes"}),
                ("convictions_number", {"conviction_count": "2", "hate_motive": "no"}),
                ("conviction_1", {"conviction_1_kind": "fine", "conviction_1_daily_rates": "30"}),
                ("conviction_2", {"conviction_2_kind": "suspended", "conviction_2_months": "2"}),
            ],
        ),
    )

    page = citizen.get(f"{language}{BASE}schritt/result/").content.decode()

    assert criteria_states(page)["residence_title"] == "unclear"
    assert wording_problems(visible_text(page)) == []
