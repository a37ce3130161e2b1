"""The usage dashboard in a real browser without JavaScript, checked with axe: a department lead sees only the
Standesamt, filters, reads the chart's table and downloads the CSV; leadership sees every department, narrows to
one and downloads the workbook; a wrong range is answered GOV.UK-style."""

import datetime
import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from amtsweg.accounts.constants import DEPARTMENT_LEADS, LEADERSHIP
from amtsweg.accounts.services import roles_ensure
from amtsweg.catalogue.models import Department, Service
from amtsweg.statistics.models import CaseRecord
from tests.accounts.factories import StaffFactory

from .conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct-horse-battery"


def _records() -> None:
    birth = Service.objects.get(slug="geburtsurkunde")
    registration = Service.objects.get(slug="meldebescheinigung")
    for service, channel, count, day in [
        (birth, "online", 1, datetime.date(2020, 1, 14)),
        (birth, "online", 1, datetime.date(2020, 2, 3)),
        (birth, "counter", 6, datetime.date(2020, 2, 3)),
        (registration, "online", 1, datetime.date(2020, 3, 2)),
        (registration, "counter", 3, datetime.date(2020, 3, 2)),
    ]:
        CaseRecord.objects.create(
            service=service,
            department_id=service.department_id,
            channel=channel,
            count=count,
            submitted_on=day,
            closed_on=day + datetime.timedelta(days=2),
            final_status="completed",
            working_days=2 if channel == "online" else None,
            within_target=True if channel == "online" else None,
        )


def _sign_in(browser, live_server, username):
    context = browser.new_context(java_script_enabled=False, locale="de-DE", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto(f"{live_server.url}/intern/")
    page.get_by_label("Benutzername").fill(username)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.get_by_role("link", name="Nutzungszahlen").click()
    expect(page.get_by_role("heading", name="Nutzungszahlen", level=1)).to_be_visible()
    return page


def test_a_department_lead_sees_their_department_and_downloads_the_table(browser, live_server, kassel, settings):
    settings.STAFF_2FA_REQUIRED = False
    groups = roles_ensure()
    lead = StaffFactory(username="lead", departments=[Department.objects.get(slug="standesamt")])
    lead.groups.add(groups[DEPARTMENT_LEADS])
    _records()
    page = _sign_in(browser, live_server, "lead")

    page.get_by_label("Zeitraum", exact=True).select_option(label="1. Quartal 2020")
    page.get_by_role("button", name="Anzeigen").click()
    expect(page.get_by_role("heading", name="1. Quartal 2020")).to_be_visible()
    expect(page.locator("#figure-received")).to_have_text("8")
    expect(page.locator("#figure-online")).to_have_text("2 (25,0 %)")
    expect(page.get_by_role("rowheader", name="Meldebescheinigung")).to_have_count(0)  # the Bürgerbüro's
    expect(page.get_by_role("img", name=re.compile("Eingegangene Vorgänge online"))).to_be_visible()
    page.get_by_text("Zahlen der Grafik als Tabelle zeigen").click()
    series = page.locator('table[data-figures="series"]')
    expect(series.get_by_role("row", name=re.compile("Feb 2020"))).to_contain_text("6")
    assert_accessible(page)

    with page.expect_download() as info:
        page.get_by_role("link", name="Tabelle als CSV herunterladen").click()
    text = Path(info.value.path()).read_text(encoding="utf-8-sig")
    assert "Geburtsurkunde" in text and "Meldebescheinigung" not in text

    page.get_by_label("Zeitraum", exact=True).select_option(label="Beliebiger Zeitraum (erster und letzter Tag unten)")
    page.get_by_label("Erster Tag").fill("2020-03-31")
    page.get_by_label("Letzter Tag").fill("2020-03-01")
    page.get_by_role("button", name="Anzeigen").click()
    expect(page).to_have_title(re.compile("^Fehler:"))
    page.get_by_role("link", name="Der letzte Tag darf nicht vor dem ersten Tag liegen.").click()
    expect(page.get_by_label("Letzter Tag")).to_have_value("2020-03-01")
    assert_accessible(page)

    page.get_by_label("Erster Tag").fill("2020-02-01")
    page.get_by_role("button", name="Anzeigen").click()
    expect(page.get_by_role("heading", name="01.02.2020 – 01.03.2020")).to_be_visible()
    expect(page.locator("#figure-received")).to_have_text("7")
    # A period from the list wins over the days left in their fields.
    page.get_by_label("Zeitraum", exact=True).select_option(label="1. Quartal 2020")
    page.get_by_role("button", name="Anzeigen").click()
    expect(page.locator("#figure-received")).to_have_text("8")
    expect(page.get_by_label("Erster Tag")).to_have_value("")


def test_leadership_sees_every_department_and_narrows_to_one(browser, live_server, kassel, settings):
    settings.STAFF_2FA_REQUIRED = False
    groups = roles_ensure()
    chief = StaffFactory(username="chief", departments=list(Department.objects.all()))
    chief.groups.add(groups[LEADERSHIP])
    _records()
    page = _sign_in(browser, live_server, "chief")

    page.get_by_label("Zeitraum", exact=True).select_option("2020")
    page.get_by_role("button", name="Anzeigen").click()
    table = page.locator('table[data-figures="services"]')
    expect(table.get_by_role("rowheader", name="Geburtsurkunde")).to_be_visible()
    expect(table.get_by_role("rowheader", name="Meldebescheinigung")).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("Anteil der online eingegangenen Vorgänge"))).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Abteilung", exact=True).select_option(label="Bürgerbüro")
    page.get_by_role("button", name="Anzeigen").click()
    expect(table.get_by_role("rowheader", name="Geburtsurkunde")).to_have_count(0)
    expect(page.locator("#figure-received")).to_have_text("4")
    assert_accessible(page)
    with page.expect_download() as info:
        page.get_by_role("link", name="Tabelle als Excel (XLSX) herunterladen").click()
    # openpyxl reads a file by its name's extension, which a download's path lacks.
    sheet = load_workbook(io.BytesIO(Path(info.value.path()).read_bytes())).active
    assert [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["Meldebescheinigung"]
