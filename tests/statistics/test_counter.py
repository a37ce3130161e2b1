"""Counter transactions: staff record a batch by hand or import a CSV file; both land in the case records."""

import datetime
import re

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile

from amtsweg.core import dates
from amtsweg.statistics import counter
from amtsweg.statistics.constants import Channel
from amtsweg.statistics.models import CaseRecord
from tests.accounts.factories import StaffFactory
from tests.catalogue.factories import DepartmentFactory, ServiceFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 7)
COUNTER_URL = "/intern/statistik/schalter/"
IMPORT_URL = "/intern/statistik/schalter/import/"
REMOVE_URL = "/intern/statistik/schalter/entfernen/"
TEMPLATE_URL = "/intern/statistik/schalter/vorlage.csv"


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr(dates, "today", lambda: TODAY)


@pytest.fixture
def office():
    buergerbuero = DepartmentFactory(slug="buergerbuero", name_de="Bürgerbüro")
    standesamt = DepartmentFactory(slug="standesamt", name_de="Standesamt")
    return {
        "own": ServiceFactory(
            department=buergerbuero, slug="meldebescheinigung", name_de="Meldebescheinigung", leika_key="99115001006000"
        ),
        "own_too": ServiceFactory(department=buergerbuero, slug="fuehrungszeugnis", name_de="Führungszeugnis"),
        "other": ServiceFactory(
            department=standesamt, slug="geburtsurkunde", name_de="Geburtsurkunde", leika_key="99068005000000"
        ),
        "department": buergerbuero,
    }


@pytest.fixture
def clerk(client, office):
    user = StaffFactory(departments=[office["department"]])
    user.user_permissions.add(Permission.objects.get(content_type__app_label="statistics", codename="record_counter"))
    client.force_login(user)
    return user


def _post(client, **fields):
    data = {"service": "meldebescheinigung", "count": "12", "date-day": "3", "date-month": "12", "date-year": "2026"}
    data.update(fields)
    return client.post(COUNTER_URL, data)


def _upload(client, content: bytes, name: str = "zahlen.csv"):
    return client.post(IMPORT_URL, {"file": SimpleUploadedFile(name, content, content_type="text/csv")})


def _batches():
    return sorted(
        (r.service.slug, r.submitted_on, r.count)
        for r in CaseRecord.objects.filter(channel=Channel.COUNTER).select_related("service")
    )


# --- recording by hand ---


def test_the_form_records_one_counter_batch_without_who_entered_it(client, clerk, office):
    response = _post(client)
    assert response.status_code == 303
    record = CaseRecord.objects.get()
    assert (record.service, record.department, record.channel, record.count) == (
        office["own"],
        office["department"],
        Channel.COUNTER,
        12,
    )
    assert record.submitted_on == record.closed_on == datetime.date(2026, 12, 3)
    assert record.final_status == "completed"
    assert clerk.username not in str(CaseRecord.objects.values().get())
    page = client.get(response["Location"]).content.decode()
    assert "12 Vorgänge für Meldebescheinigung am 3.12.2026 erfasst" in page
    assert 'data-counter="batches"' in page


def test_the_form_offers_only_the_services_of_the_own_department(client, clerk):
    page = client.get(COUNTER_URL).content.decode()
    assert 'value="meldebescheinigung"' in page and 'value="fuehrungszeugnis"' in page
    assert 'value="geburtsurkunde"' not in page


def test_a_forged_post_for_another_departments_service_is_refused_with_a_message(client, clerk):
    response = _post(client, service="geburtsurkunde")
    assert response.status_code == 400
    assert "Wählen Sie eine Dienstleistung Ihrer Abteilung aus" in response.content.decode()
    assert not CaseRecord.objects.exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"service": ""}, "Wählen Sie die Dienstleistung aus"),
        ({"count": ""}, "Geben Sie die Anzahl der Vorgänge ein"),
        ({"count": "0"}, "ganze Zahl von 1 bis 10.000"),
        ({"count": "10001"}, "ganze Zahl von 1 bis 10.000"),
        ({"count": "2,5"}, "ganze Zahl von 1 bis 10.000"),
        ({"count": "zwölf"}, "ganze Zahl von 1 bis 10.000"),
        ({"count": "9" * 30}, "ganze Zahl von 1 bis 10.000"),
        ({"date-day": "", "date-month": "", "date-year": ""}, "Geben Sie das Datum der Vorgänge ein"),
        ({"date-month": ""}, "Das Datum muss einen Monat enthalten"),
        ({"date-day": "31", "date-month": "11"}, "Das Datum muss ein gültiges Datum sein"),
        ({"date-month": "13"}, "Das Datum muss ein gültiges Datum sein"),
        ({"date-year": "26"}, "Das Jahr muss 4 Ziffern haben"),
        ({"date-day": "8"}, "Das Datum muss heute oder in der Vergangenheit liegen"),
        ({"date-year": "2024", "date-day": "6"}, "Das Datum muss am 7.12.2024 oder danach liegen"),
        ({"date-year": "0000"}, "Das Datum muss ein gültiges Datum sein"),
        ({"date-day": "\x00" * 50}, "Das Datum muss ein gültiges Datum sein"),
    ],
)
def test_bad_input_gets_a_message_and_is_kept(client, clerk, fields, message):
    response = _post(client, **fields)
    page = response.content.decode()
    assert response.status_code == 400
    assert message in page
    assert 'id="error-summary"' in page
    assert not CaseRecord.objects.exists()
    if fields.get("count") == "2,5":
        assert 'value="2,5"' in page
    if fields.get("date-year") == "26":
        assert 'value="26"' in page


