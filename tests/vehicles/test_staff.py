"""The registration office's side of an i-Kfz application: the case page's panel "Vehicle registry", approving
or refusing a referred application, sending one again, the inbox lines, and who may do it."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from amtsweg.cases.constants import AuditAction, CaseStatus, EventKind
from amtsweg.cases.models import AuditEntry
from amtsweg.catalogue.models import Department
from amtsweg.vehicles.constants import ApplicationState, DispatchStatus, ReasonCode
from amtsweg.vehicles.models import VehicleApplication
from tests.accounts.factories import StaffFactory
from tests.cases.factories import CaseFactory
from tests.catalogue.factories import ServiceFactory

from .cases import (
    DEREGISTRATION_SERVICE,
    GOLF_OFF_ROAD,
    NEW_ID3,
    NEW_REGISTRATION_SERVICE,
    OCTAVIA_OFF_ROAD,
    vehicle_case,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def back_office(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.VAR_DIR = tmp_path / "var"  # the demo seal's key, for the proof an approval issues
    settings.STAFF_2FA_REQUIRED = False


@pytest.fixture
def clerk(kassel):
    return StaffFactory(username="kurt", departments=[Department.objects.get(slug="kfz")])


@pytest.fixture
def staff(clerk):
    client = Client()
    client.force_login(clerk)
    return client


@pytest.fixture
def referred(kassel, demo_vehicle_registry_server, run_tasks):
    """Erika's Octavia (V-0004), flagged at the registry: the deregistration is referred to staff."""
    case = vehicle_case(DEREGISTRATION_SERVICE, **OCTAVIA_OFF_ROAD)
    run_tasks()
    assert VehicleApplication.objects.get(case=case).state == ApplicationState.REVIEW
    return case


def action_url(case):
    return reverse("vehicles:registry_action", kwargs={"uuid": case.uuid})


def case_url(case):
    return reverse("cases:case_detail", kwargs={"uuid": case.uuid})


def act(client, case, **data):
    """A POST from the case page, as the browser sends it (the error goes back there with the message)."""
    return client.post(action_url(case), data, HTTP_REFERER=f"http://testserver{case_url(case)}", follow=True)


def inbox_lines(client):
    html = client.get(reverse("cases:inbox")).content.decode()
    return re.findall(r"<span class=\"kern-body--small\" data-inbox-line>([^<]*)</span>", html)


def application_of(case):
    return VehicleApplication.objects.get(case=case)


def audited(case):
    return list(
        AuditEntry.objects.filter(case_uuid=case.uuid, action=AuditAction.VEHICLE_REGISTRY).values_list(
            "actor_label", "detail"
        )
    )


# --- the panel and the inbox ---------------------------------------------------------------------------------


def test_the_case_page_shows_the_referral_with_its_reason_and_the_actions(staff, referred):
    html = staff.get(case_url(referred)).content.decode()
    assert "Fahrzeugregister" in html and 'data-registry-state="review"' in html
    assert "data-registry-review" in html and 'data-registry-office="kassel"' in html
    assert application_of(referred).number in html
    assert f'data-reason="{ReasonCode.MANUAL}"' in html and "liegt ein Hinweis vor" in html  # the registry's text
    assert 'id="form-registry-approve"' in html and 'id="form-registry-refuse"' in html
    assert 'id="form-registry-resend"' not in html
    assert 'href="#message-heading"' in html  # asking the citizen is the page's message
    # The status form offers no end: the decision in the panel ends the case, so the citizen is told.
    assert 'value="completed"' not in html and 'value="rejected"' not in html and "data-closing-elsewhere" in html


def test_the_inbox_says_which_applications_need_a_person_or_the_post(
    staff, kassel, demo_vehicle_registry_server, run_tasks
):
    vehicle_case(DEREGISTRATION_SERVICE, **OCTAVIA_OFF_ROAD)
    vehicle_case(NEW_REGISTRATION_SERVICE, **NEW_ID3)
    vehicle_case(DEREGISTRATION_SERVICE, **GOLF_OFF_ROAD)
    run_tasks()  # referred; approved, to post; approved and completed
    demo_vehicle_registry_server.stop()
    vehicle_case(DEREGISTRATION_SERVICE, plate="KS-MM 314", zb1_code="Mx3Rb8Q", seal_front="Gw5", seal_rear="t6H")
    run_tasks()
    with translation.override("de"):
        manual = str(ReasonCode.MANUAL.label)
    assert sorted(inbox_lines(staff)) == [
        f"Fahrzeugregister: Entscheidung nötig — {manual}",
        "Fahrzeugregister: nicht erreichbar (1 Versuch)",
        "Genehmigt — zu versenden",
    ]


def test_the_inbox_reads_the_applications_of_a_page_in_one_query(
    staff, kassel, demo_vehicle_registry, run_tasks, django_assert_max_num_queries
):
    from amtsweg.vehicles.selectors import vehicle_service_ids
    from amtsweg.vehicles.staff import registry_inbox_lines

    cases = [
        vehicle_case(DEREGISTRATION_SERVICE, **OCTAVIA_OFF_ROAD),
        vehicle_case(NEW_REGISTRATION_SERVICE, **NEW_ID3),
    ]
    other = CaseFactory.for_service(ServiceFactory(department=Department.objects.get(slug="kfz")))
    run_tasks()
    vehicle_service_ids()  # kept once per process (until the catalogue changes)
    with django_assert_max_num_queries(1):
        lines = registry_inbox_lines(cases=cases)
    assert set(lines) == {str(case.uuid) for case in cases}
    with django_assert_max_num_queries(0):
        assert registry_inbox_lines(cases=[other]) == {}  # a page without i-Kfz cases reads nothing


# --- staff decide a referral ---------------------------------------------------------------------------------


