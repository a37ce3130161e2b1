import pytest
from django.urls import reverse

from amtsweg.catalogue.models import Service
from amtsweg.catalogue.selectors import fee_list_current
from tests.conftest import kassel_seed

SEEDED_SLUGS = [entry["slug"] for entry in kassel_seed()["services"]]


def en(path: str) -> str:
    return f"/en{path}"


@pytest.mark.parametrize("slug", SEEDED_SLUGS)
@pytest.mark.parametrize("language", ["de", "en"])
def test_every_seeded_service_page_renders_in_both_languages_with_fees_and_documents(client, kassel, slug, language):
    service = Service.objects.get(slug=slug)
    path = f"/leistungen/{slug}/" if language == "de" else en(f"/leistungen/{slug}/")
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}"' in html
    assert getattr(service, f"name_{language}") in html
    for line in getattr(service, f"requirements_{language}").splitlines():
        if line.strip():
            assert line.strip(" -•\t").replace("&", "&amp;").replace("'", "&#x27;").replace('"', "&quot;") in html
    heading = "Gebühren" if language == "de" else "Fees"
    assert f">{heading}</h2>" in html
    fees = fee_list_current(service=service)
    if fees:
        for fee in fees:
            assert getattr(fee, f"label_{language}") in html
    else:
        assert ("kostenlos" if language == "de" else "free of charge") in html


def test_service_page_shows_what_who_time_trust_law_and_department_contact(client, kassel):
    response = client.get("/leistungen/kfz-neuzulassung/")
    html = response.content.decode()
    for heading in ["Was ist das?", "Wer kann das nutzen?", "Was Sie brauchen", "Bearbeitungszeit und Ergebnis"]:
        assert heading in html
    assert "Online-Ausweis" in html  # trust level high is explained
    assert "Rechtsgrundlage" in html
    assert "Zuständige Stelle" in html
    assert "2015" in html  # online only for vehicles registered after 1 Jan 2015


def test_service_without_online_form_shows_counter_alternative_and_booking(client, kassel):
    html = client.get("/leistungen/meldebescheinigung/").content.decode()
    assert "Noch nicht online verfügbar" in html
    assert "115" in html
    assert "Jetzt starten" not in html


def test_service_with_external_form_shows_start_button(client, kassel):
    Service.objects.filter(slug="meldebescheinigung").update(external_url="https://formulare.example.org/melde")
    html = client.get("/leistungen/meldebescheinigung/").content.decode()
    assert 'href="https://formulare.example.org/melde"' in html
    assert "Jetzt starten" in html


@pytest.mark.parametrize(
    "path", ["/leistungen/gibt-es-nicht/", "/en/leistungen/gibt-es-nicht/", "/nirgendwo", "/en/x/y"]
)
def test_unknown_addresses_give_404_in_the_portal_style(client, kassel, path):
    response = client.get(path)
    assert response.status_code == 404
    html = response.content.decode()
    assert 'class="aw-skip-link"' in html
    assert "Impressum" in html or "Legal notice" in html
    expected = "Page not found" if path.startswith("/en/") else "Seite nicht gefunden"
    assert expected in html


def test_unpublished_service_is_not_found(client, kassel):
    Service.objects.filter(slug="sterbeurkunde").update(published=False)
    assert client.get("/leistungen/sterbeurkunde/").status_code == 404
    assert "/leistungen/sterbeurkunde/" not in client.get("/leistungen/").content.decode()


def test_start_page_groups_services_by_department_with_search_popular_hotline_and_locations(client, kassel):
    html = client.get("/").content.decode()
    for department in ["Standesamt", "Bürgerbüro", "Zuwanderung und Integration", "Kfz-Zulassung"]:
        assert department in html
    assert 'action="/suche/"' in html
    assert "Meistgenutzte Dienste" in html
    assert "<strong>115</strong>" in html
    assert 'href="/standorte/"' in html


def test_english_start_page_is_english(client, kassel):
    html = client.get("/en/").content.decode()
    assert '<html lang="en"' in html
    assert "Registry office" in html
    assert "Most used services" in html
    assert 'href="/" hreflang="de"' in html  # the switch back to German


@pytest.mark.parametrize(
    "path", ["/", "/leistungen/", "/leistungen/geburtsurkunde/", "/standorte/", "/suche/?q=urkunde"]
)
def test_every_page_has_a_language_switch_a_skip_link_and_the_legal_footer(client, kassel, path):
    html = client.get(path).content.decode()
    assert f'href="/en{path}" hreflang="en"' in html
    assert 'href="#main"' in html and 'id="main"' in html
    for link in ["/impressum/", "/datenschutz/", "/barrierefreiheit/"]:
        assert f'href="{link}"' in html


@pytest.mark.parametrize("page", ["impressum", "datenschutz", "barrierefreiheit"])
def test_legal_pages_exist_in_both_languages(client, kassel, page):
    de = client.get(f"/{page}/")
    english = client.get(f"/en/{page}/")
    assert de.status_code == english.status_code == 200
    assert de.content != english.content
    assert '<html lang="en"' in english.content.decode()


def test_accessibility_statement_names_bitv_and_a_feedback_contact(client, kassel, settings):
    html = client.get("/barrierefreiheit/").content.decode()
    assert "BITV 2.0" in html
    assert f"mailto:{settings.PORTAL['accessibility_email']}" in html


def test_locations_page_lists_every_location_with_hours_transport_and_services(client, kassel):
    html = client.get("/standorte/").content.decode()
    for name in ["Bürgerbüro", "Standesamt", "Baunatal", "Hofgeismar", "Wolfhagen", "Zuwanderung"]:
        assert name in html
    assert "Öffentliche Verkehrsmittel" in html
    assert "Angebotene Dienste" in html
    assert "Öffnungszeiten" in html


def test_catalogue_lists_all_published_services(client, kassel):
    html = client.get(reverse("catalogue:service_list")).content.decode()
    for service in Service.objects.filter(published=True):
        assert f'href="/leistungen/{service.slug}/"' in html


def test_an_unconfirmed_fact_is_said_once_per_page_quietly(client, kassel):
    from amtsweg.catalogue.models import Fee, Location

    service = Service.objects.get(slug="geburtsurkunde")
    Fee.objects.filter(service=service).update(needs_review=True)
    Location.objects.update(needs_review=True)
    note = "Einige Angaben auf dieser Seite prüft die Fachabteilung noch."
    page = client.get("/leistungen/geburtsurkunde/").content.decode()
    assert page.count(note) == 1
    assert "Dieser Betrag wird derzeit von der Fachabteilung geprüft" not in page
    locations = client.get("/standorte/").content.decode()
    assert locations.count(note) == 1
    Fee.objects.filter(service=service).update(needs_review=False)
    Service.objects.filter(pk=service.pk).update(needs_review=False)
    from amtsweg.core.memo import clear_all

    clear_all()
    from django.core.cache import cache

    cache.clear()
    assert note not in client.get("/leistungen/geburtsurkunde/").content.decode()