def test_the_oldest_allowed_day_and_today_are_accepted(client, clerk):
    assert _post(client, **{"date-day": "7", "date-year": "2024"}).status_code == 303
    assert _post(client, **{"date-day": "7", "count": "10000"}).status_code == 303
    assert _batches() == [
        ("meldebescheinigung", datetime.date(2024, 12, 7), 12),
        ("meldebescheinigung", datetime.date(2026, 12, 7), 10000),
    ]


def test_staff_without_the_permission_are_refused(client, office):
    client.force_login(StaffFactory(departments=[office["department"]]))
    assert client.get(COUNTER_URL).status_code == 403
    assert _post(client).status_code == 403
    assert _upload(client, b"Dienstleistung;Datum;Anzahl\nmeldebescheinigung;2026-12-01;3\n").status_code == 403
    assert client.get(TEMPLATE_URL).status_code == 403
    assert not CaseRecord.objects.exists()


# --- removing a batch ---


def test_a_batch_is_removed_after_confirmation(client, clerk):
    _post(client)
    record = CaseRecord.objects.get()
    asked = client.post(REMOVE_URL, {"batch": record.pk})
    assert asked.status_code == 200
    assert "Eintrag entfernen?" in asked.content.decode()
    assert CaseRecord.objects.exists()
    removed = client.post(REMOVE_URL, {"batch": record.pk, "confirm": "yes"})
    assert removed.status_code == 303
    assert not CaseRecord.objects.exists()


def test_only_counter_batches_of_the_own_department_can_be_removed(client, clerk, office):
    other = CaseRecord.objects.create(
        service=office["other"],
        department=office["other"].department,
        channel=Channel.COUNTER,
        count=4,
        submitted_on=TODAY,
    )
    online = CaseRecord.objects.create(service=office["own"], department=office["department"], submitted_on=TODAY)
    for record in (other, online):
        assert client.post(REMOVE_URL, {"batch": record.pk, "confirm": "yes"}).status_code == 404
    for junk in ("", "abc", "-1", "99999999999999999999999"):
        assert client.post(REMOVE_URL, {"batch": junk, "confirm": "yes"}).status_code == 404
    assert CaseRecord.objects.count() == 2


# --- importing a file ---

VALID = (
    "Dienstleistung;Datum;Anzahl\r\n"
    "meldebescheinigung;01.12.2026;12\r\n"
    "99115001006000;2026-12-02;3\r\n"
    "fuehrungszeugnis;2.12.2026;5\r\n"
    ";;\r\n"
)


@pytest.mark.parametrize(
    "content",
    [
        VALID.encode("utf-8"),
        VALID.encode("utf-8-sig"),
        VALID.replace(";", ",").encode("utf-8"),
        ("service,date,count\n" + VALID.replace(";", ",").split("\r\n", 1)[1]).encode("utf-8"),
        VALID.encode("cp1252"),
    ],
    ids=["semicolon", "bom", "comma", "english-headers", "windows-1252"],
)
def test_a_valid_file_is_imported(client, clerk, content):
    response = _upload(client, content)
    assert response.status_code == 303
    assert _batches() == [
        ("fuehrungszeugnis", datetime.date(2026, 12, 2), 5),
        ("meldebescheinigung", datetime.date(2026, 12, 1), 12),
        ("meldebescheinigung", datetime.date(2026, 12, 2), 3),
    ]
    page = client.get(response["Location"]).content.decode()
    assert "3 Zeilen importiert: 20 Vorgänge." in page


def test_lines_of_the_same_service_and_day_are_added_up(client, clerk):
    content = (
        b"Anzahl;Datum;Dienstleistung;Bemerkung\n2;2026-12-01;meldebescheinigung;x\n5;01.12.2026;99115001006000;y\n"
    )
    assert _upload(client, content).status_code == 303
    assert _batches() == [("meldebescheinigung", datetime.date(2026, 12, 1), 7)]


