"""The usage dashboard: its figures from the anonymous records, its filters, its scope and its exports."""

import csv
import datetime
import io

import pytest
from django.contrib.auth.models import Permission
from openpyxl import load_workbook

from amtsweg.statistics.models import AppointmentRecord, CaseRecord
from amtsweg.statistics.selectors import percentile_of
from tests.accounts.factories import StaffFactory
from tests.catalogue.factories import DepartmentFactory, LocationFactory, ServiceFactory
from tests.feedback.factories import ResponseFactory

pytestmark = pytest.mark.django_db
URL = "/intern/statistik/"


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    settings.STAFF_2FA_REQUIRED = False


@pytest.fixture
def standesamt():
    return DepartmentFactory(slug="standesamt", name_de="Standesamt", order=1)


@pytest.fixture
def buergerbuero():
    return DepartmentFactory(slug="buergerbuero", name_de="Bürgerbüro", order=2)


@pytest.fixture
def birth(standesamt):
    return ServiceFactory(
        department=standesamt, slug="geburtsurkunde", name_de="Geburtsurkunde", leika_key="99115001000000"
    )


@pytest.fixture
def registration(buergerbuero):
    return ServiceFactory(department=buergerbuero, slug="anmeldung", name_de="Anmeldung", leika_key="99115006001000")


def _record(service, day, *, channel="online", count=1, status="completed", days=2, within=True, paid=0):
    closed = status != ""
    return CaseRecord.objects.create(
        service=service,
        department_id=service.department_id,
        channel=channel,
        count=count,
        submitted_on=day,
        closed_on=day + datetime.timedelta(days=days) if closed else None,
        final_status=status,
        working_days=days if closed and channel == "online" else None,
        within_target=within if closed and channel == "online" else None,
        paid_cents=paid,
    )


def _staff(*departments, perm=True):
    user = StaffFactory(departments=list(departments))
    if perm:
        user.user_permissions.add(Permission.objects.get(codename="view_figures", content_type__app_label="statistics"))
    return user


def _cells(page: str, marker: str) -> list[str]:
    row = page.split(marker, 1)[1].split("</tr>", 1)[0]
    return [cell.split("</td>")[0].strip() for cell in row.split('kern-table__cell--numeric">')[1:]]


def test_the_online_share_counts_the_counter_transactions(client, birth, standesamt):
    day = datetime.date(2020, 3, 2)
    for _ in range(3):
        _record(birth, day, paid=1200)
    _record(birth, day, channel="counter", count=5)
    _record(birth, datetime.date(2020, 7, 1))  # another quarter
    client.force_login(_staff(standesamt))

    page = client.get(URL, {"zeitraum": "2020-Q1"}).content.decode()

    received, online, counter, share, completed, *_rest = _cells(page, 'data-service="geburtsurkunde"')
    assert (received, online, counter, share, completed) == ("8", "3", "5", "37,5 %", "8")
    assert "36,00" in page  # the revenue of three paid online orders


def test_processing_time_percentiles_are_nearest_rank():
    days = {1: 5, 2: 3, 10: 2}  # ten cases
    assert percentile_of(days, 0.5) == 1
    assert percentile_of(days, 0.9) == 10
    assert percentile_of({}, 0.5) is None


def test_the_table_shows_median_ninetieth_percentile_and_deadline_share(client, birth, standesamt):
    day = datetime.date(2020, 3, 2)
    for days, within in [(1, True), (1, True), (2, True), (3, True), (9, False)]:
        _record(birth, day, days=days, within=within)
    _record(birth, day, status="")  # still open: no processing time yet
    client.force_login(_staff(standesamt))

    cells = _cells(client.get(URL, {"zeitraum": "2020-03"}).content.decode(), 'data-service="geburtsurkunde"')

    assert cells[0] == "6" and cells[7:10] == ["2", "9", "80,0 %"]


def test_a_department_lead_sees_only_their_department(client, birth, registration, standesamt):
    _record(birth, datetime.date(2020, 3, 2))
    _record(registration, datetime.date(2020, 3, 2))
    client.force_login(_staff(standesamt))

    page = client.get(URL, {"zeitraum": "2020"}).content.decode()

    assert 'data-service="geburtsurkunde"' in page and 'data-service="anmeldung"' not in page
    assert client.get(URL, {"zeitraum": "2020", "abteilung": "buergerbuero"}).status_code == 200
    refused = client.get(URL, {"zeitraum": "2020", "abteilung": "buergerbuero"}).content.decode()
    assert "Wählen Sie eine Abteilung aus der Liste." in refused and 'data-service="anmeldung"' not in refused
    export = client.get(URL + "export.csv", {"zeitraum": "2020"}).content.decode("utf-8-sig")
    assert "Geburtsurkunde" in export and "Anmeldung" not in export


def test_leadership_sees_every_department_and_can_narrow_to_one(client, birth, registration, standesamt, buergerbuero):
    _record(birth, datetime.date(2020, 3, 2))
    _record(registration, datetime.date(2020, 3, 2), count=4, channel="counter")
    client.force_login(_staff(standesamt, buergerbuero))

    page = client.get(URL, {"zeitraum": "2020"}).content.decode()
    assert 'data-service="geburtsurkunde"' in page and 'data-service="anmeldung"' in page
    assert _cells(page, 'data-total="all"')[:3] == ["5", "1", "4"]
    narrowed = client.get(URL, {"zeitraum": "2020", "abteilung": "buergerbuero"}).content.decode()
    assert 'data-service="geburtsurkunde"' not in narrowed and 'data-service="anmeldung"' in narrowed


