"""The survey's satisfaction per service and period, for the usage dashboard: counts, mean, share satisfied,
and no ratings for a service that too few people rated."""

import datetime

import pytest

from amtsweg.feedback.selectors import MIN_GROUP_SIZE, satisfaction_by_service
from tests.catalogue.factories import ServiceFactory

from .factories import ResponseFactory

pytestmark = pytest.mark.django_db

FROM = datetime.date(2026, 11, 2)
TO = datetime.date(2026, 11, 29)


def _responses(service, *ratings, day=FROM, campaign=None):  # type: ignore[no-untyped-def]
    for rating in ratings:
        ResponseFactory(service=service, satisfaction=rating, submitted_on=day, campaign=campaign)


def test_counts_mean_and_share_satisfied_per_service(campaign, service):
    other = ServiceFactory()
    _responses(service, 5, 4, 3, 1, None, campaign=campaign)  # one response without a rating
    _responses(service, 2, day=TO, campaign=campaign)  # the period's last day counts
    _responses(service, 5, 5, day=FROM - datetime.timedelta(days=1), campaign=campaign)  # before the period
    _responses(service, 5, day=TO + datetime.timedelta(days=1), campaign=campaign)  # after it
    _responses(other, 4, 4, 4, campaign=campaign)
    _responses(None, 1, 1, 1, campaign=campaign)  # the footer survey: no service
    figures = satisfaction_by_service(service_ids=None, date_from=FROM, date_to=TO)
    assert [(f.service_id, f.responses, f.rated) for f in figures] == [(service.pk, 6, 5), (other.pk, 3, 3)]
    mine = figures[0]
    assert mine.average == 3.0  # (5 + 4 + 3 + 1 + 2) / 5
    assert mine.satisfied_share == pytest.approx(2 / 5)  # 4 and 5 count as satisfied
    assert mine.satisfied_percent == 40.0
    assert not mine.hidden
    assert (figures[1].average, figures[1].satisfied_share) == (4.0, 1.0)


def test_the_mean_is_rounded_as_on_the_feedback_dashboard(campaign, service):
    _responses(service, 5, 4, 4, campaign=campaign)
    [figures] = satisfaction_by_service(service_ids=[service.pk], date_from=FROM, date_to=TO)
    assert figures.average == 4.33
    assert figures.satisfied_percent == 100.0


def test_only_the_services_asked_for(campaign, service):
    other = ServiceFactory()
    _responses(service, 4, 4, 4, campaign=campaign)
    _responses(other, 4, 4, 4, campaign=campaign)
    assert [f.service_id for f in satisfaction_by_service(service_ids=[other.pk], date_from=FROM, date_to=TO)] == [
        other.pk
    ]
    assert satisfaction_by_service(service_ids=[], date_from=FROM, date_to=TO) == []


def test_a_service_rated_by_fewer_than_the_minimum_group_shows_counts_but_no_ratings(campaign, service):
    assert MIN_GROUP_SIZE == 3
    # Five responses, but only two rated: their mean would tell both ratings.
    _responses(service, 5, 1, None, None, None, campaign=campaign)
    [figures] = satisfaction_by_service(service_ids=None, date_from=FROM, date_to=TO)
    assert (figures.responses, figures.rated) == (5, 2)
    assert figures.hidden
    assert (figures.average, figures.satisfied_share, figures.satisfied_percent) == (None, None, None)
    _responses(service, 4, campaign=campaign)  # the third rating: now shown
    [figures] = satisfaction_by_service(service_ids=None, date_from=FROM, date_to=TO)
    assert not figures.hidden
    assert (figures.average, figures.satisfied_share) == (3.33, pytest.approx(2 / 3))