def test_a_file_with_one_bad_line_imports_nothing_and_names_the_line(client, clerk):
    content = VALID + "meldebescheinigung;31.11.2026;4\r\n"
    response = _upload(client, content.encode())
    page = response.content.decode()
    assert response.status_code == 400
    assert "Zeile 6:" in page
    assert "nichts wurde importiert" in page
    assert not CaseRecord.objects.exists()


def test_every_problem_of_a_file_is_listed_with_its_line(client, clerk):
    content = (
        "Dienstleistung;Datum;Anzahl\n"
        "unbekannt;2026-12-01;1\n"
        "geburtsurkunde;2026-12-01;1\n"
        "99068005000000;2026-12-01;1\n"
        "meldebescheinigung;2026-13-01;1\n"
        "meldebescheinigung;2026-12-24;1\n"
        "meldebescheinigung;2020-12-01;1\n"
        "meldebescheinigung;2026-12-01;0\n"
        "meldebescheinigung;2026-12-01;1,5\n"
        "meldebescheinigung;2026-12-01;10001\n"
        ";;7\n"
        "meldebescheinigung;2026-12-01\n"
    )
    page = _upload(client, content.encode()).content.decode()
    expected = [
        (2, "Unbekannte Dienstleistung „unbekannt“"),
        (3, "gehört zu einer anderen Abteilung"),
        (4, "gehört zu einer anderen Abteilung"),
        (5, "ist kein Datum"),
        (6, "heute oder in der Vergangenheit"),
        (7, "am 7.12.2024 oder danach"),
        (8, "ganze Zahl von 1 bis 10.000"),
        (9, "ganze Zahl von 1 bis 10.000"),
        (10, "ganze Zahl von 1 bis 10.000"),
        (11, "Die Dienstleistung fehlt"),
        (11, "Das Datum fehlt"),
        (12, "Die Anzahl der Vorgänge fehlt"),
    ]
    rows = re.findall(
        r'<td class="kern-table__cell kern-table__cell--numeric">(\d+)</td><td class="kern-table__cell">([^<]*)</td>',
        page,
    )
    assert len(rows) == len(expected)
    for (line, shown), (number, message) in zip(rows, expected, strict=True):
        assert (line, message in shown) == (str(number), True), (line, shown)
    assert "2 weitere Probleme: siehe die Liste unten" in page
    assert not CaseRecord.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "Die Datei ist leer"),
        (b"   \r\n", "Die Datei ist leer"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "keine CSV-Datei"),
        (b"PK\x03\x04\x14\x00\x06\x00", "keine CSV-Datei"),
        (b"Dienstleistung;Datum;Anzahl\n", "Kopfzeile, aber keine Vorgänge"),
        (b"Dienstleistung;Anzahl\nmeldebescheinigung;3\n", "Die Spalte „Datum“ fehlt"),
        (b"Name,Wert\nx,1\n", "Die Spalte „Dienstleistung“ fehlt"),
        (b'Dienstleistung;Datum;Anzahl\n"meldebescheinigung;2026-12-01;3\n', "Zeile"),
        (b"x" * (counter.COUNTER_IMPORT_MAX_BYTES + 1), "größer als 1 MB"),
        (
            b"Dienstleistung;Datum;Anzahl\n"
            + b"meldebescheinigung;2026-12-01;1\n" * (counter.COUNTER_IMPORT_MAX_LINES + 1),
            "mehr als 5000 Zeilen",
        ),
    ],
    ids=[
        "empty",
        "blank",
        "png",
        "xlsx",
        "header-only",
        "missing-column",
        "no-columns",
        "open-quote",
        "huge",
        "too-many-lines",
    ],
)
def test_a_file_that_is_no_usable_csv_gets_a_message(client, clerk, content, message):
    response = _upload(client, content)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not CaseRecord.objects.exists()


def test_the_import_without_a_file_asks_for_one(client, clerk):
    response = client.post(IMPORT_URL, {})
    assert response.status_code == 400
    assert "Wählen Sie eine CSV-Datei aus" in response.content.decode()


def test_the_example_file_names_the_own_services_and_imports(client, clerk):
    response = client.get(TEMPLATE_URL)
    assert response.status_code == 200
    content = response.content
    assert content.startswith("\ufeffDienstleistung;Datum;Anzahl".encode())
    assert b"geburtsurkunde" not in content
    assert _upload(client, content).status_code == 303
    assert CaseRecord.objects.filter(channel=Channel.COUNTER).exists()


def test_an_empty_post_of_the_form_asks_for_every_answer(client, clerk):
    page = client.post(COUNTER_URL, {}).content.decode()
    for message in ("Wählen Sie die Dienstleistung aus", "Geben Sie die Anzahl", "Geben Sie das Datum"):
        assert message in page


