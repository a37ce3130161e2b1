"""Appointment booking is found from the public pages, and a service page never contradicts itself."""

import pytest
from django.urls import reverse

from amtsweg.appointments.seed import appointments_load_seed
from amtsweg.catalogue.models import Service
from amtsweg.catalogue.selectors import service_start_url


@pytest.fixture
def bookable(kassel):
    appointments_load_seed()


def test_a_service_that_is_not_online_here_says_so_in_its_badge(client, kassel):
    service = Service.objects.get(slug="kfz-neuzulassung")
    assert service.online_mode == "online" and not service_start_url(service=service)
    html = client.get("/leistungen/kfz-neuzulassung/").content.decode()
    assert "Noch nicht online" in html
    assert "Vollständig online" not in html


def test_a_service_that_starts_online_keeps_its_badge(client, kassel, forms):
    html = client.get("/leistungen/geburtsurkunde/").content.decode()
    assert "Vollständig online" in html


def test_a_service_page_offers_booking_at_its_one_place(client, bookable):
    html = client.get("/leistungen/melderegisterauskunft/").content.decode()
    times = reverse(
        "appointments:times", kwargs={"location": "buergerbuero-rathaus", "service": "melderegisterauskunft"}
    )
    assert f'href="{times}"' in html
    assert "Termin buchen" in html


def test_a_service_at_several_places_books_at_the_earliest(client, bookable):
    html = client.get("/leistungen/kfz-neuzulassung/").content.decode()
    assert f'href="{reverse("appointments:earliest", kwargs={"service": "kfz-neuzulassung"})}"' in html


def test_a_service_without_a_bookable_place_offers_only_the_phone(client, kassel):
    html = client.get("/leistungen/melderegisterauskunft/").content.decode()
    assert "/termin/" not in html.split("<main", 1)[1]


@pytest.mark.parametrize("path", ["/", "/standorte/"])
def test_the_start_and_locations_pages_link_to_booking(client, kassel, path):
    html = client.get(path).content.decode()
    assert f'href="{reverse("appointments:overview")}"' in html


@pytest.mark.parametrize("query", ["Termin", "termine buchen", "Terminvereinbarung", "appointment"])
def test_search_finds_booking(client, kassel, query):
    html = client.get("/suche/", {"q": query}).content.decode()
    assert f'href="{reverse("appointments:overview")}"' in html
