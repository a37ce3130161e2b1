"""The Voranzeige eines Sterbefalls (form version 3): a death outside the city is stopped and sent to that town's
registry office, the time of death cannot lie in the future, the deadline of § 28 PStG counts working days with
Hesse's holidays, the reporter's duty under § 29/§ 30 PStG is worked out for each kind of reporter, and the free
death certificates reach the certificate fulfilment once the death notice is completed."""

import datetime

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from amtsweg.applications.formengine.base import FieldSpec
from amtsweg.applications.formengine.hooks import run_service_rules
from amtsweg.applications.formengine.registry import field_types
from amtsweg.applications.models import Draft, Submission
from amtsweg.appointments.seed import appointments_load_seed
from amtsweg.cases.constants import CaseStatus
from amtsweg.cases.services import case_transition
from amtsweg.catalogue.models import Department
from amtsweg.civil_status import death_notice
from amtsweg.civil_status.constants import OrderStatus
from amtsweg.civil_status.models import CertificateOrder
from amtsweg.civil_status.selectors import order_copies_split, order_postal_address
from amtsweg.civil_status.services import death_notice_certificates_order
from amtsweg.payments.models import Payment
from tests.accounts.factories import StaffFactory
from tests.applications.conftest import STERBEFALL_BASE, address, date_parts, fill_sterbefall

SLUG = "sterbefall-voranzeige"
PDF = b"%PDF-1.7\n" + b"\x00" * 100


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def standesamt(forms):
    appointments_load_seed()
    return Department.objects.get(slug="standesamt")


@pytest.fixture
def clerk(standesamt):
    return StaffFactory(username="clara", departments=[standesamt])


def send(client, **answers) -> Submission:  # type: ignore[no-untyped-def]
    fill_sterbefall(client, **answers)
    client.post(f"{STERBEFALL_BASE}unterlagen/", {})
    response = client.post(f"{STERBEFALL_BASE}pruefen/", {"declaration": "yes"})
    assert response.status_code == 302, response.content.decode()[:2000]
    return Submission.objects.filter(service__slug=SLUG).order_by("-pk").first()


def complete(case, actor):  # type: ignore[no-untyped-def]
    case = case_transition(case=case, to_status=CaseStatus.IN_PROGRESS, actor=actor)
    return case_transition(case=case, to_status=CaseStatus.COMPLETED, actor=actor)


# --- the place of death: in the city, or that town's registry office ----------------------------------------


def test_a_death_outside_the_city_stops_the_form_with_that_towns_registry_office(client, standesamt):
    assert client.post(STERBEFALL_BASE).status_code == 302
    response = client.post(f"{STERBEFALL_BASE}schritt/place/", {"death_in_city": "no", "action": "continue"})
    assert response["Location"] == f"{STERBEFALL_BASE}schritt/elsewhere/"

    response = client.post(f"{STERBEFALL_BASE}schritt/elsewhere/", {"death_town": "Göttingen", "action": "continue"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "Zeigen Sie den Sterbefall beim Standesamt in Göttingen an" in page
    assert 'href="https://verwaltung.bund.de"' in page and "115" in page
    assert "Weiter" not in page  # no way on
    draft = Draft.objects.get()
    assert draft.answers["death_town"] == "Göttingen" and "elsewhere" not in draft.completed_steps
    # The form goes no further: every later page sends the citizen back to the open step.
    for path in ("schritt/death/", "pruefen/"):
        assert client.get(f"{STERBEFALL_BASE}{path}")["Location"] == f"{STERBEFALL_BASE}schritt/elsewhere/"


def test_the_town_of_a_death_elsewhere_must_not_be_the_city_itself(client, standesamt):
    client.post(STERBEFALL_BASE)
    client.post(f"{STERBEFALL_BASE}schritt/place/", {"death_in_city": "no", "action": "continue"})

    response = client.post(
        f"{STERBEFALL_BASE}schritt/elsewhere/", {"death_town": "Kassel-Wehlheiden", "action": "continue"}
    )

    assert response.status_code == 400
    assert "Kassel-Wehlheiden liegt in Kassel" in response.content.decode()


def test_a_death_elsewhere_is_refused_by_the_rules_of_the_whole_form_too():
    errors = run_service_rules(SLUG, {"death_in_city": False, "death_town": "Fulda"}, None)

    assert [error.key for error in errors] == ["death_town"]
    assert "Fulda" in errors[0].message and "115" in errors[0].message
    assert run_service_rules(SLUG, {"death_in_city": True}, None) == []


# --- the time of death ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("14:30", "14:30"),
        ("14.30", "14:30"),
        ("1430", "14:30"),
        ("9:05", "09:05"),
        ("7", "07:00"),
        ("23:59 Uhr", "23:59"),
    ],
)
def test_a_time_is_taken_as_people_type_it(typed, stored):
    spec = FieldSpec(key="death_time", type="time", label={"de": "Uhrzeit", "en": "Time"})

    assert field_types.get("time").clean(spec, {"death_time": typed}, {}).value == stored


