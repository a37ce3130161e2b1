"""Reading the funnel: the steps in the form's order, the errors most frequent first, versions and periods."""

import datetime

from amtsweg.catalogue.models import Service
from amtsweg.statistics.constants import FunnelKind
from amtsweg.statistics.selectors import funnel, funnel_services
from amtsweg.statistics.services import funnel_count

DAY = datetime.date(2026, 3, 2)


def count(service, kind, times=1, *, version=1, day=DAY, **point):
    for _ in range(times):
        funnel_count(service_id=service.pk, form_version=version, kind=kind, day=day, **point)


def test_the_funnel_lists_the_steps_in_the_forms_order_with_their_share_of_the_started(kassel):
    service = Service.objects.get(slug="zuwanderung-kontakt")
    count(service, FunnelKind.STARTED, 4)
    count(service, FunnelKind.STEP, 1, step="contact", position=2)  # counted before the earlier steps
    count(service, FunnelKind.STEP, 4, step="topic", position=0)
    count(service, FunnelKind.STEP, 3, step="applicant", position=1)
    count(service, FunnelKind.CHECK, 1, position=3)
    count(service, FunnelKind.SUBMITTED, 1, position=4)

    result = funnel(service_id=service.pk, date_from=DAY, date_to=DAY)

    assert [(step.key, step.count, step.percent) for step in result.steps] == [
        ("topic", 4, 100),
        ("applicant", 3, 75),
        ("contact", 1, 25),
    ]
    assert (result.started, result.check, result.submitted, result.submitted_percent) == (4, 1, 1, 25)


def test_the_errors_of_a_step_come_most_frequent_first(kassel):
    service = Service.objects.get(slug="zuwanderung-kontakt")
    count(service, FunnelKind.STEP, 5, step="applicant", position=1)
    count(service, FunnelKind.ERROR, 1, step="applicant", field="address", position=1)
    count(service, FunnelKind.ERROR, 3, step="applicant", field="nationality", position=1)
    count(service, FunnelKind.ERROR, 2, step="applicant", field="", position=1)

    (step,) = funnel(service_id=service.pk, date_from=DAY, date_to=DAY).steps

    assert [(error.field, error.count) for error in step.errors] == [("nationality", 3), ("", 2), ("address", 1)]


def test_one_version_and_one_period_are_read_apart_from_the_rest(kassel):
    service = Service.objects.get(slug="zuwanderung-kontakt")
    count(service, FunnelKind.STARTED, 2, version=1)
    count(service, FunnelKind.STARTED, 3, version=2)
    count(service, FunnelKind.STARTED, 7, version=2, day=DAY + datetime.timedelta(days=1))

    assert funnel(service_id=service.pk, date_from=DAY, date_to=DAY).started == 5
    assert funnel(service_id=service.pk, form_version=2, date_from=DAY, date_to=DAY).started == 3
    assert funnel(service_id=service.pk, date_from=DAY, date_to=DAY + datetime.timedelta(days=1)).started == 12


def test_the_forms_with_counts_are_listed_for_the_departments_asked_for(kassel):
    immigration = Service.objects.get(slug="zuwanderung-kontakt")
    other = Service.objects.exclude(department=immigration.department).first()
    count(immigration, FunnelKind.STARTED, 2, version=1)
    count(immigration, FunnelKind.SUBMITTED, 1, version=2)
    count(other, FunnelKind.STARTED)

    (listed,) = funnel_services(department_ids=[immigration.department_id])

    assert (listed.slug, listed.versions, listed.started, listed.submitted) == (immigration.slug, [2, 1], 2, 1)
    assert {row.slug for row in funnel_services(department_ids=None)} == {immigration.slug, other.slug}
    assert funnel_services(department_ids=[]) == []
