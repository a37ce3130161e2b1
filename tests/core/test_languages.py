"""The further languages (Turkish, Arabic, Ukrainian, Russian): a service that offers them has its page in them,
with the switch offering all six and Arabic right to left; every other page says in the asked-for language
that it is shown in English; a service, seed or form without a text in one of its languages is refused; the
catalogue check fails on a missing Turkish string of these pages."""

import re
import shutil

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import translation

from amtsweg.applications.formengine.base import tr
from amtsweg.applications.formengine.definition import language_problems
from amtsweg.catalogue.services import seed_language_problems
from amtsweg.core.i18n import language_within, page_languages
from amtsweg.notifications.emails import email_language
from tests.catalogue.factories import ServiceFactory

FURTHER = ["tr", "ar", "uk", "ru"]


def _texts(**base: str) -> dict[str, str]:
    """A value for each language's column of a translated field."""
    return {f"{name}_{code}": f"{text} ({code})" for name, text in base.items() for code in ["de", "en", *FURTHER]}


@pytest.fixture
def offered(db):
    return ServiceFactory(
        slug="mehrsprachig",
        further_languages=FURTHER,
        **_texts(
            name="Kontakt",
            summary="Kurz",
            description="Beschreibung",
            eligibility="Alle",
            requirements="Pass",
            appointment_bring="Pass",
            processing_time="Bald",
            result_delivery="Anruf",
        ),
    )


def test_a_service_page_in_a_further_language_offers_all_six(client, offered):
    page = client.get("/tr/leistungen/mehrsprachig/").content.decode()

    assert '<html lang="tr" dir="ltr"' in page
    assert "Kontakt (tr)" in page and "Beschreibung (tr)" in page
    others = [("de", "Deutsch"), ("en", "English"), ("ar", "العربية"), ("uk", "Українська"), ("ru", "Русский")]
    for code, name in others:
        assert f'hreflang="{code}" lang="{code}"' in page and name in page
    assert "data-language-missing" not in page


def test_arabic_is_laid_out_right_to_left(client, offered):
    page = client.get("/ar/leistungen/mehrsprachig/").content.decode()

    assert '<html lang="ar" dir="rtl"' in page
    assert "Kontakt (ar)" in page


def test_a_page_without_the_language_says_so_and_is_shown_in_english(client, db):
    service = ServiceFactory(slug="nur-zwei")

    page = client.get(f"/uk/leistungen/{service.slug}/").content.decode()

    assert '<html lang="en" dir="ltr"' in page
    assert 'data-language-missing="uk"' in page and 'lang="uk"' in page
    assert service.name_en in page
    assert 'hreflang="de"' in page and 'hreflang="ru"' not in page  # only the languages the page has
    assert client.get(f"/leistungen/{service.slug}/").content.decode().count("data-language-missing") == 0


def test_the_german_and_english_pages_offer_only_the_other_one(client, db):
    service = ServiceFactory(slug="zweisprachig")

    page = client.get(f"/leistungen/{service.slug}/").content.decode()

    assert 'hreflang="en"' in page and 'hreflang="tr"' not in page and "Türkçe" not in page


def test_a_service_without_a_text_in_one_of_its_languages_is_refused(db):
    service = ServiceFactory.build(further_languages=["tr"], slug="ohne-tuerkisch")
    with pytest.raises(ValidationError) as refused:
        service.full_clean()
    assert "name_tr" in refused.value.message_dict

    unknown = ServiceFactory.build(further_languages=["fr"], slug="franzoesisch")
    with pytest.raises(ValidationError) as refused:
        unknown.full_clean()
    assert "further_languages" in refused.value.message_dict


def test_the_seed_names_every_text_missing_in_a_further_language():
    data = {
        "departments": [{"slug": "amt", "name": {"de": "Amt", "en": "Office", "tr": "Daire"}}],
        "locations": [{"slug": "ort", "name": {"de": "Ort", "en": "Place"}}],
        "services": [
            {
                "slug": "dienst",
                "department": "amt",
                "locations": ["ort"],
                "further_languages": ["tr"],
                "name": {"de": "Dienst", "en": "Service", "tr": "Hizmet"},
                "summary": {"de": "Kurz", "en": "Short"},
                "fees": [{"code": "fee", "label": {"de": "Gebühr", "en": "Fee"}}],
            }
        ],
    }

    assert seed_language_problems(data) == [
        "service dienst: summary has no text in tr",
        "service dienst, fee fee: label has no text in tr",
        "location ort: name has no text in tr",
    ]


def test_a_form_of_such_a_service_needs_every_text_in_its_languages():
    data = {
        "title": {"de": "Titel", "en": "Title", "tr": "Başlık"},
        "steps": [{"key": "one", "title": {"de": "Eins", "en": "One"}, "fields": []}],
    }

    assert language_problems(data, ["tr"]) == ["steps[one].title has no text in tr"]
    assert language_problems(data, []) == []


def test_a_text_missing_in_a_further_language_falls_back_to_english():
    with translation.override("uk"):
        assert tr({"de": "Antrag", "en": "Application"}) == "Application"
        assert tr({"de": "Antrag", "en": "Application", "uk": "Заява"}) == "Заява"
    with translation.override("en"):
        assert tr({"de": "Antrag"}) == "Antrag"


def test_the_language_a_citizen_is_answered_in():
    assert language_within("tr", page_languages(["tr"])) == "tr"
    assert language_within("tr", page_languages()) == "en"
    assert language_within("fr", page_languages()) == "de"
    assert language_within("en", page_languages()) == "en"


def test_an_email_without_templates_in_the_language_is_sent_in_english():
    assert email_language(name="payment_received", language="ar") == "en"
    assert email_language(name="payment_received", language="de") == "de"


def test_the_catalogue_check_fails_on_a_missing_turkish_string(settings, tmp_path):
    locale = tmp_path / "locale"
    shutil.copytree(settings.LOCALE_PATHS[0], locale)
    catalogue = locale / "tr" / "LC_MESSAGES" / "django.po"
    text, found = re.subn(
        r'(msgid "Skip to main content"\nmsgstr )"[^"]+"', r'\1""', catalogue.read_text(encoding="utf-8")
    )
    assert found == 1  # translated in the committed catalogue
    catalogue.write_text(text, encoding="utf-8")
    settings.LOCALE_PATHS = [str(locale)]

    with pytest.raises(CommandError, match="1 untranslated Turkish entries"):
        call_command("check_messages")


def test_the_catalogue_check_fails_on_a_long_german_string_left_untranslated(settings, tmp_path):
    """A long or multi-line msgid is written as msgid "" with its lines below; the check counts it too."""
    locale = tmp_path / "locale"
    shutil.copytree(settings.LOCALE_PATHS[0], locale)
    catalogue = locale / "de" / "LC_MESSAGES" / "django.po"
    text = catalogue.read_text(encoding="utf-8")
    entry = re.search(r'\nmsgid ""\n("[^\n]*"\n)+msgstr ""\n("[^\n]*"\n)+', text)
    assert entry is not None  # a long entry, written over several lines
    msgid_part = entry.group(0).split("msgstr")[0]
    text = text.replace(entry.group(0), msgid_part + 'msgstr ""\n', 1)
    catalogue.write_text(text, encoding="utf-8")
    settings.LOCALE_PATHS = [str(locale)]

    with pytest.raises(CommandError, match="1 untranslated German entries"):
        call_command("check_messages")