@pytest.mark.parametrize("typed", ["24:00", "12:60", "halb drei", "1:2", "123456"])
def test_a_time_that_is_no_time_is_refused(typed):
    spec = FieldSpec(key="death_time", type="time", label={"de": "Uhrzeit", "en": "Time"})

    cleaned = field_types.get("time").clean(spec, {"death_time": typed}, {})

    assert cleaned.value is None and cleaned.errors[0].message == (
        "Geben Sie die Uhrzeit im 24-Stunden-Format ein, zum Beispiel 14:30"
    )


def test_a_time_of_death_later_today_is_in_the_future():
    now = timezone.make_aware(datetime.datetime(2026, 3, 5, 10, 0))
    today = {"death_date": "2026-03-05"}

    assert death_notice.time_in_future({**today, "death_time": "10:01"}, now=now)
    assert not death_notice.time_in_future({**today, "death_time": "10:00"}, now=now)
    # The same time on an earlier day is past.
    assert not death_notice.time_in_future({"death_date": "2026-03-04", "death_time": "23:00"}, now=now)


def test_the_form_refuses_a_time_of_death_in_the_future(client, standesamt):
    now = timezone.localtime()
    if now.hour == 23 and now.minute >= 58:
        pytest.skip("no minute of today is left in the future")
    client.post(STERBEFALL_BASE)
    client.post(f"{STERBEFALL_BASE}schritt/place/", {"death_in_city": "yes", "action": "continue"})
    data = {
        **date_parts("death_date", now.date()),
        "death_time": "23:59",
        "death_place": "home",
        **address("death_address"),
        "action": "continue",
    }

    response = client.post(f"{STERBEFALL_BASE}schritt/death/", data)

    assert response.status_code == 400
    assert "Die Uhrzeit des Todes darf nicht in der Zukunft liegen" in response.content.decode()
    response = client.post(f"{STERBEFALL_BASE}schritt/death/", {**data, "death_time": "00:00"})
    assert response.status_code == 302


# --- the deadline of § 28 PStG -------------------------------------------------------------------------------


def test_the_deadline_is_the_third_working_day_across_a_weekend():
    # Thursday 5 March 2026: Friday, Monday, Tuesday.
    assert death_notice.notice_deadline(datetime.date(2026, 3, 5)) == datetime.date(2026, 3, 10)


def test_the_deadline_skips_a_hessian_holiday(settings):
    # Wednesday 3 June 2026; Thursday 4 June is Fronleichnam, a holiday in Hesse: Friday, Monday, Tuesday.
    assert death_notice.notice_deadline(datetime.date(2026, 6, 3)) == datetime.date(2026, 6, 9)
    # Where Saturdays count: Friday, Saturday, Monday (still not the holiday).
    settings.CIVIL_STATUS_DEATH_NOTICE = {**settings.CIVIL_STATUS_DEATH_NOTICE, "saturdays": True}
    assert death_notice.notice_deadline(datetime.date(2026, 6, 3)) == datetime.date(2026, 6, 8)


