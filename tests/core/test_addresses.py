"""Every spelling of one mailbox gives the same key, for limits per person."""

import pytest

from amtsweg.core.addresses import mailbox_key


@pytest.mark.parametrize(
    "spelling",
    [
        "erika@example.org",
        "Erika@Example.ORG",
        " erika+1@example.org ",
        "erika+termin+2@example.org",
        "ERIKA+X@example.org.",
    ],
)
def test_plus_tags_and_case_do_not_make_another_person(spelling):
    assert mailbox_key(spelling) == "erika@example.org"


@pytest.mark.parametrize(
    "spelling", ["erika.mustermann@gmail.com", "e.rika.muster.mann+t@gmail.com", "ErikaMustermann@googlemail.com"]
)
def test_dots_do_not_count_at_gmail_which_ignores_them(spelling):
    assert mailbox_key(spelling) == "erikamustermann@gmail.com"


def test_dots_still_count_at_providers_that_deliver_by_them():
    assert mailbox_key("erika.mustermann@example.org") != mailbox_key("erikamustermann@example.org")


def test_different_mailboxes_keep_different_keys():
    assert mailbox_key("erika@example.org") != mailbox_key("erika@example.com")
    assert mailbox_key("erika@example.org") != mailbox_key("max@example.org")


@pytest.mark.parametrize(
    ("odd", "key"), [("", ""), ("no-at-sign", "no-at-sign"), ("+tag@example.org", "+tag@example.org")]
)
def test_odd_input_gives_a_key_without_failing(odd, key):
    assert mailbox_key(odd) == key
