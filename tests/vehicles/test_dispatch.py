"""The dispatch queue of the registration certificates and plate seals: who sees it, its order and due days, and
marking documents as posted, which completes the case and tells the citizen."""

import datetime

import pytest
from django.utils import timezone

from amtsweg.cases.constants import AuditAction, CaseStatus
from amtsweg.cases.models import AuditEntry
from amtsweg.catalogue.models import Department
from amtsweg.notifications.constants import NotificationKind
from amtsweg.notifications.models import Notification
from amtsweg.vehicles.citizen import vehicle_dispatch_closing, vehicle_status
from amtsweg.vehicles.constants import DispatchStatus, Transaction
from amtsweg.vehicles.dispatch import dispatch_due_on
from tests.accounts.factories import StaffFactory

from .factories import VehicleApplicationFactory

pytestmark = pytest.mark.django_db
QUEUE = "/intern/kfz/versand/"


def decided(days_ago: int, hour: int = 10, **kwargs):
    moment = timezone.make_aware(
        datetime.datetime.combine(timezone.localdate() - datetime.timedelta(days=days_ago), datetime.time(hour))
    )
    return VehicleApplicationFactory(approved=True, decided_at=moment, **kwargs)


def rows(html: str) -> list[str]:
    """The reference numbers of the queue's rows, in order."""
    import re

    return re.findall(r'data-reference="([^"]+)"', html)


# --- who may see it ------------------------------------------------------------------------------------------


def test_only_kfz_staff_see_the_queue(client, kfz, kfz_staff):
    assert client.get(QUEUE).status_code == 302  # the staff login
    client.force_login(StaffFactory(departments=[Department.objects.get(slug="buergerbuero")]))
    assert client.get(QUEUE).status_code == 403 and client.post(QUEUE).status_code == 403
    assert "/intern/kfz/versand/" not in client.get("/intern/").content.decode()  # not in their menu
    client.force_login(kfz_staff)
    assert client.get(QUEUE).status_code == 200
    assert 'href="/intern/kfz/versand/"' in client.get("/intern/").content.decode()


def test_staff_of_another_department_cannot_post_kfz_documents(client, kfz):
    application = decided(1)
    client.force_login(StaffFactory(departments=[Department.objects.get(slug="standesamt")]))
    assert client.post(QUEUE, {"application": str(application.uuid)}).status_code == 403
    application.refresh_from_db()
    assert application.dispatch == DispatchStatus.QUEUED


# --- the queue ---------------------------------------------------------------------------------------------------


def test_the_oldest_decision_comes_first_and_what_is_past_six_days_is_overdue(client, kfz, kfz_staff):
    on_time = decided(6)  # due today: not yet overdue
    overdue = decided(7)
    newest = decided(0)
    deregistration = decided(9, transaction=Transaction.DEREGISTRATION)  # nothing to post
    refused = VehicleApplicationFactory(refused=True)
    client.force_login(kfz_staff)
    html = client.get(QUEUE).content.decode()
    assert rows(html) == [overdue.case.reference, on_time.case.reference, newest.case.reference]
    assert deregistration.case.reference not in html and refused.case.reference not in html
    row = html.split(f'data-reference="{overdue.case.reference}"', 1)[1].split("</tr>", 1)[0]
    assert "data-overdue" in row and "Friedrich-Ebert-Straße 12" in row and "KS-EM 1984" in row
    row = html.split(f'data-reference="{on_time.case.reference}"', 1)[1].split("</tr>", 1)[0]
    assert "data-overdue" not in row
    assert dispatch_due_on(on_time) == timezone.localdate()
    assert "1 überfällig" in html and "3 zu versenden" in html
    # Every case shown is in the audit log.
    shown = AuditEntry.objects.filter(action=AuditAction.VIEW_CASE, detail="Kfz: Versandliste")
    assert shown.count() == 3


def test_the_due_days_are_a_setting(client, kfz, kfz_staff, settings):
    settings.VEHICLE_DOCUMENTS = {**settings.VEHICLE_DOCUMENTS, "dispatch_days": 2}
    application = decided(3)
    client.force_login(kfz_staff)
    assert "data-overdue" in client.get(QUEUE).content.decode()
    assert dispatch_due_on(application) == timezone.localdate() - datetime.timedelta(days=1)


def test_a_withdrawn_case_leaves_the_queue(client, kfz, kfz_staff):
    application = decided(1)
    application.case.status = CaseStatus.WITHDRAWN
    application.case.save()
    client.force_login(kfz_staff)
    assert rows(client.get(QUEUE).content.decode()) == []