def test_a_notice_after_the_deadline_is_late_but_a_notice_on_it_is_not():
    answers = {"death_date": "2026-03-05"}

    assert not death_notice.is_late(answers, on=datetime.date(2026, 3, 10))
    assert death_notice.is_late(answers, on=datetime.date(2026, 3, 11))


def test_the_check_page_confirmation_and_email_show_the_deadline(client, standesamt, run_tasks):
    died = datetime.date.today() - datetime.timedelta(days=1)
    deadline = death_notice.notice_deadline(died)
    fill_sterbefall(client, died=died)
    client.post(f"{STERBEFALL_BASE}unterlagen/", {})

    check = client.get(f"{STERBEFALL_BASE}pruefen/").content.decode()
    assert 'data-notice="deadline"' in check
    assert f"bis {deadline.day}.{deadline.month}.{deadline.year}" in check
    assert "Samstage" in check  # the open question, said once

    client.post(f"{STERBEFALL_BASE}pruefen/", {"declaration": "yes"})
    submission = Submission.objects.get()
    confirmation = client.get(f"/antrag/eingereicht/{submission.uuid}/").content.decode()
    assert f"bis {deadline.day}.{deadline.month}.{deadline.year}" in confirmation
    assert "kern-alert--warning" not in confirmation.split('data-notice="deadline"')[0][-200:]


@pytest.mark.django_db(transaction=True)  # the task worker checks its connection
def test_a_late_notice_is_accepted_and_the_citizen_told_it_is_late(client, standesamt, run_tasks):
    died = datetime.date.today() - datetime.timedelta(days=20)
    deadline = death_notice.notice_deadline(died)

    submission = send(client, died=died)
    run_tasks()

    assert submission.case.status == CaseStatus.RECEIVED  # accepted
    confirmation = client.get(f"/antrag/eingereicht/{submission.uuid}/").content.decode()
    assert "Die Anzeige ist verspätet" in confirmation
    assert f"{deadline.day}.{deadline.month}.{deadline.year}" in confirmation
    [message] = [m for m in mail.outbox if m.to == ["bestattung@example.org"]]
    assert "Die Anzeige ist verspätet" in message.body


# --- the reporter's duty, § 29 and § 30 PStG -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "rank", "on_behalf"),
    [
        ({"relationship": "household"}, 1, False),
        ({"relationship": "flat_holder"}, 2, False),
        ({"relationship": "present"}, 3, False),
        ({"relationship": "institution"}, 0, False),
        ({"relationship": "undertaker", "principal_relationship": "household"}, 1, True),
        ({"relationship": "undertaker", "principal_relationship": "flat_holder"}, 2, True),
        ({"relationship": "undertaker", "principal_relationship": "present"}, 3, True),
        ({"relationship": "undertaker", "principal_relationship": "institution"}, 0, True),
    ],
)
def test_the_duty_follows_the_reporters_relation(answers, rank, on_behalf):
    duty = death_notice.reporter_duty(answers)

    assert (duty.rank, duty.on_behalf, duty.institution) == (rank, on_behalf, rank == 0)


def test_no_duty_is_made_up_for_a_missing_answer():
    assert death_notice.reporter_duty({}) is None
    assert death_notice.reporter_duty({"relationship": "undertaker"}) is None


