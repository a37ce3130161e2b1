"""Objections to transfers (Übermittlungssperren, §§ 36(2), 42(3), 50(1)–(3) BMG): filed online in the register
at once, listed and withdrawn in Mein Amtsweg; the wedding anniversaries need both spouses; BMeldDigiV § 4."""

import re

import pytest
from django.core import mail

from amtsweg.notifications.constants import NotificationKind
from amtsweg.notifications.models import Notification
from amtsweg.residents.constants import BlockAction
from amtsweg.residents.models import BlockChange, RegisterRead, WeddingObjection
from amtsweg.residents.register import fields
from amtsweg.statistics.models import CaseRecord
from tests.identity.helpers import log_in

from .conftest import register_identity, stored

PAGE = "/uebermittlungssperren/"
WEDDING = fields.WEDDING_ANNIVERSARIES

pytestmark = pytest.mark.django_db


def kinds_in_register(data, person_id):
    return {block["kind"] for block in stored(data)[person_id].get(fields.BLOCKS, [])}


def file(client, *kinds, email="erika.mustermann@example.org"):
    return client.post(PAGE, {"kinds": list(kinds), "email": email})


@pytest.fixture
def erika(client, residents, demo_register):
    log_in(client, register_identity("kassel-adult"))
    return client


def test_the_service_page_starts_at_the_objections_and_asks_for_the_eid(client, residents, demo_register):
    html = client.get("/leistungen/uebermittlungssperre/").content.decode()
    assert f'href="{PAGE}"' in html
    response = client.get(PAGE)
    assert response.status_code == 401 and "Bitte melden Sie sich an" in response.content.decode()
    log_in(client, register_identity("basic"))
    assert client.get(PAGE).status_code == 403  # a BundID login with a password is not the eID
    assert not RegisterRead.objects.exists()


def test_each_objection_is_explained_in_plain_words_in_both_languages(erika):
    german = erika.get(PAGE).content.decode()
    assert "Parteien und Wählergruppen vor Wahlen" in german
    assert "Sie brauchen keinen Grund" in german
    assert german.count('name="kinds"') == 6
    english = erika.get(f"/en{PAGE}").content.decode()
    assert "Parties and voter groups before elections" in english


def test_objections_filed_online_are_in_the_register_at_once(erika, demo_register):
    response = file(erika, "50-1", "36-2")
    assert response.status_code == 302 and response["Location"] == f"{PAGE}eingetragen/"
    assert kinds_in_register(demo_register, "P-0001") == {"50-1", "36-2"}
    done = erika.get(response["Location"]).content.decode()
    assert "Ihr Widerspruch ist eingetragen" in done and "Die Bundeswehr" in done
    changes = BlockChange.objects.filter(person_id="P-0001", action=BlockAction.FILED)
    assert sorted(changes.values_list("kind", flat=True)) == ["36-2", "50-1"]
    assert CaseRecord.objects.filter(service__slug="uebermittlungssperre", final_status="completed").count() == 1
    # Filed, they are no longer offered; what is on is shown as such.
    page = erika.get(PAGE).content.decode()
    assert page.count('name="kinds"') == 4 and "Bereits eingetragen" in page


def test_nothing_chosen_or_a_wrong_email_is_explained_and_nothing_is_written(erika, demo_register):
    response = file(erika, email="erika@")
    html = response.content.decode()
    assert response.status_code == 400 and "<title>Fehler:" in html
    assert "Wählen Sie mindestens eine Weitergabe aus, der Sie widersprechen" in html
    assert 'href="#id_kinds"' in html and 'href="#id_email"' in html
    assert 'value="erika@"' in html
    assert not kinds_in_register(demo_register, "P-0001")


@pytest.mark.django_db(transaction=True)  # the task worker sends the email
def test_a_filed_objection_is_confirmed_by_email_which_keeps_no_address_behind(erika, run_tasks):
    file(erika, "50-3")
    run_tasks()
    [message] = mail.outbox
    assert message.to == ["erika.mustermann@example.org"]
    assert message.subject == "Ihr Widerspruch ist im Melderegister eingetragen"
    assert "Adressbuchverlage" in message.body and "Mein Amtsweg" in message.body
    assert not Notification.objects.filter(kind=NotificationKind.TRANSFER_OBJECTION).exists()


