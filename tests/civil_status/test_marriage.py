"""Eheschließung anmelden: the checklist per partner (one test per row of the table in domain-facts-wave2 A1),
the age and 6-month rules, the fee estimate, the outcomes, and the partner's own link."""

import datetime

import pytest
from django.core import mail

from amtsweg.applications.models import Submission
from amtsweg.applications.selectors import submission_checklist
from amtsweg.appointments.seed import appointments_load_seed

from .marriage import BASE, fill_marriage, post_step, send_marriage, wedding_in


@pytest.fixture
def marriage(forms):
    appointments_load_seed()


def documents(submission: Submission) -> set[str]:
    return {item.key for item in submission_checklist(submission=submission).items}


def test_two_germans_born_and_living_in_kassel_need_only_their_ids_and_book_the_notice(client, marriage):
    fill_marriage(client)
    submission = send_marriage(client)

    assert documents(submission) == {"a_id", "b_id"}
    assert submission.outcome == {"key": "anmeldung", "kind": "appointment"}
    assert submission.answers["foreign_laws"] == 0