@pytest.mark.parametrize(
    ("relationship", "shown"),
    [
        ("household", "Rang 1 von 3"),
        ("present", "Rang 3 von 3"),
        ("undertaker", "Ein Bestattungsunternehmen zeigt im Auftrag an: Rang 1 von 3"),
    ],
)
def test_the_check_page_and_the_case_page_show_the_duty(client, clerk, relationship, shown):
    # The person in whose home the death happened: test_a_flat_holder_reports_a_death_in_a_home.
    fill_sterbefall(client, relationship=relationship)
    client.post(f"{STERBEFALL_BASE}unterlagen/", {})
    assert shown in client.get(f"{STERBEFALL_BASE}pruefen/").content.decode()
    client.post(f"{STERBEFALL_BASE}pruefen/", {"declaration": "yes"})
    case = Submission.objects.get().case

    client.force_login(clerk)
    page = client.get(f"/intern/faelle/{case.uuid}/").content.decode()

    assert "data-death-notice" in page and shown in page


def test_a_hospital_reports_a_death_in_its_house_only(client, standesamt):
    fill_sterbefall(client, relationship="institution")  # died in hospital
    client.post(f"{STERBEFALL_BASE}unterlagen/", {})
    assert "Krankenhaus oder Pflegeheim (§ 30" in client.get(f"{STERBEFALL_BASE}pruefen/").content.decode()

    data = {"death_in_city": "yes", "action": "continue"}
    client.post(f"{STERBEFALL_BASE}schritt/place/", data)
    death = {
        **date_parts("death_date", datetime.date.today() - datetime.timedelta(days=1)),
        "death_time": "04:15",
        "death_place": "home",
        **address("death_address"),
        "action": "continue",
    }
    client.post(f"{STERBEFALL_BASE}schritt/death/", death)
    response = client.post(
        f"{STERBEFALL_BASE}schritt/reporter/",
        {
            "relationship": "institution",
            "reporter_name-given_names": "Berta",
            "reporter_name-family_name": "Pflege",
            "email": "pflege@example.org",
            "phone": "0561 123456",
            "action": "continue",
        },
    )
    assert response.status_code == 400
    assert "zeigt nur einen Sterbefall in seinem Haus an" in response.content.decode()


def test_a_flat_holder_reports_a_death_in_a_home(client, standesamt):
    client.post(STERBEFALL_BASE)
    client.post(f"{STERBEFALL_BASE}schritt/place/", {"death_in_city": "yes", "action": "continue"})
    death = {
        **date_parts("death_date", datetime.date.today() - datetime.timedelta(days=1)),
        "death_time": "04:15",
        "death_place": "hospital",
        **address("death_address"),
        "action": "continue",
    }
    client.post(f"{STERBEFALL_BASE}schritt/death/", death)
    deceased = {
        "deceased_name-given_names": "Karl",
        "deceased_name-family_name": "Mustermann",
        **date_parts("deceased_birth_date", datetime.date(1941, 5, 2)),
        **address("deceased_address"),
        "family_status": "single",
        "action": "continue",
    }
    assert client.post(f"{STERBEFALL_BASE}schritt/deceased/", deceased).status_code == 302
    reporter = {
        "relationship": "flat_holder",
        "reporter_name-given_names": "Hans",
        "reporter_name-family_name": "Wirt",
        "email": "wirt@example.org",
        "phone": "0561 123456",
        "action": "continue",
    }
    response = client.post(f"{STERBEFALL_BASE}schritt/reporter/", reporter)
    assert response.status_code == 400 and "Prüfen Sie den Sterbeort" in response.content.decode()

    client.post(f"{STERBEFALL_BASE}schritt/death/?aendern=1", {**death, "death_place": "home"})
    assert client.post(f"{STERBEFALL_BASE}schritt/reporter/", reporter).status_code == 302
    client.post(f"{STERBEFALL_BASE}schritt/certificates/", {"free_certificates": "no", "action": "continue"})
    client.post(f"{STERBEFALL_BASE}unterlagen/", {})
    assert "Rang 2 von 3" in client.get(f"{STERBEFALL_BASE}pruefen/").content.decode()


# --- the free death certificates reach the fulfilment ---------------------------------------------------------


