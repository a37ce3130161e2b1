"""The development mailbox: emails kept as files and read at /demo-postfach/ with working links."""

import re

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives

from amtsweg.notifications import mailbox
from tests.accounts.factories import StaffFactory
from tests.catalogue.factories import DepartmentFactory

pytestmark = pytest.mark.django_db

# Long enough that quoted-printable breaks it across lines in the raw message.
LINK = "http://127.0.0.1:8100/termin/bestaetigen/" + "a1b2c3d4" * 12 + "/"


@pytest.fixture
def mailbox_on(settings, tmp_path):
    folder = tmp_path / "mailbox"
    settings.DEMO_MODE = True
    settings.DEV_MAILBOX_DIR = folder
    settings.MAILERS = {
        "default": {"BACKEND": "amtsweg.notifications.mailbox.MailboxBackend", "OPTIONS": {"folder": str(folder)}}
    }
    return folder


def _send(subject="Ihr Termin im Bürgerbüro", attachment=b"%PDF-1.7 Zusammenfassung"):
    message = EmailMultiAlternatives(
        subject, f"Grüß Gott,\nbitte bestätigen Sie Ihren Termin: {LINK}\nDanke.", to=["erika@example.org"]
    )
    message.attach_alternative(f'<p>Bitte <a href="{LINK}">bestätigen</a>.</p>', "text/html")
    message.attach("zusammenfassung.pdf", attachment, "application/pdf")
    message.send()


def test_a_sent_email_is_kept_as_a_file_and_not_printed(mailbox_on, capsys):
    _send()
    files = list(mailbox_on.glob("*.eml"))
    assert len(files) == 1
    assert LINK not in files[0].read_text()  # the raw message is quoted-printable: the link is broken there
    assert "Bürgerbüro" not in capsys.readouterr().out


def test_the_mailbox_lists_the_email_and_shows_its_link_whole_and_clickable(client, mailbox_on):
    _send()
    listing = client.get("/demo-postfach/")
    assert listing.status_code == 200
    assert {"no-store", "private"} <= {part.strip() for part in listing["Cache-Control"].split(",")}
    text = listing.content.decode()
    assert "Ihr Termin im Bürgerbüro" in text and "erika@example.org" in text
    detail_url = re.search(r'href="(/demo-postfach/[^"]+/)"', text).group(1)
    detail = client.get(detail_url).content.decode()
    assert f'<a href="{LINK}"' in detail
    assert "Grüß Gott" in detail


def test_an_attachment_downloads_with_its_bytes(client, mailbox_on):
    _send(attachment=b"%PDF-1.7 eins zwei drei")
    name = mailbox.mailbox_entries()[0].name
    answer = client.get(f"/demo-postfach/{name}/anhang/1/")
    assert answer.status_code == 200
    assert answer.content == b"%PDF-1.7 eins zwei drei"
    assert answer["Content-Disposition"] == 'attachment; filename="zusammenfassung.pdf"'
    assert client.get(f"/demo-postfach/{name}/anhang/2/").status_code == 404


@pytest.mark.parametrize("name", ["..%2F..%2Fsettings.py", "20260101T000000000000Z-x.eml", "nothing"])
def test_a_name_that_is_not_a_kept_email_is_not_found(client, mailbox_on, name):
    _send()
    assert client.get(f"/demo-postfach/{name}/").status_code == 404


def test_the_mailbox_is_closed_to_other_machines_but_open_to_staff(client, mailbox_on):
    _send()
    assert client.get("/demo-postfach/", REMOTE_ADDR="203.0.113.9").status_code == 404
    client.force_login(StaffFactory(departments=[DepartmentFactory()]))
    assert client.get("/demo-postfach/", REMOTE_ADDR="203.0.113.9").status_code == 200


def test_the_mailbox_is_off_outside_demo_mode_and_without_a_folder(client, mailbox_on, settings):
    settings.DEMO_MODE = False
    assert client.get("/demo-postfach/").status_code == 404
    settings.DEMO_MODE = True
    settings.DEV_MAILBOX_DIR = None
    assert client.get("/demo-postfach/").status_code == 404


def test_only_the_newest_emails_are_kept(mailbox_on, monkeypatch):
    monkeypatch.setattr(mailbox, "KEEP", 3)
    for number in range(5):
        _send(subject=f"Nummer {number}")
    assert [entry.subject for entry in mailbox.mailbox_entries()] == ["Nummer 4", "Nummer 3", "Nummer 2"]


def test_nothing_reaches_the_test_outbox_through_the_mailbox(mailbox_on):
    _send()
    assert mail.outbox == []
