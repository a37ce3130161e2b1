"""The Meldebescheinigung on paper in the back office: the case page of a paid order prints the certificate from
the register, one PDF with each copy, unsealed for a signature and a stamp, addressed to the main address of the
person who ordered it; every print is audited, a closed case is not printed, a register that cannot be reached
is said so on the case page."""

import re

import pytest
from django.contrib.messages import get_messages

from amtsweg.cases.constants import AuditAction, CaseStatus, EventKind
from amtsweg.cases.models import AuditEntry, Case
from amtsweg.cases.services import case_transition
from amtsweg.catalogue.models import Department
from amtsweg.payments.models import Payment
from amtsweg.residents.models import RegisterRead, RegisterSubject
from tests.accounts.factories import StaffFactory
from tests.identity.helpers import log_in

from .test_meldebescheinigung import BASE, choose, eid, pdf_text, start

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def files_in_tmp(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.VAR_DIR = tmp_path / "var"
    settings.STAFF_2FA_REQUIRED = False


def order(client, person_id="P-0003", *, kind="simple", copies=2):
    """Erika orders a paper certificate for ``person_id`` and pays: the Bürgerbüro's case."""
    start(client)
    choose(client, person_id, kind=kind, fmt="paper")
    client.post(f"{BASE}schritt/copies/", {"copies": str(copies), "action": "continue"})
    client.post(f"{BASE}schritt/contact/", {"email": "erika@example.org", "action": "continue"})
    assert client.post(f"{BASE}pruefen/", {"declaration": "yes"}).status_code == 302
    payment = Payment.objects.get()
    demo_url = client.post(f"/zahlung/{payment.uuid}/", {"method": "card"})["Location"]
    client.get(client.post(demo_url, {"outcome": "paid"})["Location"])
    client.logout()
    return Case.objects.get(service__slug="meldebescheinigung")


@pytest.fixture
def erika(client, forms, demo_register):
    return log_in(client, eid("kassel-adult"))


@pytest.fixture
def clerk(db):
    return StaffFactory(username="anna", departments=[Department.objects.get(slug="buergerbuero")])


@pytest.fixture
def case(client, erika):
    return order(client)


def case_url(case):
    return f"/intern/faelle/{case.uuid}/"


def print_url(case):
    return f"{case_url(case)}meldebescheinigung-drucken/"


def press_print(client, case):
    """The print button on the case page, as a browser sends it (from the case page)."""
    return client.post(print_url(case), HTTP_REFERER=f"http://testserver{case_url(case)}")


def test_the_order_records_who_ordered_it_for_the_post(case):
    assert RegisterSubject.objects.get(submission=case.submission).person_id == "P-0001"


def test_the_case_page_of_a_paper_order_offers_the_print(client, case, clerk):
    client.force_login(clerk)
    html = client.get(case_url(case)).content.decode()
    assert "Meldebescheinigung auf Papier" in html
    assert f'action="{print_url(case)}"' in html and "Meldebescheinigung drucken (PDF)" in html
    assert re.search(r"data-paper-copies>\s*2\s*<", html)
    # Showing the page reads nothing from the register: only the print does.
    assert not RegisterRead.objects.filter(case_reference=case.reference).exists()


def test_the_print_is_one_pdf_with_each_copy_signed_by_hand_and_addressed_to_the_orderer(client, case, clerk):
    client.force_login(clerk)
    response = press_print(client, case)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    [number] = re.findall(r"meldebescheinigung-(MB-\d{4}-\d{6}-\d)\.pdf", response["Content-Disposition"])
    text = pdf_text(response.content)
    pages = [page for page in text.split("\f") if page.strip()]
    copies = [page for page in pages if "§ 18 Absatz 1 Bundesmeldegesetz" in page]
    assert len(copies) == 2 and "Exemplar 1 von 2" in text and "Exemplar 2 von 2" in text
    for copy in copies:
        assert "Mia Sophie" in copy and "Friedrich-Ebert-Straße 12, 34117 Kassel" in copy
        assert "Im Auftrag" in copy and "Unterschrift und Dienstsiegel" in copy and number in copy
    # No seal, no check address: it is signed and stamped by hand.
    assert "Prüfen Sie" not in text and "/pruefen/" not in text and "Siegel der Stadt" not in text
    # Posted to Erika, who ordered it for her daughter: her name and main address, on the first copy only.
    sender = "Stadt Kassel · Bürgerbüro · Obere Königsstraße 8 · 34117 Kassel"
    window = [line.strip() for line in copies[0].split(sender, 1)[1].splitlines() if line.strip()][:3]
    assert window == ["Erika Mustermann", "Friedrich-Ebert-Straße 12", "34117 Kassel"]
    assert sender not in copies[1] and "Erika Mustermann" not in copies[1]


def test_every_print_is_audited_in_the_register_reads_and_the_case_log(client, case, clerk):
    client.force_login(clerk)
    response = press_print(client, case)
    number = re.search(r"MB-\d{4}-\d{6}-\d", response["Content-Disposition"]).group()
    reads = {read.person_id: read for read in RegisterRead.objects.filter(case_reference=case.reference)}
    assert set(reads) == {"P-0003", "P-0001"}
    assert all(read.actor == clerk and read.actor_label == "anna" for read in reads.values())
    assert reads["P-0003"].purpose == f"Meldebescheinigung {number} (einfach, Papier)"
    assert reads["P-0001"].purpose == f"Meldebescheinigung {number}: Versandanschrift"
    assert reads["P-0001"].items == "0401,0301,0101,1201"  # name and main address only
    entry = AuditEntry.objects.get(case_uuid=case.uuid, action=AuditAction.PRINT_DOCUMENT)
    assert entry.actor == clerk and number in entry.detail
    note = case.events.get(kind=EventKind.NOTE)
    assert number in note.text and "2 Exemplare" in note.text and note.actor == clerk
    # A second print is a new document with its own number, audited again.
    press_print(client, case)
    assert AuditEntry.objects.filter(case_uuid=case.uuid, action=AuditAction.PRINT_DOCUMENT).count() == 2


def test_the_extended_certificate_of_herself_goes_to_her_own_address(client, erika, clerk):
    case = order(client, "P-0001", kind="extended", copies=1)
    client.force_login(clerk)
    text = pdf_text(press_print(client, case).content)
    assert "Erweiterte Meldebescheinigung" in text and "§ 18 Absatz 2" in text and "weiblich" in text
    assert "Exemplar" not in text and "Im Auftrag" in text
    # One read: the certificate's items hold the address already.
    assert list(RegisterRead.objects.filter(case_reference=case.reference).values_list("person_id", flat=True)) == [
        "P-0001"
    ]


def test_a_closed_case_is_not_printed(client, case, clerk):
    case_transition(case=case, to_status=CaseStatus.IN_PROGRESS, actor=clerk)
    case_transition(case=case, to_status=CaseStatus.COMPLETED, actor=clerk)
    client.force_login(clerk)
    html = client.get(case_url(case)).content.decode()
    assert "data-paper-closed" in html and print_url(case) not in html
    response = press_print(client, case)
    assert response.status_code == 303 and response["Location"] == f"http://testserver{case_url(case)}"
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Dieser Fall ist abgeschlossen, seine Meldebescheinigung wird nicht mehr gedruckt."
    ]
    assert not RegisterRead.objects.filter(case_reference=case.reference).exists()
    assert not AuditEntry.objects.filter(case_uuid=case.uuid, action=AuditAction.PRINT_DOCUMENT).exists()