def test_completing_the_notice_orders_the_free_certificates_for_the_reporter(client, clerk):
    notice = send(client, free_purposes=("pension", "health_insurance"))
    assert "Ihre kostenlosen Sterbeurkunden" in client.get(f"/antrag/eingereicht/{notice.uuid}/").content.decode()
    assert not CertificateOrder.objects.exists()  # not before the death is registered

    complete(notice.case, clerk)

    order = CertificateOrder.objects.get()
    ordered = order.case
    assert ordered.service.slug == "sterbeurkunde" and ordered.reference != notice.reference
    assert order.status == OrderStatus.QUEUED and ordered.status == CaseStatus.RECEIVED
    assert ordered.applicant_name == "Berta Bestatter" and ordered.submission.email == "bestattung@example.org"
    assert order_copies_split(case=ordered) == (["Rentenversicherung", "Kranken- oder Pflegekasse"], 0)
    assert order_postal_address(case=ordered) == ["Berta Bestatter", "Wilhelmshöher Allee 19", "34117 Kassel"]
    assert ordered.submission.answers["entry_name"]["family_name"] == "Mustermann"
    assert not Payment.objects.filter(submission=ordered.submission).exists()  # free: no payment flow
    # The reporter gets the order's own confirmation, and staff see the order on the notice's case page.
    assert ordered.submission.notifications.filter(to="bestattung@example.org").exists()
    client.force_login(clerk)
    page = client.get(f"/intern/faelle/{notice.case.uuid}/").content.decode()
    assert f"Bestellt als {ordered.reference}" in page
    order_page = client.get(f"/intern/urkunden/{order.uuid}/").content.decode()
    assert "2 gebührenfrei (Rentenversicherung, Kranken- oder Pflegekasse)" in order_page
    order_case_page = client.get(f"/intern/faelle/{ordered.uuid}/").content.decode()
    purpose = (
        "Gebührenfrei: Rentenversicherung, Kranken- oder Pflegekasse. "
        f"Zur Voranzeige eines Sterbefalls {notice.reference}."
    )
    assert purpose in order_case_page


@pytest.mark.django_db(transaction=True)  # the task worker checks its connection
def test_the_reporter_gets_the_orders_confirmation_with_its_own_reference(client, clerk, run_tasks):
    notice = send(client, free_purposes=("health_insurance",))
    run_tasks()
    mail.outbox.clear()

    complete(notice.case, clerk)
    run_tasks()

    ordered = CertificateOrder.objects.get().case
    # The notice's own "completed" email, and the order's confirmation.
    [confirmation] = [m for m in mail.outbox if ordered.reference in m.subject and m.to == ["bestattung@example.org"]]
    assert "Zugangscode" in confirmation.body
    assert [name for name, _content, _type in confirmation.attachments] == [f"{ordered.reference}.pdf"]


def test_the_free_certificates_are_ordered_once(client, clerk):
    notice = send(client, free_purposes=("pension",))
    case = complete(notice.case, clerk)

    assert death_notice_certificates_order(case=case, actor=clerk).pk == CertificateOrder.objects.get().case_id
    assert CertificateOrder.objects.count() == 1


def test_a_notice_without_free_certificates_orders_none(client, clerk):
    notice = send(client)

    complete(notice.case, clerk)

    assert not CertificateOrder.objects.exists()


def test_the_undertaker_with_every_document_still_needs_no_appointment(client, standesamt):
    fill_sterbefall(client, free_purposes=("pension",))
    keys = ["death_certificate", "birth_certificate", "marriage_certificate", "residence_proof"]
    client.post(
        f"{STERBEFALL_BASE}unterlagen/",
        {key: SimpleUploadedFile(f"{key}.pdf", PDF, content_type="application/pdf") for key in keys},
    )
    client.post(f"{STERBEFALL_BASE}pruefen/", {"declaration": "yes"})

    submission = Submission.objects.get()
    assert submission.outcome == {"key": "undertaker_complete", "kind": "no_appointment"}
    assert submission.answers["undertaker_company"] == "Bestattungen Kassel GmbH"
    assert submission.answers["principal_relationship"] == "household"
