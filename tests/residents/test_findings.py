"""What the register said about a submission's person, recorded for the inbox (``register_finding_record``)."""

import uuid

import pytest

from amtsweg.residents.constants import RegisterFinding
from amtsweg.residents.models import RegisterSubject
from amtsweg.residents.services import register_finding_record, register_subject_attach, register_subject_record
from tests.applications.factories import SubmissionFactory

pytestmark = pytest.mark.django_db


def test_a_finding_is_recorded_with_its_time_and_a_later_one_replaces_it():
    submission = SubmissionFactory()
    first = register_finding_record(submission=submission, person_id="", finding=RegisterFinding.UNAVAILABLE)
    assert (first.finding, first.person_id, first.draft_uuid) == ("unavailable", "", None)
    assert first.checked_at is not None
    later = register_finding_record(
        submission=submission, person_id="P-0005", finding=RegisterFinding.SECONDARY_RESIDENCE
    )
    assert later.pk == first.pk and later.checked_at >= first.checked_at
    assert RegisterSubject.objects.get().finding == RegisterFinding.SECONDARY_RESIDENCE


def test_a_finding_without_a_person_keeps_the_person_found_before():
    submission = SubmissionFactory()
    register_finding_record(submission=submission, person_id="P-0001", finding=RegisterFinding.FOUND)
    register_finding_record(submission=submission, person_id="", finding=RegisterFinding.UNAVAILABLE)
    subject = RegisterSubject.objects.get()
    assert (subject.person_id, subject.finding) == ("P-0001", RegisterFinding.UNAVAILABLE)


def test_an_unknown_finding_is_refused():
    with pytest.raises(ValueError, match="unknown register finding"):
        register_finding_record(submission=SubmissionFactory(), person_id="", finding="maybe")


def test_the_gates_match_of_the_draft_is_the_row_a_finding_updates():
    draft = uuid.uuid4()
    register_subject_record(draft_uuid=draft, person_id="P-0001")
    submission = SubmissionFactory(draft_uuid=draft)
    register_finding_record(submission=submission, person_id="", finding=RegisterFinding.MISMATCH)
    subject = RegisterSubject.objects.get()
    assert (subject.submission, subject.draft_uuid, subject.person_id) == (submission, draft, "P-0001")
    register_subject_attach(submission=submission)  # the case opening later changes nothing
    assert RegisterSubject.objects.count() == 1