def test_the_queue_filters_by_office_and_shows_what_was_posted(client, kfz, kfz_staff):
    kassel = decided(2)
    hofgeismar = decided(1, office="hofgeismar")
    client.force_login(kfz_staff)
    assert rows(client.get(QUEUE + "?stelle=hofgeismar").content.decode()) == [hofgeismar.case.reference]
    client.post(QUEUE, {"application": [str(kassel.uuid)]})
    html = client.get(QUEUE + "?zeigen=sent").content.decode()
    assert rows(html) == [kassel.case.reference] and "Karl Kfz" in html


@pytest.mark.parametrize("query", ["?zeigen=alles", "?stelle=berlin", "?page=abc", "?page=999", "?zeigen=sent&page=-1"])
def test_odd_filters_show_the_queue(client, kfz, kfz_staff, query):
    decided(1)
    client.force_login(kfz_staff)
    assert client.get(QUEUE + query).status_code == 200


# --- marking as posted ---------------------------------------------------------------------------------------


def test_marking_as_posted_records_it_completes_the_case_and_tells_the_citizen(client, kfz, kfz_staff):
    application = decided(2)
    client.force_login(kfz_staff)
    response = client.post(QUEUE, {"application": [str(application.uuid)]})
    assert response.status_code == 303
    html = client.get(response["Location"]).content.decode()
    assert f"Als versandt markiert: {application.case.reference}" in html
    application.refresh_from_db()
    assert application.dispatch == DispatchStatus.SENT and application.dispatched_by == kfz_staff
    assert application.dispatched_at is not None
    case = application.case
    case.refresh_from_db()
    assert case.status == CaseStatus.COMPLETED
    day = timezone.localdate()
    assert vehicle_status(case=case) == f"Unterlagen versandt am {day.day}.{day.month}.{day.year}"
    completion = Notification.objects.get(kind=NotificationKind.CASE_COMPLETED)
    assert completion.case == case and "Zulassungsbescheinigung Teil I" in completion.event.text
    assert AuditEntry.objects.filter(case_uuid=case.uuid, detail="Kfz: Unterlagen versandt").exists()


def test_several_are_marked_at_once(client, kfz, kfz_staff):
    first, second, third = decided(3), decided(2), decided(1)
    client.force_login(kfz_staff)
    client.post(QUEUE, {"application": [str(first.uuid), str(third.uuid)]})
    html = client.get(QUEUE).content.decode()
    assert rows(html) == [second.case.reference]


def test_nothing_selected_is_explained(client, kfz, kfz_staff):
    decided(1)
    client.force_login(kfz_staff)
    for data in ({}, {"application": ""}, {"application": "not-a-uuid"}):
        response = client.post(QUEUE, data)
        assert response.status_code == 400
        assert "Wählen Sie mindestens einen Antrag aus" in response.content.decode()


def test_documents_already_posted_are_left_as_they_are_and_named(client, kfz, kfz_staff):
    posted, open_ = decided(3), decided(2)
    colleague = StaffFactory(departments=[Department.objects.get(slug="kfz")])
    client.force_login(colleague)
    client.post(QUEUE, {"application": [str(posted.uuid)]})
    posted.refresh_from_db()
    when = posted.dispatched_at
    client.force_login(kfz_staff)  # from a page loaded before the colleague marked it
    response = client.post(QUEUE, {"application": [str(posted.uuid), str(open_.uuid)]}, follow=True)
    html = response.content.decode()
    assert f"Schon vorher als versandt markiert, nicht geändert: {posted.case.reference}" in html
    assert f"Als versandt markiert: {open_.case.reference}" in html
    posted.refresh_from_db()
    assert posted.dispatched_at == when and posted.dispatched_by == colleague
    assert Notification.objects.filter(kind=NotificationKind.CASE_COMPLETED).count() == 2


def test_an_unknown_application_is_explained_not_an_error(client, kfz, kfz_staff):
    client.force_login(kfz_staff)
    response = client.post(QUEUE, {"application": "00000000-0000-4000-8000-000000000000"})
    assert response.status_code == 400
    assert "Die ausgewählten Anträge wurden nicht gefunden" in response.content.decode()


def test_a_case_completed_on_the_case_page_before_only_records_the_post(client, kfz, kfz_staff):
    application = decided(1)
    case = application.case
    case.status = CaseStatus.COMPLETED
    case.closed_at = timezone.now()
    case.save()
    client.force_login(kfz_staff)
    client.post(QUEUE, {"application": [str(application.uuid)]})
    application.refresh_from_db()
    assert application.dispatch == DispatchStatus.SENT
    assert not Notification.objects.filter(kind=NotificationKind.CASE_COMPLETED).exists()


def test_the_case_page_sends_staff_to_the_queue_while_documents_are_to_be_posted(kfz):
    application = decided(1)
    assert "Versandliste" in vehicle_dispatch_closing(case=application.case)
    application.dispatch = DispatchStatus.SENT
    application.save()
    assert vehicle_dispatch_closing(case=application.case) is None
