"""A department lead reads where citizens give up on the office's contact form: the list of forms, the
funnel with its chart and table, and a period filter with a bad date; every page without axe violations."""

import pytest
from django.contrib.auth.models import Permission
from playwright.sync_api import expect

from amtsweg.catalogue.models import Service
from amtsweg.statistics.constants import FunnelKind
from amtsweg.statistics.services import funnel_count
from tests.immigration.triage_factories import immigration_staff

from .conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"


def _count(service, kind, times, step="", field="", position=0):
    for _ in range(times):
        funnel_count(service_id=service.pk, form_version=1, kind=kind, step=step, field=field, position=position)


def test_a_department_lead_reads_the_funnel_of_a_form(browser, live_server, forms, settings):
    settings.STAFF_2FA_REQUIRED = False
    service = Service.objects.get(slug="zuwanderung-kontakt")
    _count(service, FunnelKind.STARTED, 10)
    _count(service, FunnelKind.STEP, 10, step="topic")
    _count(service, FunnelKind.STEP, 8, step="applicant", position=1)
    _count(service, FunnelKind.ERROR, 3, step="applicant", field="nationality", position=1)
    _count(service, FunnelKind.CHECK, 5, position=12)
    _count(service, FunnelKind.SUBMITTED, 4, position=13)
    lead = immigration_staff(username="lea")
    lead.user_permissions.add(Permission.objects.get(codename="view_figures", content_type__app_label="statistics"))
    context = browser.new_context(java_script_enabled=False, locale="de-DE", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto(f"{live_server.url}/intern/anmelden/?next=/intern/statistik/formulare/")
    page.get_by_label("Benutzername").fill("lea")
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Wo Bürgerinnen und Bürger aufgeben")
    assert_accessible(page)
    page.get_by_role("link", name="Anfrage an die Ausländerbehörde").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Anfrage an die Ausländerbehörde")
    expect(page.get_by_role("img", name="Wie viele Menschen jede Stelle des Formulars erreicht haben")).to_be_visible()
    funnel = page.locator("[data-figures=funnel] tbody tr")
    expect(funnel.nth(0)).to_contain_text("Begonnen")
    expect(funnel.nth(2)).to_contain_text("Ihre Angaben")
    expect(funnel.nth(2)).to_contain_text("80 %")
    expect(funnel.last).to_contain_text("40 %")
    expect(page.locator("[data-figures=funnel-errors]")).to_contain_text("Ihre Staatsangehörigkeit")
    assert_accessible(page)

    page.goto(page.url.split("?")[0] + "?von=2026-13-01")  # as typed into a browser without date inputs
    expect(page.get_by_role("alert")).to_contain_text("Es gibt ein Problem")
    expect(page.get_by_label("Erster Tag")).to_have_attribute("value", "2026-13-01")  # kept in the page
    assert_accessible(page)
    context.close()
