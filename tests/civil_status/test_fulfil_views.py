"""The fulfilment back office over HTTP: who may see it, the actions, bad input, and the citizen's status page."""

import pytest

from amtsweg.applications.status_links import status_url
from amtsweg.cases.models import AuditEntry
from amtsweg.civil_status.constants import OrderStatus
from amtsweg.civil_status.models import CertificateOrder
from amtsweg.payments.constants import PaymentStatus
from amtsweg.payments.models import Payment
from tests.accounts.factories import StaffFactory

from .fulfilment import back_office, buergerbuero_staff, order, standesamt_staff  # noqa: F401

pytestmark = pytest.mark.usefixtures("back_office")

QUEUE = "/intern/urkunden/"


def detail(created):
    return f"{QUEUE}{created.uuid}/"


def pages(created):
    return [
        ("get", QUEUE),
        ("get", f"{QUEUE}servicelevel/"),
        ("get", detail(created)),
        ("post", f"{QUEUE}stapeldruck/"),
        ("post", f"{detail(created)}drucken/"),
    ]


def test_anonymous_visitors_are_sent_to_the_staff_login(client, forms):
    created = order()
    for method, url in pages(created):
        response = getattr(client, method)(url)
        assert response.status_code == 302 and response["Location"].startswith("/intern/anmelden/"), url


def test_staff_of_other_departments_are_refused(client, forms):
    created = order()
    client.force_login(buergerbuero_staff())
    for method, url in pages(created):
        assert getattr(client, method)(url).status_code == 403, url
    assert client.post(detail(created), {"action": "send"}).status_code == 403
    created.refresh_from_db()
    assert created.status == OrderStatus.QUEUED


def test_staff_without_any_department_are_refused(client, forms):
    created = order()
    client.force_login(StaffFactory())
    assert client.get(detail(created)).status_code == 403


def test_the_queue_lists_paid_orders_oldest_first_with_their_due_date(client, forms):
    first, second = order(), order()
    client.force_login(standesamt_staff())
    response = client.get(QUEUE)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index(first.case.reference) < html.index(second.case.reference)
    assert first.due_on.isoformat() in html
    assert "2 Bestellungen warten auf Druck" in html


def test_the_order_page_is_audited(client, forms):
    created = order()
    staff = standesamt_staff()
    client.force_login(staff)
    response = client.get(detail(created))
    assert response.status_code == 200
    assert "Wilhelmshöher Allee 19" in response.content.decode()
    assert AuditEntry.objects.filter(case_uuid=created.case.uuid, actor=staff, action="view_case").exists()


def test_an_order_of_an_unknown_id_is_not_found(client, forms):
    client.force_login(standesamt_staff())
    assert client.get(f"{QUEUE}00000000-0000-0000-0000-000000000001/").status_code == 404


