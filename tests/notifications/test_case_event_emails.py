import datetime

import pytest
from django.core import mail

from amtsweg.cases.constants import CaseStatus, EventKind
from amtsweg.cases.models import CaseEvent, ProcessingRule
from amtsweg.notifications.models import Notification
from amtsweg.notifications.services import notify_case_event
from tests.cases.factories import CaseFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _case(language="de", **kwargs):  # type: ignore[no-untyped-def]
    return CaseFactory(submission__language=language, **kwargs)


def _event(case, kind, **fields):  # type: ignore[no-untyped-def]
    return CaseEvent.objects.create(case=case, kind=kind, visible_to_citizen=True, **fields)


def _sent(case, event, run_tasks):  # type: ignore[no-untyped-def]
    notify_case_event(case=case, event=event)
    run_tasks()
    [message] = mail.outbox
    assert message.to == [case.submission.email]
    return message


def test_status_change_in_english_names_the_new_status_and_links_the_status_page(run_tasks):
    case = _case(language="en")
    event = _event(case, EventKind.STATUS, from_status=CaseStatus.RECEIVED, to_status=CaseStatus.IN_PROGRESS)

    message = _sent(case, event, run_tasks)

    assert message.subject == f"New status of your application {case.reference}"
    assert "New status: In progress" in message.body
    assert "/en/status/" in message.body
    assert '<html lang="en" dir="ltr">' in message.alternatives[0][0]


def test_status_change_to_a_service_specific_state_uses_its_label_in_the_citizens_language(run_tasks):
    case = _case(language="de")
    ProcessingRule.objects.create(
        service=case.service,
        valid_from=datetime.date(2020, 1, 1),
        extra_states=[{"key": "shipped", "label": {"de": "Versendet", "en": "Sent"}}],
    )
    event = _event(case, EventKind.STATUS, from_status=CaseStatus.IN_PROGRESS, to_status="shipped")

    message = _sent(case, event, run_tasks)

    assert message.subject == f"Neuer Stand zu Ihrem Antrag {case.reference}"
    assert "Neuer Stand: Versendet" in message.body


def test_message_from_staff_is_passed_on_in_german(run_tasks):
    case = _case(language="de")
    event = _event(case, EventKind.MESSAGE, text="Bitte bringen Sie Ihren Ausweis mit.\nDanke & Gruß")

    message = _sent(case, event, run_tasks)

    assert message.subject == f"Neue Nachricht zu Ihrem Antrag {case.reference}"
    assert "Bitte bringen Sie Ihren Ausweis mit.\nDanke & Gruß" in message.body  # plain text is not HTML-escaped
    assert "Danke &amp; Gruß" in message.alternatives[0][0]


def test_document_request_asks_for_the_documents_and_links_the_upload(run_tasks):
    case = _case(language="en")
    event = _event(case, EventKind.DOCUMENT_REQUEST, text="A copy of your rental contract")

    message = _sent(case, event, run_tasks)

    assert message.subject == f"Please send us more documents: {case.reference}"
    assert "A copy of your rental contract" in message.body
    assert "/en/status/" in message.body


def test_rejection_gives_the_reason(run_tasks):
    case = _case(language="de", status=CaseStatus.REJECTED, rejection_reason="Sie wohnen nicht in Kassel.")
    event = _event(case, EventKind.STATUS, from_status=CaseStatus.IN_PROGRESS, to_status=CaseStatus.REJECTED)

    message = _sent(case, event, run_tasks)

    assert message.subject == f"Entscheidung zu Ihrem Antrag {case.reference}"
    assert "abgelehnt" in message.body
    assert "Sie wohnen nicht in Kassel." in message.body


def test_completion_mail_says_how_the_result_arrives_and_has_no_feedback_link_while_there_is_no_survey(run_tasks):
    case = _case(language="en", status=CaseStatus.COMPLETED)
    event = _event(case, EventKind.STATUS, from_status=CaseStatus.IN_PROGRESS, to_status=CaseStatus.COMPLETED)

    message = _sent(case, event, run_tasks)

    assert message.subject == f"Your application {case.reference} is complete"
    assert "How you get the result: By post" in message.body
    assert "feedback" not in message.body.lower()


@pytest.mark.parametrize("kind", [EventKind.NOTE, EventKind.ASSIGNED, EventKind.CITIZEN_UPLOAD])
def test_internal_events_send_nothing(kind, run_tasks):
    case = _case()
    event = _event(case, kind, text="internal")

    assert notify_case_event(case=case, event=event) is None
    run_tasks()

    assert mail.outbox == []
    assert not Notification.objects.exists()


def test_citizen_without_email_address_gets_nothing(run_tasks):
    case = _case(submission__email="")
    event = _event(case, EventKind.MESSAGE, text="Hallo")

    assert notify_case_event(case=case, event=event) is None


def test_one_event_gives_one_email_however_often_it_is_notified(run_tasks):
    case = _case()
    event = _event(case, EventKind.MESSAGE, text="Hallo")

    notify_case_event(case=case, event=event)
    notify_case_event(case=case, event=event)
    run_tasks()

    assert len(mail.outbox) == 1


def test_completion_mail_links_the_feedback_survey(run_tasks):
    case = _case(language="en", status=CaseStatus.COMPLETED)
    event = _event(case, EventKind.STATUS, from_status=CaseStatus.IN_PROGRESS, to_status=CaseStatus.COMPLETED)

    message = _sent(case, event, run_tasks)

    # The survey's one-time link for this submission (answered once, see tests/feedback).
    assert "http://127.0.0.1:8000/en/rueckmeldung/?t=" in message.body
    assert 'href="http://127.0.0.1:8000/en/rueckmeldung/?t=' in message.alternatives[0][0]


def test_a_completion_with_a_message_sends_one_email_that_carries_it_and_the_passing_state_sends_none(run_tasks):
    from django.db import transaction

    from amtsweg.cases.services import case_transition

    case = _case(language="de")
    answer = "Auskunft aus dem Melderegister:\nHauptwohnung: Friedrich-Ebert-Straße 12"
    with transaction.atomic():  # as a service module answers a request: both moves at once
        case = case_transition(case=case, to_status=CaseStatus.IN_PROGRESS, actor=None)
        case_transition(case=case, to_status=CaseStatus.COMPLETED, actor=None, message=answer)
    run_tasks()

    [message] = mail.outbox
    assert message.subject == f"Ihr Antrag {case.reference} ist abgeschlossen"
    assert answer in message.body and "Friedrich-Ebert-Straße 12" in message.alternatives[0][0]
    assert case.events.get(to_status=CaseStatus.COMPLETED).text == answer  # on the status page too
    assert not Notification.objects.filter(kind="case_status_changed").exists()  # superseded, not sent


def test_a_new_status_email_is_sent_while_the_case_has_not_moved_on(run_tasks):
    from amtsweg.cases.services import case_transition

    case_transition(case=_case(language="de"), to_status=CaseStatus.IN_PROGRESS, actor=None)
    run_tasks()
    [message] = mail.outbox
    assert "Neuer Stand: In Bearbeitung" in message.body


def test_only_a_completion_carries_a_message():
    from amtsweg.cases.services import case_transition

    with pytest.raises(ValueError, match="Only a completion"):
        case_transition(case=_case(), to_status=CaseStatus.IN_PROGRESS, actor=None, message="Hallo")
