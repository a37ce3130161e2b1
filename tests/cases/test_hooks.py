"""The back office's per-service hooks (amtsweg/cases/hooks.py)."""

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
