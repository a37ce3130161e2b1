"""Eheschließung anmelden: the checklist per partner (one test per row of the table in domain-facts-wave2 A1),
the age and 6-month rules, the fee estimate, the outcomes, and the partner's own link."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone

from amtsweg.applications.models import Submission
from amtsweg.applications.selectors import submission_checklist
from amtsweg.appointments.seed import appointments_load_seed
from amtsweg.cases.constants import AuditAction
from amtsweg.cases.models import AuditEntry
from amtsweg.catalogue.models import Department, Service
from amtsweg.civil_status.marriage import months_moved, notice_earliest
from amtsweg.civil_status.models import PartnerLink
from amtsweg.payments.fees import fee_quote
from amtsweg.payments.models import Payment
from tests.accounts.factories import StaffFactory
from tests.applications.conftest import date_parts

from .marriage import BASE, fill_marriage, post_step, send_marriage, wedding_in


@pytest.fixture
def marriage(forms):
    appointments_load_seed()


def documents(submission: Submission) -> set[str]:
    return {item.key for item in submission_checklist(submission=submission).items}


def sent(client, **answers) -> Submission:  # type: ignore[no-untyped-def]
    fill_marriage(client, **answers)
    return send_marriage(client)


# --- the checklist, row by row --------------------------------------------------------------------------


def test_always_each_partner_shows_an_id_and_nothing_more_when_born_and_living_in_kassel(client, marriage):
    submission = sent(client)

    assert documents(submission) == {"a_id", "b_id"}
    assert submission.outcome == {"key": "anmeldung", "kind": "appointment"}
    titles = [item.title for item in submission_checklist(submission=submission).items]
    assert titles == ["Person 1 (Sie): Personalausweis oder Reisepass", "Person 2: Personalausweis oder Reisepass"]


def test_always_a_birth_outside_kassel_needs_the_certified_birth_register_printout(client, marriage):
    submission = sent(client, b={"born": "germany", "birth_registry": "Standesamt Göttingen"})

    assert documents(submission) == {"a_id", "b_id", "b_birth_register"}


def test_always_a_partner_living_outside_kassel_needs_the_extended_certificate_of_registration(client, marriage):
    submission = sent(client, a={"kassel_resident": "no"})

    assert documents(submission) == {"a_id", "a_residence", "b_id"}
    item = next(i for i in submission_checklist(submission=submission).items if i.key == "a_residence")
    assert item.title == "Person 1 (Sie): Erweiterte Meldebescheinigung" and item.uploadable


def test_naturalised_brings_the_naturalisation_certificate(client, marriage):
    submission = sent(client, b={"naturalised": "yes", "other_nationality": "yes", "nationalities": "türkisch"})

    assert documents(submission) == {"a_id", "b_id", "b_naturalisation"}
    assert submission.answers["foreign_laws"] == 0  # a German with another citizenship marries under German law


def test_divorced_brings_the_marriage_certificate_and_the_final_divorce_decree(client, marriage):
    submission = sent(client, a={"family_status": "divorced", "dissolution_place": "germany"})

    assert documents(submission) == {"a_id", "a_marriage_certificate", "a_divorce_decree", "b_id"}
    items = {i.key: i for i in submission_checklist(submission=submission).items}
    assert "Auflösungsvermerk" in items["a_marriage_certificate"].explanation  # the register printout instead
    assert items["a_divorce_decree"].original == "certified_copy"
    assert submission.outcome["key"] == "anmeldung"  # a German divorce: nothing foreign


def test_widowed_brings_the_marriage_certificate_and_the_death_certificate(client, marriage):
    submission = sent(client, b={"family_status": "widowed"})

    assert documents(submission) == {"a_id", "b_id", "b_marriage_certificate", "b_spouse_death_certificate"}


def test_a_dissolved_civil_partnership_brings_the_same_proofs_for_the_partnership(client, marriage):
    submission = sent(client, a={"family_status": "partnership_dissolved", "dissolution_place": "germany"})

    assert documents(submission) == {"a_id", "a_partnership_certificate", "a_partnership_decree", "b_id"}


def test_a_civil_partnership_ended_by_death_brings_the_partner_s_death_certificate(client, marriage):
    submission = sent(client, b={"family_status": "partner_died"})

    assert documents(submission) == {"a_id", "b_id", "b_partnership_certificate", "b_partner_death_certificate"}


def test_common_children_bring_their_birth_certificates_and_a_custody_declaration_if_any(client, marriage):
    assert documents(sent(client, children=2)) == {"a_id", "b_id", "children_birth_certificates"}
    with_custody = sent(client, children=1, custody=True)
    assert documents(with_custody) == {"a_id", "b_id", "children_birth_certificates", "custody_declaration_document"}


def test_a_foreign_national_born_abroad_needs_the_certificate_of_no_impediment_and_advice(client, marriage):
    submission = sent(
        client,
        b={
            "german": "no",
            "nationalities": "brasilianisch",
            "efz_available": "yes",
            "born": "abroad",
            "birth_country": "Brasilien",
        },
    )

    assert documents(submission) == {"a_id", "b_id", "b_birth_abroad", "b_efz"}
    items = {i.key: i for i in submission_checklist(submission=submission).items}
    for key in ("b_birth_abroad", "b_efz"):
        assert "Apostille oder Legalisation" in items[key].explanation
        assert "in Deutschland vereidigten" in items[key].explanation
        assert "berät Sie dazu persönlich" in items[key].explanation
    assert submission.outcome == {"key": "documents_first", "kind": "case"}


def test_a_german_born_abroad_brings_the_foreign_birth_certificate_and_no_certificate_of_no_impediment(
    client, marriage
):
    submission = sent(client, a={"born": "abroad", "birth_country": "Kanada"})

    assert documents(submission) == {"a_id", "a_birth_abroad", "b_id"}
    assert submission.outcome["key"] == "documents_first"  # papers from abroad: the Standesamt checks first


def test_a_divorce_outside_the_eu_must_be_recognised_first(client, marriage):
    submission = sent(client, a={"family_status": "divorced", "dissolution_place": "non_eu"})

    keys = documents(submission)
    assert {"a_divorce_recognition", "a_dissolution_abroad", "a_marriage_certificate"} <= keys
    item = next(i for i in submission_checklist(submission=submission).items if i.key == "a_divorce_recognition")
    assert "muss erst in Deutschland anerkannt werden" in item.explanation
    assert submission.outcome["key"] == "documents_first"


def test_a_country_without_the_certificate_leads_to_the_exemption_with_its_court_fee_range(client, marriage):
    fill_marriage(
        client, b={"german": "no", "nationalities": "eritreisch", "efz_available": "no"}, net_income="from_1500"
    )
    page = client.get(f"{BASE}schritt/exemption/").content.decode()
    assert "zwischen 15 und 305 Euro" in page and "1 bis 6 Monate" in page

    submission = send_marriage(client)
    assert documents(submission) == {"a_id", "b_id", "b_efz_exemption"}
    assert submission.answers["net_income"] == "from_1500"
    item = next(i for i in submission_checklist(submission=submission).items if i.key == "b_efz_exemption")
    assert "Oberlandesgerichts" in item.explanation and "nach der Anmeldung" in item.explanation


def test_the_net_income_is_optional(client, marriage):
    fill_marriage(client, a={"german": "no", "nationalities": "syrisch", "efz_available": "no"})
    assert not send_marriage(client).answers.get("net_income")


# --- the rules ------------------------------------------------------------------------------------------


def start_with_wedding(client, wedding_date: datetime.date):  # type: ignore[no-untyped-def]
    assert client.post(BASE).status_code == 302
    return post_step(
        client,
        "wedding",
        {**date_parts("wedding_date", wedding_date), "wedding_venue": "trausaal_rathaus", "interpreter": "no"},
        expect=302 if wedding_date <= wedding_in(6) else 400,
    )


def test_a_partner_younger_than_18_on_the_wedding_day_is_refused_with_a_clear_message(client, marriage):
    wedding = wedding_in(2)
    start_with_wedding(client, wedding)
    seventeen = wedding.replace(year=wedding.year - 18) + datetime.timedelta(days=1)
    response = client.post(
        f"{BASE}schritt/a_person/",
        {
            "a_name-given_names": "Anna",
            "a_name-family_name": "Schmidt",
            **date_parts("a_birth_date", seventeen),
            "a_german": "yes",
            "a_naturalised": "no",
            "a_other_nationality": "no",
            "a_born": "kassel",
            "a_kassel_resident": "yes",
            "action": "continue",
        },
    )
    assert response.status_code == 400
    assert "Sie müssen am Tag der Hochzeit mindestens 18 Jahre alt sein." in response.content.decode()

    eighteen = wedding.replace(year=wedding.year - 18)
    response = client.post(
        f"{BASE}schritt/a_person/",
        {
            "a_name-given_names": "Anna",
            "a_name-family_name": "Schmidt",
            **date_parts("a_birth_date", eighteen),
            "a_german": "yes",
            "a_naturalised": "no",
            "a_other_nationality": "no",
            "a_born": "kassel",
            "a_kassel_resident": "yes",
            "action": "continue",
        },
    )
    assert response.status_code == 302


def test_person_2_younger_than_18_is_refused_too(client, marriage):
    wedding = wedding_in(2)
    with pytest.raises(AssertionError, match="Person 2 muss am Tag der Hochzeit mindestens 18 Jahre alt sein"):
        fill_marriage(client, wedding_date=wedding, b={"birth_date": wedding.replace(year=wedding.year - 17)})


def test_a_wedding_more_than_6_months_ahead_is_refused_with_the_first_day_of_the_notice(client, marriage):
    wedding = wedding_in(8)
    page = start_with_wedding(client, wedding).content.decode()
    earliest = notice_earliest(wedding_date=wedding)
    assert earliest == months_moved(wedding, -6) > datetime.date.today()
    assert "höchstens 6 Monate vor der Hochzeit" in page
    assert f"kommen Sie bitte ab dem {earliest.day}. " in page and str(earliest.year) in page


def test_the_first_day_of_the_notice_is_6_calendar_months_before_the_wedding():
    assert notice_earliest(wedding_date=datetime.date(2027, 8, 31)) == datetime.date(2027, 2, 28)
    assert notice_earliest(wedding_date=datetime.date(2027, 3, 15)) == datetime.date(2026, 9, 15)


def test_a_wedding_exactly_6_months_ahead_is_accepted(client, marriage):
    start_with_wedding(client, wedding_in(6))


def test_a_wedding_date_in_the_past_is_refused(client, marriage):
    assert client.post(BASE).status_code == 302
    post_step(
        client,
        "wedding",
        {
            **date_parts("wedding_date", datetime.date.today() - datetime.timedelta(days=1)),
            "wedding_venue": "trausaal_rathaus",
            "interpreter": "no",
        },
        expect=400,
    )


def test_the_venues_show_their_capacity_as_guests_and_the_interpreter_language_is_asked(client, marriage):
    assert client.post(BASE).status_code == 302
    page = client.get(f"{BASE}schritt/wedding/").content.decode()
    assert "Trausaal im Rathaus (bis zu 40 Gäste)" in page and "zu prüfen" in page
    post_step(
        client,
        "wedding",
        {
            **date_parts("wedding_date", wedding_in(2)),
            "wedding_venue": "trausaal_rathaus",
            "interpreter": "yes",
        },
    )
    post_step(client, "interpreter", {"interpreter_language": ""}, expect=400)
    post_step(client, "interpreter", {"interpreter_language": "Arabisch"})


# --- the fee estimate -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "lines", "total"),
    [
        ({}, {}, {"notice": 4700}, 4700),
        (
            {"german": "no", "nationalities": "polnisch", "efz_available": "yes"},
            {},
            {"notice": 4700, "notice-foreign-law": 2350},
            7050,
        ),
        (
            {"german": "no", "nationalities": "polnisch", "efz_available": "yes"},
            {"german": "no", "nationalities": "italienisch", "efz_available": "yes"},
            {"notice": 4700, "notice-foreign-law": 4700},
            9400,
        ),
    ],
    ids=["no foreign law", "one foreign law", "two foreign laws"],
)
def test_the_fee_estimate_adds_23_50_per_foreign_law_and_nothing_is_paid_online(client, marriage, a, b, lines, total):
    fill_marriage(client, a=a, b=b)
    response = client.get(f"{BASE}pruefen/", follow=True)
    page = response.content.decode()
    assert "Voraussichtliche Gebühren" in page and "Sie zahlen die Gebühr im Amt" in page

    submission = send_marriage(client)
    quote = fee_quote(service=submission.service, answers=submission.answers)
    assert {line.code: line.total_cents for line in quote.lines} == lines and quote.total_cents == total
    assert "family-book" not in {line.code for line in quote.lines}  # optional, bought at the Standesamt
    assert not Payment.objects.filter(submission=submission).exists()
    assert submission.case is not None  # the case opens at once: the fee is paid at the Standesamt
    confirmation = client.get(f"/antrag/eingereicht/{submission.uuid}/").content.decode()
    assert "Voraussichtliche Gebühren" in confirmation


# --- the partner's own link -----------------------------------------------------------------------------


def partner_token(run_tasks) -> str:  # type: ignore[no-untyped-def]
    run_tasks()
    emails = [m for m in mail.outbox if m.to == ["ben@example.org"]]
    assert emails, [m.to for m in mail.outbox]
    return re.search(r"/eheschliessung/partner/([\w-]+)/", emails[-1].body).group(1)


def partner_data(**overrides) -> dict:  # type: ignore[no-untyped-def]
    from .marriage import person

    return person("b", **overrides)


def partner_fill(client, token: str, data: dict, *, confirm: bool = True):  # type: ignore[no-untyped-def]
    """Answer Person 2's steps through the partner's link, then confirm; returns the last page."""
    url = f"/eheschliessung/partner/{token}/"
    response = client.get(url)
    for _ in range(10):
        location = response["Location"]
        if location.endswith("/pruefen/"):
            break
        response = client.post(location, data)
        assert response.status_code == 302, (location, response.content.decode()[:3000])
    if not confirm:
        return client.get(location)
    assert client.post(location).status_code == 302
    return client.get(url)


@pytest.mark.django_db(transaction=True)  # the task worker checks its connection
def test_the_partner_gets_a_link_fills_in_their_part_and_the_checklist_is_worked_out_again(client, marriage, run_tasks):
    submission = sent(client, partner_own=True, a={"kassel_resident": "no"})
    assert submission.outcome == {"key": "partner_pending", "kind": "case"}
    assert "b_birth_date" not in submission.answers
    status = client.get(f"/status/{submission.uuid}/").content.decode()
    assert "Partner: ausstehend" in status and "Link erneut senden" in status

    token = partner_token(run_tasks)
    partner = client.__class__()
    page = partner.get(f"/eheschliessung/partner/{token}/", follow=True).content.decode()
    assert "Anna Schmidt" in page  # the applicant's name, nothing else of theirs
    assert "anna@example.org" not in page and "Erweiterte" not in page
    response = partner_fill(
        partner,
        token,
        partner_data(
            german="no",
            nationalities="türkisch",
            efz_available="yes",
            family_status="divorced",
            dissolution_place="germany",
        ),
    )
    assert response.status_code == 200, response.content.decode()[:3000]
    done = response.content.decode()
    assert "Ihre Angaben sind bestätigt" in done and "Person 2: Ehefähigkeitszeugnis" in done
    assert "Person 1" not in done

    submission.refresh_from_db()
    assert submission.answers["b_german"] is False and submission.answers["foreign_laws"] == 1
    assert {"b_efz", "b_marriage_certificate", "b_divorce_decree", "a_residence"} <= documents(submission)
    assert submission.outcome == {"key": "documents_first", "kind": "case"}
    assert PartnerLink.objects.get().confirmed_at is not None
    actions = set(AuditEntry.objects.filter(case_uuid=submission.case.uuid).values_list("action", flat=True))
    assert {AuditAction.PARTNER_LINK_SENT, AuditAction.PARTNER_CONFIRMED} <= actions
    assert "Partner: bestätigt" in client.get(f"/status/{submission.uuid}/").content.decode()


@pytest.mark.django_db(transaction=True)  # the task worker checks its connection
def test_a_partner_who_leaves_nothing_foreign_turns_the_next_step_into_the_notice_appointment(
    client, marriage, run_tasks
):
    submission = sent(client, partner_own=True)
    token = partner_token(run_tasks)
    partner_fill(client, token, partner_data())
    submission.refresh_from_db()
    assert submission.outcome == {"key": "anmeldung", "kind": "appointment"}


@pytest.mark.django_db(transaction=True)  # the task worker checks its connection
def test_the_partner_s_errors_are_shown_with_an_error_summary_and_the_input_kept(client, marriage, run_tasks):
    sent(client, partner_own=True)
    token = partner_token(run_tasks)
    first = client.get(f"/eheschliessung/partner/{token}/")["Location"]
    assert first.endswith("/b_person/")
    page = client.get(first).content.decode()
    assert "Anna Schmidt" in page and "Sie sind Person 2" in page
    data = partner_data(birth_date=datetime.date.today() - datetime.timedelta(days=365 * 10))
    response = client.post(first, {**data, "b_born": ""})
    assert response.status_code == 400
    page = response.content.decode()
    assert "error-summary" in page and "mindestens 18 Jahre" in page
    assert 'value="kassel"' in page  # the radios are shown again
    assert PartnerLink.objects.get().confirmed_at is None
    # A step that is not Person 2's, or not asked, leads back to the next open one.
    assert client.get(f"/eheschliessung/partner/{token}/contact/")["Location"] == first
    assert client.get(f"/eheschliessung/partner/{token}/pruefen/")["Location"] == first


@pytest.mark.django_db(transaction=True)  # the task worker checks its connection
def test_the_partner_checks_their_answers_and_may_change_one_before_confirming(client, marriage, run_tasks):
    submission = sent(client, partner_own=True)
    token = partner_token(run_tasks)
    page = partner_fill(client, token, partner_data(), confirm=False).content.decode()
    assert "Geburtsdatum von Person 2" in page and "Ändern" in page
    assert "anna@example.org" not in page
    client.post(f"/eheschliessung/partner/{token}/b_person/", partner_data(german="no"))
    assert client.get(f"/eheschliessung/partner/{token}/pruefen/")["Location"].endswith("/b_foreign/")
    client.post(
        f"/eheschliessung/partner/{token}/b_foreign/", {"b_nationalities": "griechisch", "b_efz_available": "yes"}
    )
    assert client.post(f"/eheschliessung/partner/{token}/pruefen/").status_code == 302
    submission.refresh_from_db()
    assert submission.answers["b_nationalities"] == "griechisch" and submission.answers["foreign_laws"] == 1


def test_a_bad_token_shows_a_clear_page(client, marriage):
    response = client.get("/eheschliessung/partner/not-a-token/")
    assert response.status_code == 404 and "Dieser Link ist nicht gültig" in response.content.decode()
    assert client.post("/eheschliessung/partner/not-a-token/", {}).status_code == 404


@pytest.mark.django_db(transaction=True)  # the task worker checks its connection
def test_an_expired_link_shows_a_clear_page(client, marriage, run_tasks):
    sent(client, partner_own=True)
    token = partner_token(run_tasks)
    PartnerLink.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    response = client.get(f"/eheschliessung/partner/{token}/")
    assert response.status_code == 410 and "abgelaufen" in response.content.decode()


@pytest.mark.django_db(transaction=True)  # the task worker checks its connection
def test_an_already_confirmed_link_says_so_and_changes_nothing(client, marriage, run_tasks):
    submission = sent(client, partner_own=True)
    token = partner_token(run_tasks)
    partner_fill(client, token, partner_data())
    again = client.get(f"/eheschliessung/partner/{token}/")
    assert again.status_code == 200 and "Ihre Angaben sind bestätigt" in again.content.decode()
    assert client.post(f"/eheschliessung/partner/{token}/pruefen/").status_code == 302
    assert client.post(f"/eheschliessung/partner/{token}/b_person/", partner_data(german="no")).status_code == 302
    submission.refresh_from_db()
    assert submission.answers["b_german"] is True


@pytest.mark.django_db(transaction=True)  # the task worker checks its connection
def test_the_applicant_sends_a_new_link_and_the_old_one_stops_working(client, marriage, run_tasks):
    submission = sent(client, partner_own=True)
    old = partner_token(run_tasks)
    response = client.post(f"/status/{submission.uuid}/partnerlink/")
    assert response.status_code == 302
    new = partner_token(run_tasks)
    assert new != old
    assert client.get(f"/eheschliessung/partner/{old}/").status_code == 404
    assert client.get(f"/eheschliessung/partner/{new}/").status_code == 302  # to the first question
    assert PartnerLink.objects.get().sent_count == 2
    assert AuditEntry.objects.filter(action=AuditAction.PARTNER_LINK_SENT).count() == 2


@pytest.mark.django_db(transaction=True)  # the task worker checks its connection
def test_a_stranger_cannot_send_a_new_link(client, marriage, run_tasks):
    submission = sent(client, partner_own=True)
    stranger = client.__class__()
    assert stranger.post(f"/status/{submission.uuid}/partnerlink/").status_code == 404


# --- staff ----------------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)  # the task worker checks its connection
def test_staff_see_the_partner_state_on_the_case_page_and_in_the_inbox(client, marriage, run_tasks):
    submission = sent(client, partner_own=True)
    token = partner_token(run_tasks)
    clerk = StaffFactory(username="clara", departments=[Department.objects.get(slug="standesamt")])
    staff = client.__class__()
    staff.force_login(clerk)
    assert "Partner: ausstehend" in staff.get("/intern/").content.decode()
    page = staff.get(f"/intern/faelle/{submission.case.uuid}/").content.decode()
    assert "Partner: ausstehend" in page and "Person 1 (Sie): Personalausweis" in page

    partner_fill(client, token, partner_data())
    assert "Partner: bestätigt" in staff.get("/intern/").content.decode()
    assert "Partner: bestätigt" in staff.get(f"/intern/faelle/{submission.case.uuid}/").content.decode()


def test_the_catalogue_entry_is_a_form_without_login(marriage):
    service = Service.objects.get(slug="eheschliessung-anmelden")
    assert service.trust_level == "none"