def test_a_register_that_cannot_be_reached_is_said_so_on_the_case_page(client, case, clerk, settings):
    config = settings.RESIDENTS_REGISTER["providers"]["demo"]
    settings.RESIDENTS_REGISTER = {
        **settings.RESIDENTS_REGISTER,
        "providers": {"demo": {**config, "url": "http://127.0.0.1:9"}},
    }
    client.force_login(clerk)
    response = press_print(client, case)
    assert response.status_code == 303
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Das Melderegister ist gerade nicht erreichbar" in page.content.decode()
    assert not AuditEntry.objects.filter(case_uuid=case.uuid, action=AuditAction.PRINT_DOCUMENT).exists()
    # Sent without the case page (no Referer), the same message on the back office's error page.
    response = client.post(print_url(case))
    assert response.status_code == 503 and "Das Melderegister ist gerade nicht erreichbar" in response.content.decode()


def test_only_staff_of_the_buergerbuero_print_and_only_paper_orders(client, case):
    standesamt = StaffFactory(departments=[Department.objects.get(slug="standesamt")])
    client.force_login(standesamt)
    assert press_print(client, case).status_code == 404
    client.logout()
    assert press_print(client, case)["Location"].startswith("/intern/anmelden/")
    clerk = StaffFactory(departments=[Department.objects.get(slug="buergerbuero")])
    client.force_login(clerk)
    assert client.get(print_url(case)).status_code == 405
    # A case of another service of the Bürgerbüro has no print, and no panel.
    case.submission.answers = {**case.submission.answers, "format": "electronic"}
    case.submission.save(update_fields=["answers"])
    assert press_print(client, case).status_code == 404
    assert "meldebescheinigung-drucken" not in client.get(case_url(case)).content.decode()
    assert not RegisterRead.objects.filter(case_reference=case.reference).exists()
