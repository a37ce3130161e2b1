"""The immigration office's contact form in Arabic (right to left) and Ukrainian, in the browser without
JavaScript: the service page, every step, an error, the check page and the confirmation are in the chosen
language, axe finds no violation, and the request ends with a reference number and the receipt PDF in that
language. Fields are found by their names, texts are compared with the form's and the catalogue's own
translations, so the test does not depend on one wording."""

import datetime
from pathlib import Path

import pytest
import yaml
from django.utils import translation
from playwright.sync_api import expect

from amtsweg.applications.formengine.base import tr
from amtsweg.applications.models import Submission
from amtsweg.applications.services import form_definitions_load
from tests.documents.pdftext import pdf_text

from .conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FORM = yaml.safe_load(
    (Path(__file__).resolve().parents[2] / "amtsweg/immigration/forms/zuwanderung-kontakt.yaml").read_text("utf-8")
)
STEPS = {step["key"]: step for step in FORM["steps"]}


def in_language(language: str, text: dict) -> str:
    with translation.override(language):
        return tr(text)


def message(language: str, msgid: str) -> str:
    with translation.override(language):
        return translation.gettext(msgid)


def fill_date(page, key: str, day: datetime.date) -> None:
    page.locator(f"[name='{key}-day']").fill(str(day.day))
    page.locator(f"[name='{key}-month']").fill(str(day.month))
    page.locator(f"[name='{key}-year']").fill(str(day.year))


def go_on(page) -> None:
    page.locator("button[name=action][value=continue]").click()


@pytest.mark.parametrize(("language", "direction"), [("ar", "rtl"), ("uk", "ltr")])
def test_an_extension_request_in_arabic_and_ukrainian(
    browser, live_server, kassel, settings, tmp_path, language, direction
):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    form_definitions_load()
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1024, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()

    page.goto(f"{live_server.url}/{language}/leistungen/zuwanderung-kontakt/")
    html = page.locator("html")
    expect(html).to_have_attribute("lang", language)
    expect(html).to_have_attribute("dir", direction)
    expect(page.locator("[data-language-missing]")).to_have_count(0)
    for other in ("de", "en", "tr", "ar", "uk", "ru"):
        if other != language:
            expect(page.locator(f"a.aw-lang[hreflang='{other}']")).to_have_count(1)
    assert_accessible(page)
    page.locator("a.aw-start__button").click()
    page.locator("form button[type=submit]").first.click()  # the form's start page

    expect(page.get_by_role("heading", level=1)).to_have_text(in_language(language, STEPS["topic"]["title"]))
    expect(html).to_have_attribute("dir", direction)
    assert_accessible(page)
    page.locator("[name=topic][value=extend_permit]").check()
    go_on(page)

    expect(page.get_by_role("heading", level=1)).to_have_text(in_language(language, STEPS["applicant"]["title"]))
    page.locator("[name='applicant_name-given_names']").fill("Amina")
    page.locator("[name='applicant_name-family_name']").fill("Haddad")
    fill_date(page, "birth_date", datetime.date(1990, 6, 15))
    page.locator("[name=nationality]").fill("syrisch")
    page.locator("[name='address-street']").fill("Wilhelmshöher Allee")
    page.locator("[name='address-number']").fill("19")
    page.locator("[name='address-postcode']").fill("34117")
    page.locator("[name='address-town']").fill("Kassel")
    go_on(page)

    page.locator("[name=permit_purpose]").first.check()
    go_on(page)

    # A date that does not exist: the error is in the page's language, and the page stays accessible.
    permit = STEPS["permit"]["fields"][0]["label"]  # a step of one question is headed by the question
    expect(page.get_by_role("heading", level=1)).to_have_text(in_language(language, permit))
    fill_date(page, "permit_expiry", datetime.date(datetime.date.today().year + 1, 3, 1))
    page.locator("[name='permit_expiry-day']").fill("31")
    page.locator("[name='permit_expiry-month']").fill("2")
    go_on(page)
    expect(page.get_by_role("alert")).to_contain_text(message(language, "The date must be a real date"))
    assert_accessible(page)
    expiry = datetime.date.today() + datetime.timedelta(days=21)
    fill_date(page, "permit_expiry", expiry)
    go_on(page)

    page.locator("[name=request_text]").fill("Extension, please.")
    go_on(page)
    page.locator("[name=contact_preference][value=email]").check()
    go_on(page)
    page.locator("[name=email]").fill("amina.haddad@example.org")
    go_on(page)
    page.locator("[name=interpreter][value=no]").check()
    go_on(page)

    expect(page.get_by_role("heading", level=1)).to_have_text(message(language, "Your documents"))
    assert_accessible(page)
    page.locator("main form button[type=submit]").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text(message(language, "Check your answers"))
    assert_accessible(page)
    page.locator("[name=declaration]").check()
    page.locator("main form button[type=submit]").last.click()

    expect(page.get_by_role("heading", level=1)).to_have_text(message(language, "Application sent"))
    submission = Submission.objects.get()
    assert submission.language == language
    expect(page.locator(".aw-reference").first).to_have_text(submission.reference)
    receipt = page.locator("[data-receipt]")
    expect(receipt).to_have_attribute("data-receipt", "timely")
    effect = message(language, "Your residence permit is deemed to continue until we have decided.")
    expect(receipt).to_contain_text(effect)
    assert_accessible(page)

    with page.expect_download() as download:
        page.locator("[data-receipt-link]").click()
    text = pdf_text(download.value.path().read_bytes())
    assert submission.reference in text
    if language == "uk":  # Cyrillic text reads back as written; Arabic comes back in shaped glyph order
        assert effect in " ".join(text.split())
    context.close()