def test_mein_amtsweg_lists_the_objections_of_the_register_and_withdraws_each(erika, demo_register):
    file(erika, "50-1", "50-3")
    account = erika.get("/mein-amtsweg/").content.decode()
    assert "Ihre Widersprüche gegen die Weitergabe Ihrer Daten" in account
    assert "Parteien und Wählergruppen vor Wahlen" in account and "Adressbuchverlage" in account
    assert account.count("Zurücknehmen</span>") == 2

    response = erika.post(f"{PAGE}zuruecknehmen/", {"kind": "50-1"})
    assert response.status_code == 302 and response["Location"] == "/mein-amtsweg/"
    assert kinds_in_register(demo_register, "P-0001") == {"50-3"}
    account = erika.get("/mein-amtsweg/").content.decode()
    assert "Ihr Widerspruch ist zurückgenommen: Parteien und Wählergruppen vor Wahlen" in account
    assert account.count("Zurücknehmen</span>") == 1
    assert BlockChange.objects.filter(kind="50-1", action=BlockAction.WITHDRAWN).count() == 1

    erika.post(f"{PAGE}zuruecknehmen/", {"kind": "50-3"})
    assert not kinds_in_register(demo_register, "P-0001")
    assert "Sie haben keiner Weitergabe Ihrer Daten widersprochen." in erika.get("/mein-amtsweg/").content.decode()


def test_an_objection_filed_at_the_counter_shows_in_mein_amtsweg_too(erika, demo_register):
    from amtsweg.residents.services import register_block_file

    register_block_file(person_id="P-0001", kind="42-3")
    assert "Religionsgemeinschaft eines Familienmitglieds" in erika.get("/mein-amtsweg/").content.decode()


def test_every_register_read_is_audited_with_the_citizen_as_reader(erika, demo_register):
    erika.get(PAGE)
    file(erika, WEDDING)
    erika.get("/mein-amtsweg/")
    reads = list(RegisterRead.objects.order_by("id"))
    assert [read.purpose for read in reads] == [
        "transfer objections: the citizen's page",
        "transfer objections: the citizen's page",
        "transfer objection: wedding anniversaries, the spouse who must confirm",
        "transfer objections: Mein Amtsweg",
    ]
    assert {read.person_id for read in reads} == {"P-0001"}
    assert {read.actor_label for read in reads} == {f"citizen {reads[0].actor_label.split()[1]}"}
    assert reads[0].actor_label.startswith("citizen ") and reads[0].actor is None
    assert [read.items for read in reads] == ["1801", "1801", "1501", "1801"]


def test_birthdays_need_only_the_person(erika, demo_register):
    file(erika, "50-2")
    assert kinds_in_register(demo_register, "P-0001") == {"50-2"}
    assert not kinds_in_register(demo_register, "P-0009")


def test_the_wedding_anniversaries_need_both_spouses(client, erika, demo_register):
    response = file(erika, WEDDING)
    done = erika.get(response["Location"]).content.decode()
    assert "Ihr Widerspruch wartet auf Ihre Ehepartnerin oder Ihren Ehepartner" in done
    # One spouse's objection is not in force: nothing is in the register yet.
    assert not kinds_in_register(demo_register, "P-0001") and not kinds_in_register(demo_register, "P-0009")
    assert (
        "wartet auf die Bestätigung Ihrer Ehepartnerin oder Ihres Ehepartners"
        in erika.get("/mein-amtsweg/").content.decode()
    )

    # Someone else, even with the link, has nothing to confirm.
    log_in(client, register_identity("kassel-foreign"))
    assert "Bestätigen Sie den Widerspruch" not in client.get(PAGE).content.decode()
    client.post(PAGE, {"action": "confirm"})
    assert not kinds_in_register(demo_register, "P-0001")

    # The spouse the register names confirms with his own eID login: now both entries are written.
    log_in(client, register_identity("kassel-spouse"))
    page = client.get(PAGE).content.decode()
    assert "Ihre Ehepartnerin oder Ihr Ehepartner wartet auf Ihre Bestätigung" in page
    response = client.post(PAGE, {"action": "confirm"})
    assert response.status_code == 302
    assert WEDDING in kinds_in_register(demo_register, "P-0001")
    assert WEDDING in kinds_in_register(demo_register, "P-0009")
    assert not WeddingObjection.objects.exists()
    assert Notification.objects.filter(kind=NotificationKind.TRANSFER_OBJECTION, to="erika.mustermann@example.org")


