"""A clerk of the Bürgerbüro records counter transactions in a real browser without JavaScript: a day left out
is refused GOV.UK-style, then recorded; a CSV file with a wrong line imports nothing, the corrected one is
imported once confirmed (its day already has an entry); a wrong batch is removed after confirmation."""

import re

import pytest
from django.contrib.auth.models import Permission
from playwright.sync_api import expect

from amtsweg.core import dates
from amtsweg.statistics.constants import Channel
from amtsweg.statistics.models import CaseRecord
from tests.accounts.factories import StaffFactory
from tests.catalogue.factories import DepartmentFactory, ServiceFactory

from .conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct-horse-battery"


def test_a_clerk_records_imports_and_removes_counter_transactions(browser, live_server, settings, tmp_path):
    settings.STAFF_2FA_REQUIRED = False
    department = DepartmentFactory(slug="buergerbuero", name_de="Bürgerbüro")
    ServiceFactory(department=department, slug="meldebescheinigung", name_de="Meldebescheinigung")
    clerk = StaffFactory(username="anna", departments=[department])
    clerk.user_permissions.add(Permission.objects.get(content_type__app_label="statistics", codename="record_counter"))
    yesterday = dates.add_days(dates.today(), -1)

    context = browser.new_context(java_script_enabled=False, locale="de-DE", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto(f"{live_server.url}/intern/")
    page.get_by_label("Benutzername").fill("anna")
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.get_by_role("link", name="Schaltervorgänge").click()
    expect(page.get_by_role("heading", name="Schaltervorgänge erfassen")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Dienstleistung").select_option(label="Meldebescheinigung (Bürgerbüro)")
    page.get_by_label("Anzahl der Vorgänge").fill("14")
    page.get_by_label("Tag").fill(str(yesterday.day))
    page.get_by_label("Jahr").fill(str(yesterday.year))
    page.get_by_role("button", name="Vorgänge erfassen").click()
    expect(page).to_have_title(re.compile("^Fehler:"))
    page.get_by_role("link", name="Das Datum muss einen Monat enthalten").click()
    expect(page.get_by_label("Monat")).to_be_focused()
    expect(page.get_by_label("Anzahl der Vorgänge")).to_have_value("14")
    assert_accessible(page)

    page.get_by_label("Monat").fill(str(yesterday.month))
    page.get_by_role("button", name="Vorgänge erfassen").click()
    expect(
        page.get_by_text(f"14 Vorgänge für Meldebescheinigung am {dates.format_day(yesterday)} erfasst.")
    ).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Schaltervorgänge aus einer CSV-Datei importieren").click()
    wrong = (
        f"Dienstleistung;Datum;Anzahl\nmeldebescheinigung;{yesterday:%d.%m.%Y};3\nreisepass;{yesterday:%d.%m.%Y};2\n"
    )
    path = tmp_path / "zahlen.csv"
    path.write_text(wrong, encoding="utf-8")
    page.get_by_label("CSV-Datei").set_input_files(path)
    page.get_by_role("button", name="Datei importieren").click()
    expect(page.get_by_role("link", name="Zeile 3: Unbekannte Dienstleistung „reisepass“")).to_be_visible()
    assert_accessible(page)
    assert CaseRecord.objects.filter(channel=Channel.COUNTER).count() == 1

    path.write_text(wrong.replace("reisepass", "meldebescheinigung"), encoding="utf-8")
    page.get_by_label("CSV-Datei").set_input_files(path)
    page.get_by_role("button", name="Datei importieren").click()
    # The day already has the batch entered by hand: the file is only imported when the clerk confirms.
    page.get_by_role("link", name=re.compile("bereits Schaltervorgänge erfasst")).click()
    expect(page.get_by_label("Trotzdem importieren")).to_be_focused()
    assert_accessible(page)
    page.get_by_label("Trotzdem importieren").check()
    page.get_by_label("CSV-Datei").set_input_files(path)
    page.get_by_role("button", name="Datei importieren").click()
    expect(page.get_by_text("2 Zeilen importiert: 5 Vorgänge.")).to_be_visible()

    page.get_by_role("button", name=re.compile("^Entfernen 5 ")).click()
    expect(page.get_by_role("heading", name="Eintrag entfernen?")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Ja, Eintrag entfernen").click()
    expect(page.get_by_text("Der Eintrag mit 5 Vorgängen für Meldebescheinigung")).to_be_visible()
    assert list(CaseRecord.objects.values_list("count", flat=True)) == [14]
    context.close()
