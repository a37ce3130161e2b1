"""The four i-Kfz forms walked as a citizen would, with the demo eID's persons and the demo vehicle registry
(its seed, ``vehicles/ikfz/contrib/demo/seed.py``, names every vehicle used here)."""

from __future__ import annotations

import datetime
import re

import pytest

from amtsweg.applications.access import status_access_grant
from amtsweg.catalogue.models import Department
from amtsweg.vehicles.codes import zb2_check_character
from tests.accounts.factories import StaffFactory
from tests.identity.helpers import ADULT, log_in

BASE = "/antrag/{slug}/"
EMAIL = {"email": "halter@example.org", "phone": ""}
BANK = {"iban": "DE89 3704 0044 0532 0130 00", "holder_is_keeper": "yes"}
MANDATE = {"sepa_consent": "yes"}
WARNING = {"codes_ready": "yes"}


def zb2(body: str) -> str:
    """A ZB II code of the demo registry: its eleven characters and their check character."""
    return body + zb2_check_character(body)


def in_a_year() -> dict[str, str]:
    day = datetime.date.today() + datetime.timedelta(days=365)
    return {
        "inspection_due-day": str(day.day),
        "inspection_due-month": str(day.month),
        "inspection_due-year": str(day.year),
    }


# The demo registry's vehicles (seed.py) and the answers that walk each path, step by step in the forms' order.
DEREGISTRATION = [  # Erika Mustermann's Golf V-0001
    ("keeper", {}),
    ("vehicle", {"plate": "KS-EM 812", "vin": "WVWZZZ1KZ9W812001"}),
    ("reserve", {"reserve_plate": "yes"}),
    ("scrapping", {"scrapped": "no"}),
    ("contact", EMAIL),
    ("codes_warning", WARNING),
    ("zb1", {"zb1_code": "K4mT7pX"}),
    ("seals", {"seal_front": "a7K", "seal_rear": "Rt3"}),
]
NEW_REGISTRATION = [  # the new Volkswagen ID.3 V-0005, registered by Erika with a wish plate
    ("keeper", {}),
    ("vehicle", {"vin": "WVWZZZE1ZRP050005", "zb2_number": "NZ2026005"}),
    ("inspection", {}),
    ("insurance", {"evb": "K7M3N2P"}),
    ("plate_choice", {"plate_choice": "wish"}),
    ("wish", {"wish_plate": "KS-EM 2026"}),
    ("bank", BANK),
    ("mandate", MANDATE),
    ("contact", EMAIL),
    ("codes_warning", WARNING),
    ("zb2", {"zb2_code": zb2("Fn6Tq2Xc8Hv")}),
]
KEEPER_CHANGE = [  # Erika takes over Max Mustermann's BMW V-0006 and keeps its plate
    ("keeper", {}),
    ("variant", {"variant": "keeper_change"}),
    ("vehicle", {"plate": "KS-MM 314", "vin": "WBA7K31070V314006", "zb2_number": "MM3140006"}),
    ("inspection", {}),
    ("insurance", {"evb": "R4S8T6U"}),
    ("keep", {"keep_plate": "yes"}),
    ("bank", BANK),
    ("mandate", MANDATE),
    ("contact", EMAIL),
    ("codes_warning", WARNING),
    ("zb1", {"zb1_code": "Mx3Rb8Q"}),
    ("zb2", {"zb2_code": zb2("Jc5Vw9Nk3Rd")}),
]
MOVE_IN = [  # Amira Haddad moved from Frankfurt with her Clio V-0007 and takes a new random HOG plate
    ("keeper", {}),
    ("variant", {"variant": "move_in"}),
    ("vehicle", {"plate": "F-AH 321", "vin": "VF1RJA00X68321007"}),
    ("inspection", {}),
    ("insurance", {"evb": "EVB2026"}),
    ("keep", {"keep_plate": "no"}),
    ("plate_choice", {"plate_choice": "random"}),
    ("area", {"area_code": "HOG"}),
    ("bank", BANK),
    ("mandate", MANDATE),
    ("contact", EMAIL),
    ("codes_warning", WARNING),
    ("zb1", {"zb1_code": "Ah3Zk7W"}),
    ("seals", {"seal_front": "Fr2", "seal_rear": "k9M"}),
]
ADDRESS_CHANGE = [  # Lena Schäfer moved from Kassel to Hofgeismar with her Fiat V-0008
    ("keeper", {}),
    ("variant", {"variant": "address_change"}),
    ("vehicle", {"plate": "KS-LS 690", "vin": "ZFA3120000J690008"}),
    ("contact", EMAIL),
    ("codes_warning", WARNING),
    ("zb1", {"zb1_code": "Ls6Px2T"}),
]
REREGISTRATION = [  # Erika's Corsa V-0002, off the road, with its reserved plate; the register has no HU for it
    ("keeper", {}),
    ("vehicle", {"vin": "W0LPD6EB9K8020002", "zb2_number": "EM2018002"}),
    ("inspection", in_a_year()),
    ("insurance", {"evb": "K7M3N2P"}),
    ("keep", {"keep_plate": "yes"}),
    ("old_plate", {"plate": "KS-EM 2020"}),
    ("bank", BANK),
    ("mandate", MANDATE),
    ("contact", EMAIL),
    ("codes_warning", WARNING),
    ("zb2", {"zb2_code": zb2("Xb4Rt8Mn2Kp")}),
]