# --- the service itself ---


def test_the_service_refuses_another_departments_service_and_bad_figures(office):
    from amtsweg.statistics.errors import StatisticsError
    from amtsweg.statistics.services import counter_transactions_record

    own_departments = {office["department"].pk}
    for service, day, count in (
        (office["other"], TODAY, 3),
        (office["own"], TODAY + datetime.timedelta(days=1), 3),
        (office["own"], datetime.date(2024, 12, 6), 3),
        (office["own"], TODAY, 0),
        (office["own"], TODAY, counter.COUNTER_MAX_COUNT + 1),
    ):
        with pytest.raises(StatisticsError):
            counter_transactions_record(service=service, day=day, count=count, department_ids=own_departments)
    assert not CaseRecord.objects.exists()
    counter_transactions_record(service=office["other"], day=TODAY, count=3, department_ids=None)  # a superuser
    assert _batches() == [("geburtsurkunde", TODAY, 3)]


def test_a_superuser_may_record_every_departments_services(client, office):
    client.force_login(StaffFactory(is_superuser=True))
    page = client.get(COUNTER_URL).content.decode()
    assert 'value="geburtsurkunde"' in page and 'value="meldebescheinigung"' in page
    assert _post(client, service="geburtsurkunde").status_code == 303
    assert _batches() == [("geburtsurkunde", datetime.date(2026, 12, 3), 12)]


def test_a_file_for_days_already_recorded_is_imported_only_when_confirmed(client, clerk):
    _post(client, **{"date-day": "1"})  # 12 transactions of the Meldebescheinigung on 1 December, by hand
    refused = _upload(client, VALID.encode())
    page = refused.content.decode()
    assert refused.status_code == 400
    assert "Für 1 Dienstleistung und Tag dieser Datei sind bereits Schaltervorgänge erfasst" in page
    assert 'data-counter="recorded"' in page and 'name="again"' in page
    assert len(_batches()) == 1

    content = SimpleUploadedFile("zahlen.csv", VALID.encode(), content_type="text/csv")
    assert client.post(IMPORT_URL, {"file": content, "again": "on"}).status_code == 303
    assert _batches() == [
        ("fuehrungszeugnis", datetime.date(2026, 12, 2), 5),
        ("meldebescheinigung", datetime.date(2026, 12, 1), 12),
        ("meldebescheinigung", datetime.date(2026, 12, 1), 12),
        ("meldebescheinigung", datetime.date(2026, 12, 2), 3),
    ]


def test_another_departments_entries_do_not_hold_up_an_import(client, clerk, office):
    CaseRecord.objects.create(
        service=office["own"], department=office["department"], submitted_on=datetime.date(2026, 12, 1)
    )  # an online case that day: not a counter entry
    CaseRecord.objects.create(
        service=office["other"],
        department=office["other"].department,
        channel=Channel.COUNTER,
        count=2,
        submitted_on=datetime.date(2026, 12, 1),
    )
    assert _upload(client, VALID.encode()).status_code == 303


@pytest.mark.parametrize(
    "data",
    [
        {"service": ["meldebescheinigung", "geburtsurkunde"], "count": ["1", "2"], "date-day": ["1", "2"]},
        {"service": "x" * 10_000, "count": "１２", "date-day": "٣", "date-month": "12", "date-year": "2026"},
        {"service": "meldebescheinigung", "count": "12", "date-day": "1", "date-month": "12", "date-year": "99999"},
        {"service": "meldebescheinigung", "count": "-5", "date-day": "-1", "date-month": "0", "date-year": "-2026"},
    ],
)
def test_odd_form_input_gets_an_answer_not_a_server_error(client, clerk, data):
    response = client.post(COUNTER_URL, data)
    assert response.status_code in (303, 400)


def test_odd_import_input_gets_an_answer_not_a_server_error(client, clerk):
    assert client.post(IMPORT_URL, {"file": "not a file"}).status_code == 400
    two = [SimpleUploadedFile(n, VALID.encode(), content_type="text/csv") for n in ("a.csv", "b.csv")]
    assert client.post(IMPORT_URL, {"file": two}).status_code in (303, 400)
    assert _upload(client, VALID.encode(), name="ä" * 300 + ".csv").status_code in (303, 400)
    assert _upload(client, b"Dienstleistung;Datum;Anzahl\n\xff\xfe;\x81;\x90\n").status_code == 400


def test_the_pages_are_in_english_too(client, clerk):
    page = client.get("/en" + COUNTER_URL).content.decode()
    assert "Record counter transactions" in page
    page = client.post("/en" + IMPORT_URL, {"file": SimpleUploadedFile("a.csv", b"x;y\n1;2\n")}).content.decode()
    assert "The column &quot;Dienstleistung&quot; is missing" in page