def test_the_second_spouse_objecting_on_their_own_confirms_the_first(client, erika, demo_register):
    file(erika, WEDDING)
    log_in(client, register_identity("kassel-spouse"))
    client.post(PAGE, {"kinds": [WEDDING], "email": "max@example.org"})
    assert WEDDING in kinds_in_register(demo_register, "P-0001")
    assert WEDDING in kinds_in_register(demo_register, "P-0009")


def test_someone_without_a_spouse_in_the_register_cannot_object_for_wedding_anniversaries(
    client, residents, demo_register
):
    log_in(client, register_identity("kassel-foreign"))
    response = client.post(PAGE, {"kinds": [WEDDING, "50-1"], "email": "amira@example.org"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Im Melderegister ist für Sie keine Ehepartnerin, kein Ehepartner" in html
    assert 'href="#id_kinds"' in html and "checked" in html  # the choice is kept
    assert not kinds_in_register(demo_register, "P-0004")
    assert not WeddingObjection.objects.exists()


@pytest.mark.parametrize("change", [{"birth_date": "1984-08-13"}, {"house_number": "14"}])
def test_a_mismatch_with_the_register_is_sent_to_the_counter_and_shown_nothing(
    client, residents, demo_register, change
):
    from amtsweg.appointments.seed import appointments_load_seed
    from amtsweg.residents.services import register_block_file

    appointments_load_seed()
    register_block_file(person_id="P-0001", kind="50-3")
    log_in(client, register_identity("kassel-adult", **change))
    for response in (client.get(PAGE), file(client, "50-1"), client.post(f"{PAGE}zuruecknehmen/", {"kind": "50-3"})):
        html = response.content.decode()
        assert response.status_code == 403
        assert "Wir haben Sie im Melderegister nicht gefunden" in html
        assert 'href="/termin/buergerbuero-rathaus/uebermittlungssperre/"' in html
        assert "Adressbuchverlage" not in html and "Bereits eingetragen" not in html
    assert kinds_in_register(demo_register, "P-0001") == {"50-3"}
    assert "Widersprüche" not in client.get("/mein-amtsweg/").content.decode()
    assert not RegisterRead.objects.exists()


def test_someone_living_elsewhere_is_told_their_office(client, residents, demo_register):
    log_in(client, register_identity("other-city"))
    response = client.get(PAGE)
    assert response.status_code == 403
    html = response.content.decode()
    assert "Ihre Hauptwohnung ist nicht in unserer Stadt" in html and "in Göttingen" in html
    assert file(client, "50-1").status_code == 403
    assert not kinds_in_register(demo_register, "P-0005")
    assert not RegisterRead.objects.exists()


def test_a_register_that_cannot_be_reached_is_said_plainly(erika, settings):
    config = settings.RESIDENTS_REGISTER["providers"]["demo"]
    settings.RESIDENTS_REGISTER = {
        **settings.RESIDENTS_REGISTER,
        "providers": {"demo": {**config, "url": "http://127.0.0.1:9"}},
    }
    response = erika.get(PAGE)
    assert response.status_code == 503
    assert "Das Melderegister ist gerade nicht erreichbar" in response.content.decode()
    account = erika.get("/mein-amtsweg/")
    assert account.status_code == 200 and "gerade nicht erreichbar" in account.content.decode()


def test_an_unknown_objection_cannot_be_withdrawn(erika, demo_register):
    response = erika.post(f"{PAGE}zuruecknehmen/", {"kind": "99-9"}, follow=True)
    assert "Diesen Widerspruch gibt es nicht." in response.content.decode()
    assert not BlockChange.objects.exists()


def test_the_confirmation_page_needs_a_filing_first(erika):
    response = erika.get(f"{PAGE}eingetragen/")
    assert response.status_code == 302 and response["Location"] == PAGE
    assert re.search(r"Widerspruch", erika.get(PAGE).content.decode())