def test_staff_approve_a_referral_at_the_registry_and_the_case_completes(
    staff, clerk, referred, demo_vehicle_registry_server
):
    response = act(staff, referred, action="approve")
    assert response.status_code == 200
    assert "Der Antrag wurde genehmigt." in response.content.decode()
    application = application_of(referred)
    assert application.state == ApplicationState.APPROVED and application.plate == "KS-EM 77"
    record = demo_vehicle_registry_server.read()["applications"][application.number]
    assert record["outcome"] == "approved" and record["staff"]["actor"] == "kurt"
    referred.refresh_from_db()
    assert referred.status == CaseStatus.COMPLETED  # a deregistration: nothing to post
    assert audited(referred) == [("kurt", f"review → approved {application.number}")]


def test_a_double_click_on_approve_decides_once_and_says_so(staff, referred):
    act(staff, referred, action="approve")
    response = act(staff, referred, action="approve")
    assert response.status_code == 200
    assert "Über diesen Antrag ist schon entschieden" in response.content.decode()
    assert len(audited(referred)) == 1
    assert referred.events.filter(kind=EventKind.STATUS, to_status=CaseStatus.COMPLETED).count() == 1


def test_refusing_needs_a_reason_and_nothing_changes_without_one(staff, referred):
    response = act(staff, referred, action="refuse", **{"refuse-reason": "   "})
    assert response.status_code == 200
    assert "Geben Sie den Grund für die Ablehnung des Antrags ein." in response.content.decode()
    assert application_of(referred).state == ApplicationState.REVIEW
    referred.refresh_from_db()
    assert referred.status == CaseStatus.RECEIVED


def test_staff_refuse_with_a_reason_the_citizen_reads_with_what_to_do(staff, referred, demo_vehicle_registry_server):
    reason = "Für das Fahrzeug liegt eine Sperre der Polizei vor."
    act(staff, referred, action="refuse", **{"refuse-reason": reason})
    application = application_of(referred)
    assert application.state == ApplicationState.REFUSED
    assert demo_vehicle_registry_server.read()["applications"][application.number]["outcome"] == "refused"
    referred.refresh_from_db()
    assert referred.status == CaseStatus.REJECTED
    assert f"– {reason}" in referred.rejection_reason and "Termin" in referred.rejection_reason
    # The registry still knows the vehicle as registered.
    assert demo_vehicle_registry_server.read()["vehicles"]["V-0004"]["status"] == "registered"


def test_a_registry_that_is_down_when_staff_decide_changes_nothing_and_says_so(
    staff, referred, demo_vehicle_registry_server
):
    demo_vehicle_registry_server.stop()
    response = act(staff, referred, action="approve")
    assert "Das Fahrzeugregister ist gerade nicht erreichbar. Es wurde nichts entschieden." in response.content.decode()
    assert application_of(referred).state == ApplicationState.REVIEW
    assert audited(referred) == []


def test_an_unknown_action_or_a_case_in_the_wrong_state_gives_a_message_not_an_error(
    staff, kassel, demo_vehicle_registry, run_tasks
):
    case = vehicle_case(NEW_REGISTRATION_SERVICE, **NEW_ID3)
    run_tasks()  # approved
    assert "Wählen Sie, was mit dem Antrag geschehen soll." in act(staff, case, action="burn").content.decode()
    assert "schon entschieden" in act(staff, case, action="refuse", **{"refuse-reason": "Nein"}).content.decode()
    assert "schon entschieden" in act(staff, case, action="resend").content.decode()
    assert application_of(case).dispatch == DispatchStatus.QUEUED


# --- staff send again ----------------------------------------------------------------------------------------


def test_staff_send_an_unreachable_application_again_once_the_registry_is_back(
    staff, clerk, kassel, demo_vehicle_registry_server, run_tasks
):
    demo_vehicle_registry_server.stop()
    case = vehicle_case(DEREGISTRATION_SERVICE, **GOLF_OFF_ROAD)
    run_tasks()
    html = staff.get(case_url(case)).content.decode()
    assert "data-registry-unavailable" in html and 'id="form-registry-resend"' in html
    assert 'id="form-registry-approve"' not in html
    response = act(staff, case, action="resend")
    assert "Das Fahrzeugregister ist noch immer nicht erreichbar." in response.content.decode()
    demo_vehicle_registry_server.start()
    act(staff, case, action="resend")
    assert application_of(case).state == ApplicationState.APPROVED
    assert [detail for _actor, detail in audited(case)] == ["send again", "send again"]
    case.refresh_from_db()
    assert case.status == CaseStatus.COMPLETED


# --- who may act ---------------------------------------------------------------------------------------------


def test_staff_of_another_department_can_neither_see_nor_act(referred):
    outsider = StaffFactory(username="olga", departments=[Department.objects.get(slug="buergerbuero")])
    client = Client()
    client.force_login(outsider)
    assert client.post(action_url(referred), {"action": "approve"}).status_code == 404
    assert client.get(case_url(referred)).status_code == 404
    assert application_of(referred).state == ApplicationState.REVIEW


def test_only_a_post_is_taken_and_anonymous_visitors_go_to_the_login(referred):
    client = Client()
    assert client.post(action_url(referred), {"action": "approve"})["Location"].startswith("/intern/anmelden/")
    staff = Client()
    staff.force_login(StaffFactory(departments=[Department.objects.get(slug="kfz")]))
    assert staff.get(action_url(referred)).status_code == 405
    assert application_of(referred).state == ApplicationState.REVIEW


def test_a_case_of_another_service_has_no_vehicle_action(staff, kassel):
    other = CaseFactory.for_service(ServiceFactory(department=Department.objects.get(slug="kfz")))
    assert staff.post(action_url(other), {"action": "approve"}).status_code == 404
