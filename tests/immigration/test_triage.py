"""The immigration office's staff triage: who sees it, the inbox lines, the list by expiry, the three outcomes
with their messages in the citizen's language, the call list and the anonymous figures."""

import datetime
import re

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from amtsweg.applications.access import status_access_grant
from amtsweg.appointments.models import Appointment, BookableService
from amtsweg.appointments.seed import appointments_load_seed
from amtsweg.cases.constants import AuditAction, CaseStatus, EventKind
from amtsweg.cases.errors import CaseError
from amtsweg.cases.models import AuditEntry, CaseEvent
from amtsweg.cases.services import case_transition
from amtsweg.catalogue.models import Department, Location, OpeningHours
from amtsweg.immigration import triage
from amtsweg.immigration.hooks import triage_inbox_lines
from amtsweg.immigration.models import ImmigrationTriage
from amtsweg.statistics.models import CaseRecord
from tests.accounts.factories import StaffFactory
from tests.appointments.helpers import post_details
from tests.immigration.triage_factories import contact_request, immigration_staff

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% a test file\n"


@pytest.fixture(autouse=True)
def _triage_settings(settings, tmp_path, kassel):
    """The Kassel catalogue; files go to a temporary directory; no second factor in the back office."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.STAFF_2FA_REQUIRED = False


def _tomorrow_weekday() -> datetime.date:
    day = timezone.localdate() + datetime.timedelta(days=1)
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return day


def _messages(case) -> list[str]:
    return list(
        CaseEvent.objects.filter(case=case, kind=EventKind.MESSAGE, visible_to_citizen=True)
        .order_by("at", "id")
        .values_list("text", flat=True)
    )


def _status_page(client, case) -> str:
    session = client.session
    status_access_grant(session=session, submission=case.submission)
    session.save()
    return client.get(f"/status/{case.submission.uuid}/").content.decode()


# --- who sees it ----------------------------------------------------------------------------------------------


def test_only_staff_of_the_immigration_department_see_the_triage_pages(client):
    case = contact_request()
    outsider = StaffFactory(departments=[Department.objects.get(slug="buergerbuero")])
    outsider.user_permissions.add(*Permission.objects.all())
    client.force_login(outsider)
    assert client.get("/intern/zuwanderung/").status_code == 403
    assert client.get("/intern/zuwanderung/anrufe/").status_code == 403
    assert client.get(f"/intern/zuwanderung/faelle/{case.uuid}/").status_code == 404
    assert client.post(f"/intern/zuwanderung/faelle/{case.uuid}/", {"action": "appointment"}).status_code == 404
    assert not ImmigrationTriage.objects.exclude(outcome="").exists()

    client.force_login(immigration_staff())
    assert client.get("/intern/zuwanderung/").status_code == 200


def test_the_triage_list_is_audited_per_case_shown(client):
    case = contact_request()
    staff = immigration_staff()
    client.force_login(staff)
    client.get("/intern/zuwanderung/")
    entry = AuditEntry.objects.get(case_reference=case.reference, actor=staff)
    assert entry.action == AuditAction.VIEW_CASE and "Liste" in entry.detail


# --- the inbox and the list -----------------------------------------------------------------------------------


def test_the_inbox_shows_topic_language_contact_and_the_days_left(client):
    today = timezone.localdate()
    case = contact_request(language="en", permit_expiry=(today + datetime.timedelta(days=10)).isoformat())
    expired = contact_request(permit_expiry=(today - datetime.timedelta(days=3)).isoformat(), topic="fiktion")
    client.force_login(immigration_staff())
    page = client.get("/intern/").content.decode()
    lines = re.findall(r"data-inbox-line>([^<]+)<", page)
    assert any(
        line.startswith(
            "Aufenthaltserlaubnis verlängern · Sprache: Englisch · Kontakt: Telefon · Aufenthaltstitel gültig bis"
        )
        and "(noch 10 Tage)" in line
        for line in lines
    ), lines
    assert any(
        "Fiktionsbescheinigung" in line and "abgelaufen am" in line and "(vor 3 Tagen)" in line for line in lines
    )
    assert case.reference in page and expired.reference in page


def test_the_inbox_lines_read_one_query_for_the_whole_page():
    cases = [contact_request() for _ in range(5)]
    with CaptureQueriesContext(connection) as queries:
        lines = triage_inbox_lines(cases=cases)
    assert len(queries) == 1 and set(lines) == {str(case.uuid) for case in cases}


def test_the_triage_list_puts_the_permit_that_expires_soonest_first(client):
    today = timezone.localdate()
    later = contact_request(permit_expiry=(today + datetime.timedelta(days=60)).isoformat())
    none = contact_request(permit_expiry=None, topic="question")
    soon = contact_request(permit_expiry=(today + datetime.timedelta(days=5)).isoformat())
    gone = contact_request(permit_expiry=(today - datetime.timedelta(days=1)).isoformat())
    done = contact_request(permit_expiry=(today + datetime.timedelta(days=1)).isoformat())
    staff = immigration_staff()
    case_transition(case=done, to_status=CaseStatus.REJECTED, actor=staff, reason="Doppelt")
    client.force_login(staff)
    page = client.get("/intern/zuwanderung/").content.decode()
    order = re.findall(r'data-reference="([^"]+)"', page)
    assert order == [gone.reference, soon.reference, later.reference, none.reference]
    assert "Amira Haddad" in page and "Dolmetscher: Arabisch" in page
    everything = client.get("/intern/zuwanderung/?alle=1").content.decode()
    assert re.findall(r'data-reference="([^"]+)"', everything)[1] == done.reference


# --- the phone consultation ------------------------------------------------------------------------------------


def test_a_phone_consultation_tells_an_english_speaking_citizen_in_english(client):
    case = contact_request(language="en")
    staff = immigration_staff()
    client.force_login(staff)
    day = _tomorrow_weekday()
    response = client.post(
        f"/intern/zuwanderung/faelle/{case.uuid}/",
        {"action": "phone", "phone-day": day.isoformat(), "phone-start": "09:00", "phone-end": "09:30"},
    )
    assert response.status_code == 303
    [text] = _messages(case)
    assert text.startswith("We will call you on ") and "between 9 a.m. and 9:30 a.m." in text
    assert "0561 123456" in text
    row = ImmigrationTriage.objects.get(case=case)
    assert row.outcome == "phone" and row.first_contact_at is not None
    assert timezone.localtime(row.call_starts_at).time() == datetime.time(9)
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_PROGRESS
    client.logout()
    assert "We will call you on" in _status_page(client, case)


def test_a_phone_consultation_tells_a_german_speaking_citizen_in_german(client):
    case = contact_request(language="de")
    day = _tomorrow_weekday()
    triage.triage_phone_schedule(
        case=case, actor=immigration_staff(), day=day, start=datetime.time(13), end=datetime.time(14)
    )
    [text] = _messages(case)
    assert text.startswith("Wir rufen Sie am ") and "zwischen 13:00 und 14:00 Uhr" in text


@pytest.mark.parametrize(
    ("language", "start"),
    [
        ("tr", "Talebiniz hakkında konuşmak için"),
        ("ar", "سنتصل بك يوم"),
        ("uk", "Ми зателефонуємо вам"),
        ("ru", "Мы позвоним вам"),
    ],
)
def test_a_phone_consultation_tells_the_citizen_in_a_further_language_of_the_request(language, start):
    case = contact_request(language=language)
    triage.triage_phone_schedule(
        case=case, actor=immigration_staff(), day=_tomorrow_weekday(), start=datetime.time(9), end=datetime.time(10)
    )
    [text] = _messages(case)
    assert text.startswith(start) and "0561 123456" in text


def test_a_call_window_that_is_not_usable_is_refused_with_the_input_kept(client):
    case = contact_request()
    client.force_login(immigration_staff())
    response = client.post(
        f"/intern/zuwanderung/faelle/{case.uuid}/",
        {"action": "phone", "phone-day": "2026-02-30", "phone-start": "10:00", "phone-end": "09:00"},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "gültiges Datum" in page and "nach seinem Beginn" in page and 'value="10:00"' in page
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    with pytest.raises(CaseError):
        triage.triage_phone_schedule(
            case=case, actor=None, day=yesterday, start=datetime.time(9), end=datetime.time(10)
        )
    assert _messages(case) == []


def test_a_request_without_a_phone_number_cannot_get_a_call():
    case = contact_request(phone=None, contact_preference="email")
    with pytest.raises(CaseError, match="keine Telefonnummer"):
        triage.triage_phone_schedule(
            case=case, actor=None, day=_tomorrow_weekday(), start=datetime.time(9), end=datetime.time(10)
        )


def test_the_call_list_shows_the_days_calls_with_numbers_names_and_languages(client):
    day = _tomorrow_weekday()
    staff = immigration_staff()
    late = contact_request(language="en", applicant_name="John Smith", phone="0170 555", interpreter=False)
    early = contact_request(language="de")
    other_day = contact_request()
    triage.triage_phone_schedule(case=late, actor=staff, day=day, start=datetime.time(11), end=datetime.time(12))
    triage.triage_phone_schedule(case=early, actor=staff, day=day, start=datetime.time(8), end=datetime.time(8, 30))
    triage.triage_phone_schedule(
        case=other_day,
        actor=staff,
        day=day + datetime.timedelta(days=7),
        start=datetime.time(8),
        end=datetime.time(9),
    )
    client.force_login(staff)
    page = client.get(f"/intern/zuwanderung/anrufe/?tag={day.isoformat()}").content.decode()
    assert re.findall(r'data-reference="([^"]+)"', page) == [early.reference, late.reference]
    assert "08:00–08:30" in page and "0561 123456" in page and "Amira Haddad" in page and "Arabisch" in page
    assert "11:00–12:00" in page and "0170 555" in page and "John Smith" in page and "Englisch" in page
    assert AuditEntry.objects.filter(case_reference=early.reference, detail__contains="Anrufliste").exists()
    assert client.get("/intern/zuwanderung/anrufe/?tag=morgen").status_code == 400


def test_a_call_that_reached_the_citizen_completes_the_case(client):
    case = contact_request()
    staff = immigration_staff()
    triage.triage_phone_schedule(
        case=case, actor=staff, day=_tomorrow_weekday(), start=datetime.time(9), end=datetime.time(10)
    )
    client.force_login(staff)
    response = client.post(
        f"/intern/zuwanderung/faelle/{case.uuid}/",
        {"action": "result", "result-result": "reached", "result-note": "Unterlagen besprochen."},
    )
    assert response.status_code == 303
    case.refresh_from_db()
    assert case.status == CaseStatus.COMPLETED
    note = CaseEvent.objects.get(case=case, kind=EventKind.NOTE)
    assert "Erreicht" in note.text and "Unterlagen besprochen." in note.text and not note.visible_to_citizen


def test_a_call_that_did_not_reach_the_citizen_tells_them_and_leaves_the_next_outcome_open():
    case = contact_request(language="en")
    staff = immigration_staff()
    day = _tomorrow_weekday()
    triage.triage_phone_schedule(case=case, actor=staff, day=day, start=datetime.time(9), end=datetime.time(10))
    triage.triage_call_result(case=case, actor=staff, result="not_reached")
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_PROGRESS
    assert _messages(case)[-1].startswith("We tried to call you on")
    with pytest.raises(CaseError):
        triage.triage_call_result(case=case, actor=staff, result="reached")
    # Another call; its window replaces the first.
    triage.triage_phone_schedule(case=case, actor=staff, day=day, start=datetime.time(14), end=datetime.time(15))
    row = ImmigrationTriage.objects.get(case=case)
    assert row.calls == 2 and row.call_result == ""


# --- the appointment ---------------------------------------------------------------------------------------------


@pytest.fixture
def immigration_office():
    """The appointments set-up of the seed, with long opening hours at the immigration office."""
    appointments_load_seed()
    location = Location.objects.get(slug="zuwanderung")
    location.opening_hours.all().delete()  # long days, so that a time is free whenever the test runs
    for weekday in range(5):
        OpeningHours.objects.create(
            location=location, weekday=weekday, opens=datetime.time(8), closes=datetime.time(18)
        )
    location.booking_policy.lead_minutes = 0
    location.booking_policy.save()
    return BookableService.objects.get(location=location, service__slug="zuwanderung-kontakt")


def test_the_seed_keeps_the_immigration_offices_times_for_contact_requests(immigration_office):
    assert immigration_office.case_link_only and immigration_office.duration_minutes == 15


def test_an_appointment_outcome_sends_a_link_that_books_the_reserved_time(client, immigration_office):
    case = contact_request(language="en")
    staff = immigration_staff()
    client.force_login(staff)
    assert client.post(f"/intern/zuwanderung/faelle/{case.uuid}/", {"action": "appointment"}).status_code == 303
    [text] = _messages(case)
    assert text.startswith("Please book an appointment with us at ") and "about 15 minutes" in text
    link = re.search(r"http://\S+(/termin/zuwanderung/zuwanderung-kontakt/\?vorgang=\S+)", text).group(1)
    assert ImmigrationTriage.objects.get(case=case).outcome == "appointment"
    client.logout()
    assert "/termin/zuwanderung/zuwanderung-kontakt/?vorgang=" in _status_page(client, case)

    start = timezone.make_aware(datetime.datetime.combine(_tomorrow_weekday(), datetime.time(9)))
    details = "/termin/zuwanderung/zuwanderung-kontakt/angaben/"
    refused = post_details(client, details, {"zeit": start.isoformat(), "name": "X", "email": "x@example.org"})
    assert refused.status_code == 403 and "nur nach einer Anfrage" in refused.content.decode()
    token = link.split("vorgang=")[1]
    post_details(
        client, details, {"zeit": start.isoformat(), "name": "Amira", "email": "amira@example.org", "vorgang": token}
    )
    appointment = Appointment.objects.get()
    assert appointment.case == case
    assert appointment.ends_at - appointment.starts_at == datetime.timedelta(minutes=15)


def test_an_appointment_outcome_tells_a_german_speaking_citizen_in_german(immigration_office):
    case = contact_request(language="de")
    triage.triage_appointment_offer(case=case, actor=immigration_staff())
    [text] = _messages(case)
    assert text.startswith("Bitte buchen Sie einen Termin bei uns: Abteilung für Zuwanderung und Integration.")
    assert "etwa 15 Minuten" in text and "/termin/zuwanderung/zuwanderung-kontakt/?vorgang=" in text


def test_an_appointment_outcome_needs_the_offices_online_booking():
    case = contact_request()
    with pytest.raises(CaseError, match="keine Online-Buchungen"):
        triage.triage_appointment_offer(case=case, actor=immigration_staff())
    assert _messages(case) == []


# --- documents sent ------------------------------------------------------------------------------------------------


def test_documents_sent_are_on_the_status_page_in_the_citizens_language_and_complete_the_case(client):
    case = contact_request(language="en", topic="obligation", contact_preference="email")
    client.force_login(immigration_staff())
    response = client.post(
        f"/intern/zuwanderung/faelle/{case.uuid}/",
        {
            "action": "documents",
            "documents-text": "The form is attached.",
            "documents-files": [SimpleUploadedFile("merkblatt.pdf", PDF, content_type="application/pdf")],
        },
    )
    assert response.status_code == 303
    case.refresh_from_db()
    assert case.status == CaseStatus.COMPLETED
    [text] = _messages(case)
    assert text.startswith("We are sending you the documents") and text.endswith("The form is attached.")
    client.logout()
    status = _status_page(client, case)
    assert "We are sending you the documents" in status and "merkblatt.pdf" in status


def test_documents_cannot_be_sent_without_a_file(client):
    case = contact_request()
    client.force_login(immigration_staff())
    response = client.post(f"/intern/zuwanderung/faelle/{case.uuid}/", {"action": "documents"})
    assert response.status_code == 400 and "Wählen Sie die Unterlagen aus" in response.content.decode()
    assert _messages(case) == []


def test_a_closed_case_has_no_triage_left():
    case = contact_request()
    staff = immigration_staff()
    case_transition(case=case, to_status=CaseStatus.REJECTED, actor=staff, reason="Zurückgezogen")
    with pytest.raises(CaseError):
        triage.triage_appointment_offer(case=case, actor=staff)


def test_each_outcome_is_audited_with_the_staff_member(immigration_office):
    staff = immigration_staff()
    day = _tomorrow_weekday()
    phoned, invited, sent = contact_request(), contact_request(), contact_request()
    triage.triage_phone_schedule(case=phoned, actor=staff, day=day, start=datetime.time(9), end=datetime.time(10))
    triage.triage_call_result(case=phoned, actor=staff, result="not_reached")
    triage.triage_appointment_offer(case=invited, actor=staff)
    triage.triage_documents_send(
        case=sent, actor=staff, files=[SimpleUploadedFile("a.pdf", PDF, content_type="application/pdf")]
    )
    entries = {
        (entry.case_reference, entry.detail)
        for entry in AuditEntry.objects.filter(action=AuditAction.TRIAGE, actor=staff)
    }
    assert entries == {
        (phoned.reference, f"phone {day.isoformat()} 09:00-10:00"),
        (phoned.reference, "call result: not_reached"),
        (invited.reference, "appointment: booking link sent"),
        (sent.reference, "documents: 1 sent"),
    }


# --- the case page ---------------------------------------------------------------------------------------------


def test_the_case_page_shows_the_request_at_a_glance_and_the_three_outcomes(client):
    case = contact_request(call_times=["morning", "afternoon"])
    client.force_login(immigration_staff())
    page = client.get(f"/intern/faelle/{case.uuid}/").content.decode()
    assert "Vorsortierung der Kontaktanfrage" in page
    assert "Vormittags, 8 bis 12 Uhr, Nachmittags, 12 bis 16 Uhr" in page and "Dolmetscher: Arabisch" in page
    for button in ("Anruf planen", "Link zur Terminbuchung senden", "Unterlagen senden und Vorgang abschließen"):
        assert button in page


# --- the statistics ---------------------------------------------------------------------------------------------


def test_the_statistics_record_keeps_topic_outcome_and_hours_to_the_first_contact_and_nothing_personal():
    case = contact_request(topic="blue_card")
    submitted = timezone.now() - datetime.timedelta(hours=30)
    type(case.submission).objects.filter(pk=case.submission_id).update(submitted_at=submitted)
    case.refresh_from_db()
    triage.triage_documents_send(
        case=case, actor=immigration_staff(), files=[SimpleUploadedFile("a.pdf", PDF, content_type="application/pdf")]
    )
    record = CaseRecord.objects.get(service__slug="zuwanderung-kontakt")
    assert record.details["topic"] == "blue_card" and record.details["outcome"] == "documents"
    assert 29.9 <= record.details["hours_to_first_contact"] <= 30.1
    assert set(record.details) == {"topic", "outcome", "hours_to_first_contact"}
    assert "Amira" not in str(record.details) and "0561" not in str(record.details)


def test_the_figures_page_shows_the_counts_per_topic_and_outcome_to_the_immigration_lead(client):
    staff = immigration_staff()
    for topic in ("blue_card", "blue_card", "settlement"):
        case = contact_request(topic=topic)
        triage.triage_documents_send(
            case=case, actor=staff, files=[SimpleUploadedFile("a.pdf", PDF, content_type="application/pdf")]
        )
    phoned = contact_request(topic="settlement")
    triage.triage_phone_schedule(
        case=phoned, actor=staff, day=_tomorrow_weekday(), start=datetime.time(9), end=datetime.time(10)
    )
    triage.triage_call_result(case=phoned, actor=staff, result="reached")
    lead = immigration_staff()
    lead.user_permissions.add(Permission.objects.get(codename="view_figures"))
    client.force_login(lead)
    page = client.get("/intern/kennzahlen/").content.decode()
    section = page.split('data-figures="immigration-triage"')[1].split("</table>")[0]
    rows = {
        re.search(r'scope="row">([^<]+)<', row).group(1): re.findall(r"numeric\">(\d+)<", row)
        for row in section.split("<tr")[2:]
    }
    # Columns: phone, appointment, documents, none, total.
    assert rows == {"Niederlassungserlaubnis": ["1", "0", "1", "0", "2"], "Blaue Karte EU": ["0", "0", "2", "0", "2"]}
    assert "Stunden bis zum ersten Kontakt (Median)" in page

    other_lead = StaffFactory(departments=[Department.objects.get(slug="buergerbuero")])
    other_lead.user_permissions.add(Permission.objects.get(codename="view_figures"))
    client.force_login(other_lead)
    assert "immigration-triage" not in client.get("/intern/kennzahlen/").content.decode()
