"""The back office's per-service hooks (amtsweg/cases/hooks.py)."""

import pytest

from amtsweg.cases.hooks import CaseHooks, case_hooks


def test_functions_run_in_order_once_each_and_the_first_label_wins():
    hooks = CaseHooks()
    calls = []

    def first(*, case):
        calls.append(("first", case))

    def second(*, case):
        calls.append(("second", case))

    hooks.on_open(first)
    hooks.on_open(second)
    hooks.on_open(first)  # registered again (a module imported twice): still once, now last
    hooks.opened(case="c")
    assert calls == [("second", "c"), ("first", "c")]

    def no_opinion(*, case):
        return None

    def precise(*, case):
        return f"label of {case}"

    hooks.citizen_status(no_opinion)
    hooks.citizen_status(precise)
    assert hooks.citizen_status_label(case="c") == "label of c"
    assert CaseHooks().citizen_status_label(case="c") is None


def test_the_standesamt_registers_its_fulfilment_hooks():
    assert any(f.__module__ == "amtsweg.civil_status.hooks" for f in case_hooks.functions("on_open"))
    assert any(f.__module__ == "amtsweg.civil_status.hooks" for f in case_hooks.functions("citizen_status"))


@pytest.mark.django_db
def test_a_status_hook_sees_the_move_and_can_refuse_it_so_that_nothing_is_saved(service, staff):
    from amtsweg.cases.constants import CaseStatus, EventKind
    from amtsweg.cases.errors import CaseError
    from amtsweg.cases.services import case_transition
    from amtsweg.notifications.models import Notification

    from .factories import CaseFactory

    case = CaseFactory.for_service(service, status=CaseStatus.IN_PROGRESS, submission__email="erika@example.org")
    seen = []

    def decide(*, case, from_status, to_status, actor):
        seen.append((case.reference, from_status, to_status, actor))
        if to_status == CaseStatus.COMPLETED:
            raise CaseError("The register did not take it.")

    case_hooks.on_status(decide)
    try:
        with pytest.raises(CaseError, match="did not take it"):
            case_transition(case=case, to_status=CaseStatus.COMPLETED, actor=staff)
        case.refresh_from_db()
        assert case.status == CaseStatus.IN_PROGRESS and case.closed_at is None
        assert not case.events.filter(kind=EventKind.STATUS).exists()
        assert not Notification.objects.exists()
        case_transition(case=case, to_status=CaseStatus.WAITING, actor=staff)
    finally:
        case_hooks.remove("on_status", decide)
    assert seen == [
        (case.reference, CaseStatus.IN_PROGRESS, CaseStatus.COMPLETED, staff),
        (case.reference, CaseStatus.IN_PROGRESS, CaseStatus.WAITING, staff),
    ]


def test_staff_panels_are_collected_in_order_and_none_is_left_out():
    from amtsweg.cases.hooks import CasePanel

    hooks = CaseHooks()

    def register_panel(*, case, user):
        return CasePanel(template="x.html", context={"case": case, "user": user})

    def nothing(*, case, user):
        return None

    hooks.staff_panel(nothing)
    hooks.staff_panel(register_panel)
    assert hooks.panels(case="c", user="u") == [CasePanel(template="x.html", context={"case": "c", "user": "u"})]


def test_the_buergerbuero_registers_the_decision_and_the_register_panel():
    assert any(f.__module__ == "amtsweg.residents.hooks" for f in case_hooks.functions("on_status"))
    assert any(f.__module__ == "amtsweg.residents.hooks" for f in case_hooks.functions("staff_panel"))


def test_the_buergerbuero_registers_the_registers_findings_for_the_inbox():
    assert any(f.__module__ == "amtsweg.residents.staff" for f in case_hooks.functions("inbox_lines"))