def test_print_answers_with_the_pdf_and_marks_the_order_printed(client, forms):
    created = order()
    client.force_login(standesamt_staff())
    response = client.post(f"{detail(created)}drucken/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    assert "attachment" in response["Content-Disposition"]
    created.refresh_from_db()
    assert created.status == OrderStatus.PRINTED


def test_batch_print_of_the_day(client, forms):
    order(), order()
    client.force_login(standesamt_staff())
    response = client.post(f"{QUEUE}stapeldruck/")
    assert response.status_code == 200 and response["X-Orders-Printed"] == "2"
    # Nothing left: a clear message on the queue, no 500.
    again = client.post(f"{QUEUE}stapeldruck/", HTTP_REFERER=f"http://testserver{QUEUE}")
    assert again.status_code == 303
    assert "Keine Bestellung wartet auf den Druck" in client.get(QUEUE).content.decode()


def test_sent_twice_gives_a_clear_message(client, forms):
    created = order()
    client.force_login(standesamt_staff())
    client.post(f"{detail(created)}drucken/")
    first = client.post(detail(created), {"action": "send"}, HTTP_REFERER=f"http://testserver{detail(created)}")
    assert first.status_code == 303
    page = client.get(detail(created)).content.decode()
    assert "als versendet markiert" in page and 'data-order-status="sent"' in page
    second = client.post(detail(created), {"action": "send"}, HTTP_REFERER=f"http://testserver{detail(created)}")
    assert second.status_code == 303
    assert "bereits versendet" in client.get(detail(created)).content.decode()
    # Without a page to go back to: an error page, still no 500.
    third = client.post(detail(created), {"action": "send"})
    assert third.status_code == 400 and "bereits versendet" in third.content.decode()


def test_sent_before_print_is_refused(client, forms):
    created = order()
    client.force_login(standesamt_staff())
    response = client.post(detail(created), {"action": "send"})
    assert response.status_code == 400 and "Drucken Sie die Bestellung zuerst" in response.content.decode()


def test_a_rejection_without_reason_shows_the_error_and_refunds_nothing(client, forms):
    created = order()
    client.force_login(standesamt_staff())
    response = client.post(detail(created), {"action": "reject", "reject-reason": ""})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Es gibt ein Problem" in html or "There is a problem" in html
    assert 'href="#id_reject-reason"' in html
    created.refresh_from_db()
    assert created.status == OrderStatus.QUEUED
    assert Payment.objects.get(submission=created.case.submission).status == PaymentStatus.PAID


def test_a_too_long_question_keeps_what_was_typed(client, forms):
    created = order()
    client.force_login(standesamt_staff())
    text = "Frage " * 400
    response = client.post(detail(created), {"action": "query", "query-text": text})
    assert response.status_code == 400
    assert "höchstens 2.000 Zeichen" in response.content.decode()
    assert text.strip() in response.content.decode()


def test_rejecting_over_http_refunds_and_finishes_the_order(client, forms):
    created = order()
    client.force_login(standesamt_staff())
    response = client.post(detail(created), {"action": "reject", "reject-reason": "Kein Eintrag in Kassel."})
    assert response.status_code == 303
    created.refresh_from_db()
    assert created.status == OrderStatus.REJECTED
    assert Payment.objects.get(submission=created.case.submission).status == PaymentStatus.REFUNDED
    page = client.get(detail(created)).content.decode()
    assert "Kein Eintrag in Kassel." in page and "kann nicht mehr geändert werden" in page


def test_a_question_over_http(client, forms):
    created = order()
    client.force_login(standesamt_staff())
    response = client.post(detail(created), {"action": "query", "query-text": "Wie lautet der Geburtsname?"})
    assert response.status_code == 303
    assert CertificateOrder.objects.get(pk=created.pk).status == OrderStatus.QUERY


def test_an_unknown_action_is_not_found(client, forms):
    created = order()
    client.force_login(standesamt_staff())
    assert client.post(detail(created), {"action": "delete"}).status_code == 404


def test_the_citizens_status_page_shows_sent(client, forms):
    created = order()
    staff_client = client.__class__()
    staff_client.force_login(standesamt_staff())
    staff_client.post(f"{detail(created)}drucken/")
    staff_client.post(detail(created), {"action": "send"})
    link = status_url(created.case.submission, absolute=False)
    page = client.get(link, follow=True).content.decode()
    assert 'data-status="completed">Versendet<' in page


def test_the_back_office_menu_links_the_queue_for_standesamt_staff_only(client, forms):
    client.force_login(standesamt_staff())
    assert f'href="{QUEUE}"' in client.get("/intern/").content.decode()
    client.force_login(buergerbuero_staff())
    assert f'href="{QUEUE}"' not in client.get("/intern/").content.decode()


def test_the_queue_shows_whether_a_question_was_answered(client, forms):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from amtsweg.cases.models import DocumentRequest
    from amtsweg.cases.services import case_citizen_upload
    from amtsweg.civil_status.services import certificate_order_query

    created = order()
    staff = standesamt_staff()
    certificate_order_query(order=created, actor=staff, text="Wie lautet der Geburtsname?")
    client.force_login(staff)
    assert "noch keine Antwort" in client.get(QUEUE).content.decode()
    answer = SimpleUploadedFile("antwort.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    case_citizen_upload(document_request=DocumentRequest.objects.get(case=created.case), files=[answer])
    html = client.get(QUEUE).content.decode()
    assert "beantwortet" in html and "noch keine Antwort" not in html


def test_the_case_page_does_not_end_an_open_certificate_order(client, forms):
    """Sending and rejecting (with its refund) happen in the queue; the case page offers neither."""
    created = order()
    client.force_login(standesamt_staff())
    case_page = f"/intern/faelle/{created.case.uuid}/"
    html = client.get(case_page).content.decode()
    assert "data-closing-elsewhere" in html and 'value="rejected"' not in html and 'value="completed"' not in html
    tampered = client.post(case_page, {"action": "status", "to_status": "rejected", "reason": "Nein"})
    assert tampered.status_code == 400
    created.refresh_from_db()
    assert created.case.status != "rejected" and created.status == OrderStatus.QUEUED


def test_the_queue_pages_through_many_orders(client, forms):
    for _ in range(101):
        order(paid=False)  # a free order enters the queue at once: quicker to make a hundred
    client.force_login(standesamt_staff())
    page_one = client.get(QUEUE).content.decode()
    assert "Seite 1 von 2" in page_one and "page=2" in page_one
    assert "Seite 2 von 2" in client.get(QUEUE + "?page=2").content.decode()
    assert client.get(QUEUE + "?page=nonsense").status_code == 200


def _for_another_person(created):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from amtsweg.applications.files import file_store

    submission = created.case.submission
    submission.answers = {**submission.answers, "relationship": "other", "legal_reason": "Nachlasspflegschaft"}
    submission.save(update_fields=["answers"])
    upload = SimpleUploadedFile("nachweis.pdf", b"%PDF-1.4\n%test\n", content_type="application/pdf")
    return file_store(upload=upload, submission=submission, field_key="proof")


def test_the_proof_of_a_legal_interest_is_shown_and_accepted_on_the_order(client, forms):
    created = order()
    proof = _for_another_person(created)
    client.force_login(standesamt_staff())
    page = client.get(detail(created)).content.decode()
    assert "Nachlasspflegschaft" in page and proof.original_name in page
    assert f"/dateien/{proof.uuid}/" in page
    assert "Nachweis akzeptieren" in page and "rechtliches Interesse und Nachweis prüfen" in page
    client.post(detail(created), {"action": "approve_proof"})
    created.refresh_from_db()
    assert created.proof_approved_at is not None
    page = client.get(detail(created)).content.decode()
    assert "Nachweis akzeptieren" not in page and "rechtliches Interesse und Nachweis prüfen" not in page
    assert AuditEntry.objects.filter(case_uuid=created.case.uuid, detail="certificate proof accepted").exists()


def test_an_order_without_a_proof_to_check_cannot_be_accepted(client, forms):
    created = order()
    client.force_login(standesamt_staff())
    response = client.post(
        detail(created), {"action": "approve_proof"}, HTTP_REFERER="http://testserver" + detail(created)
    )
    created.refresh_from_db()
    assert created.proof_approved_at is None and response.status_code in (303, 400)


def test_the_order_says_how_many_certificates_are_free_and_how_many_paid(client, forms):
    created = order(copies=1)
    submission = created.case.submission
    submission.answers = {**submission.answers, "newborn": True, "free_purposes": ["elterngeld", "kindergeld"]}
    submission.answers["extra_copies"] = 1
    submission.save(update_fields=["answers"])
    client.force_login(standesamt_staff())
    page = " ".join(client.get(detail(created)).content.decode().split())
    assert "2 gebührenfrei (Elterngeld, Kindergeld)" in page and "1 gebührenpflichtig" in page


def test_the_reject_hint_speaks_of_the_reason(client, forms):
    created = order()
    client.force_login(standesamt_staff())
    page = client.get(detail(created)).content.decode()
    assert "Die Bürgerin oder der Bürger sieht die Begründung." in page
    assert "sieht ihn" not in page