@pytest.fixture
def ikfz(forms, demo_vehicle_registry_server, settings, tmp_path):
    """The catalogue, the shipped forms and the demo vehicle registry (a ``DemoServer``)."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.VAR_DIR = tmp_path / "var"  # the demo seal's key, for the proof an approval issues
    return demo_vehicle_registry_server


def demo_identity(key: str):
    """The demo eID's test person ``key`` as the portal sees them after the login (level "hoch")."""
    from amtsweg.identity.contrib.demo.views import person_identity
    from amtsweg.identity.demo_idp.idp import person

    found = person(key)
    assert found is not None, key
    return person_identity(found)


def step_url(slug: str, step: str) -> str:
    return f"{BASE.format(slug=slug)}schritt/{step}/"


def post(client, slug: str, step: str, data: dict):
    return client.post(step_url(slug, step), {**data, "action": "continue"})


def begin(client, slug: str, person: str = "kassel-adult") -> None:
    log_in(client, demo_identity(person))
    response = client.post(BASE.format(slug=slug))
    assert response.status_code == 302, response.content.decode()[:2000]


def walk(client, slug: str, steps, *, person: str = "kassel-adult", to_check: bool = True) -> None:
    """Log in as ``person`` and answer ``steps`` in order; each must lead to the next one and (``to_check``)
    the last to the check page, so the list is the form's walking order for these answers."""
    begin(client, slug, person)
    for number, (step, data) in enumerate(steps):
        response = post(client, slug, step, data)
        assert response.status_code == 302, (step, errors_on(response))
        if number + 1 < len(steps):
            assert response["Location"] == step_url(slug, steps[number + 1][0]), (step, response["Location"])
        elif to_check:
            assert response["Location"] == f"{BASE.format(slug=slug)}pruefen/", (step, response["Location"])


def errors_on(response) -> list[str]:
    """The inline error messages of a page."""
    page = response.content.decode()
    found = re.findall(
        r'class="kern-error" id="id_([a-z0-9_]+)-error">.*?<span class="kern-body">(.*?)</span></p>', page
    )
    return [f"{key}: {re.sub(r'<[^>]+>', '', text).replace('Fehler:', '').strip()}" for key, text in found]


# --- the decision's documents and the dispatch queue, without the registry (tests/vehicles/factories.py) ---------


@pytest.fixture
def kfz(kassel, settings, tmp_path):
    """The Kassel catalogue; files, the demo seal's key and staff's second factor as in the other families' tests."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.VAR_DIR = tmp_path / "var"
    settings.STAFF_2FA_REQUIRED = False
    return kassel


@pytest.fixture
def kfz_staff(kfz):
    return StaffFactory(departments=[Department.objects.get(slug="kfz")], first_name="Karl", last_name="Kfz")


def open_status(client, application):
    """The citizen logged in with the eID ("hoch") and allowed to see the application's status page."""
    log_in(client, ADULT)
    session = client.session
    status_access_grant(session=session, submission=application.case.submission)
    session.save()
    return f"/status/{application.case.submission.uuid}/"
