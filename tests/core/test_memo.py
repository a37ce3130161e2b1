"""core.memo: read-mostly data kept per process under the content version, as read-only copies, for at most
a minute."""

import contextvars

import pytest

from amtsweg.cases.selectors import processing_rule_in_force
from amtsweg.catalogue.models import Service
from amtsweg.catalogue.selectors import fee_list_current, service_with_department
from amtsweg.core import memo
from tests.catalogue.factories import FeeFactory, ServiceFactory


class Clock:
    """A time source the test moves on by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_memo_keeps_values_for_at_most_a_minute():
    with pytest.raises(ValueError):
        memo.Memo("tests.too-long", ttl=61)


def test_a_kept_value_expires_after_its_time():
    clock = Clock()
    kept = memo.Memo("tests.expiry", ttl=60, clock=clock)
    loads = []
    assert kept.get("key", lambda: loads.append(1) or "first", stamp=1) == "first"
    clock.now += 59
    assert kept.get("key", lambda: loads.append(1) or "second", stamp=1) == "first"
    clock.now += 1
    assert kept.get("key", lambda: loads.append(1) or "third", stamp=1) == "third"
    assert len(loads) == 2


@pytest.mark.django_db
def test_a_change_made_with_update_heals_itself_within_a_minute(monkeypatch):
    """QuerySet.update() sends no signal and so bumps no version: the memo's expiry is the backstop."""
    clock = Clock()
    monkeypatch.setattr(service_with_department.memo, "clock", clock)
    service = ServiceFactory(name_de="Alter Name")
    assert service_with_department(pk=service.pk).name_de == "Alter Name"
    Service.objects.filter(pk=service.pk).update(name_de="Neuer Name")
    assert service_with_department(pk=service.pk).name_de == "Alter Name"  # still kept: no bump
    clock.now += memo.MAX_TTL
    assert service_with_department(pk=service.pk).name_de == "Neuer Name"


@pytest.mark.django_db
def test_clear_all_empties_every_registered_memo(django_assert_num_queries):
    own = memo.Memo("tests.own")
    own.get("key", lambda: "kept", stamp=1)
    service = ServiceFactory()
    service_with_department(pk=service.pk)
    fee_list_current(service=service)
    memo.clear_all()
    assert own.get("key", lambda: "loaded again", stamp=1) == "loaded again"
    with django_assert_num_queries(2):  # the service and the fees are read again
        service_with_department(pk=service.pk)
        fee_list_current(service=service)


@pytest.mark.django_db
def test_what_one_request_changes_on_a_kept_object_no_other_request_sees():
    service = ServiceFactory(name_de="Geburtsurkunde")
    FeeFactory(service=service, code="first-copy", amount_cents=1200)
    first = service_with_department(pk=service.pk)
    first.name_de = "Verändert"
    first.department.email = "verändert@example.org"
    fee = fee_list_current(service=service)[0]
    fee.amount_cents = 1
    second = service_with_department(pk=service.pk)
    assert second is not first
    assert second.name_de == "Geburtsurkunde"
    assert second.department.email == service.department.email
    assert fee_list_current(service=service)[0].amount_cents == 1200


@pytest.mark.django_db
def test_a_kept_rules_lists_are_copied_for_each_caller():
    from tests.cases.factories import ProcessingRuleFactory

    rule = ProcessingRuleFactory(extra_states=[{"key": "geprueft", "label": {"de": "Geprüft"}}])
    first = processing_rule_in_force(service=rule.service, on=rule.valid_from)
    first.extra_states.append({"key": "fremd"})
    first.extra_states[0]["label"]["de"] = "Fremd"
    again = processing_rule_in_force(service=rule.service, on=rule.valid_from)
    assert again.extra_states == [{"key": "geprueft", "label": {"de": "Geprüft"}}]


@pytest.mark.django_db
def test_the_version_of_a_request_is_not_seen_by_another_context():
    """Under ASGI requests share threads: the version a request read is kept in its own context only."""

    def in_a_request() -> int:
        memo._request_started()
        return memo.content_version()

    first = contextvars.copy_context()
    version = first.run(in_a_request)
    assert first.run(memo._request_version.get) == version
    assert contextvars.copy_context().run(memo._request_version.get) is None