def test_without_the_permission_the_dashboard_is_refused(client, standesamt):
    client.force_login(_staff(standesamt, perm=False))
    for url in (URL, URL + "export.csv", URL + "export.xlsx", URL + "zsk.csv"):
        assert client.get(url).status_code == 403


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"zeitraum": "2020-13"}, "Wählen Sie einen Monat von 01 bis 12."),
        ({"zeitraum": "nonsense"}, "Wählen Sie einen Zeitraum aus der Liste"),
        ({"zeitraum": "1850"}, "Geben Sie einen Tag zwischen"),
        ({"von": "2020-02-30", "bis": "2020-03-01"}, "Geben Sie den Tag als Jahr-Monat-Tag ein"),
        ({"von": "2020-03-01"}, "Geben Sie den letzten Tag an."),
        ({"von": "2020-03-01", "bis": "2020-02-01"}, "Der letzte Tag darf nicht vor dem ersten Tag liegen."),
        ({"leistung": "<script>"}, "Wählen Sie eine Leistung aus der Liste."),
        ({"zeitraum": "2020-01-01_2040-01-01"}, "höchstens zehn Jahren"),
    ],
)
def test_a_wrong_filter_gets_a_message_and_the_page_still_shows(client, standesamt, birth, query, message):
    client.force_login(_staff(standesamt))
    response = client.get(URL, query)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page and 'id="error-summary"' in page and "<script>" not in page


def test_a_range_of_days_and_a_month_give_a_daily_series(client, birth, standesamt):
    _record(birth, datetime.date(2020, 3, 2), count=2, channel="counter")
    _record(birth, datetime.date(2020, 3, 3))
    client.force_login(_staff(standesamt))

    page = client.get(URL, {"von": "2020-03-01", "bis": "2020-03-10"}).content.decode()

    series = page.split('data-figures="series"')[1].split("</table>")[0]
    assert series.count('scope="row"') == 10
    assert "Transaktionen pro Tag" in page or "Vorgänge pro Tag" in page
    assert 'role="img"' in page and "<title" in page


def test_the_exports_carry_the_tables_figures(client, birth, standesamt):
    _record(birth, datetime.date(2020, 3, 2), count=3, channel="counter")
    _record(birth, datetime.date(2020, 3, 2), paid=1200)
    client.force_login(_staff(standesamt))

    response = client.get(URL + "export.csv", {"zeitraum": "2020"})
    assert response["Content-Disposition"] == 'attachment; filename="nutzungszahlen-2020.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[1][:7] == ["Standesamt", "Geburtsurkunde", "99115001000000", "4", "1", "3", "25,0"]

    response = client.get(URL + "export.xlsx", {"zeitraum": "2020"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [cell.value for cell in sheet[2]][:7] == ["Standesamt", "Geburtsurkunde", "99115001000000", 4, 1, 3, 25.0]
    assert client.get(URL + "export.pdf").status_code == 404


def test_the_federal_export_counts_online_transactions_per_month_and_leika_key(client, birth, standesamt):
    ServiceFactory(department=standesamt, slug="ohne-leika", leika_key="")
    for day, count in [
        (datetime.date(2020, 1, 31), 1),
        (datetime.date(2020, 2, 1), 1),
        (datetime.date(2020, 2, 29), 1),
    ]:
        _record(birth, day, count=count)
    _record(birth, datetime.date(2020, 2, 3), channel="counter", count=40)  # not online: not counted
    client.force_login(_staff(standesamt))

    response = client.get(URL + "zsk.csv", {"zeitraum": "2020"})

    assert response["Content-Disposition"] == 'attachment; filename="zsk-066110000000-2020.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows == [
        ["leikaId", "ars", "monat", "anzahlTransaktionen"],
        ["99115001000000", "066110000000", "2020-01", "1"],
        ["99115001000000", "066110000000", "2020-02", "2"],
    ]


def test_appointments_and_satisfaction_per_service(client, birth, registration, standesamt):
    location = LocationFactory(department=standesamt)
    day = datetime.date(2020, 3, 2)
    for outcome in ["kept"] * 7 + ["no_show"] * 3 + ["cancelled", "booked"]:
        AppointmentRecord.objects.create(
            service=birth, department=standesamt, location=location, day=day, outcome=outcome
        )
    for rating in (5, 4, 2, 5):
        ResponseFactory(service=birth, submitted_on=day, satisfaction=rating)
    ResponseFactory(service=registration, submitted_on=day, satisfaction=1)  # another department's
    client.force_login(_staff(standesamt))

    page = client.get(URL, {"zeitraum": "2020-03"}).content.decode()

    booked, kept, no_show, share, responses, average, satisfied = _cells(
        page, 'data-appointments-service="geburtsurkunde"'
    )
    assert (booked, kept, no_show, share) == ("12", "7", "3", "30 %")
    assert (responses, average, satisfied) == ("4", "4,00", "75,0 %")
    assert 'data-appointments-service="anmeldung"' not in page
    rows = list(
        csv.reader(
            io.StringIO(client.get(URL + "export.csv", {"zeitraum": "2020-03"}).content.decode("utf-8-sig")),
            delimiter=";",
        )
    )
    assert rows[1][17:] == ["12", "7", "3", "30", "4", "4,0", "75,0"]


def test_a_service_with_too_few_ratings_shows_no_average(client, birth, standesamt):
    day = datetime.date(2020, 3, 2)
    for rating in (1, 2):
        ResponseFactory(service=birth, submitted_on=day, satisfaction=rating)
    client.force_login(_staff(standesamt))

    cells = _cells(
        client.get(URL, {"zeitraum": "2020-03"}).content.decode(), 'data-appointments-service="geburtsurkunde"'
    )

    assert cells[4] == "2" and "1,50" not in cells[5] and cells[6] == "–"
