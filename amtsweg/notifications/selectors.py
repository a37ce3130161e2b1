"""Reads of the notifications module: which emails staff must hear about."""

import datetime

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from .constants import NotificationStatus
from .models import Notification


def notifications_overdue(*, now: datetime.datetime | None = None) -> QuerySet[Notification]:
    """Emails not sent ``NOTIFICATION_OVERDUE_MINUTES`` after they were queued, whatever their attempts.

    Read when staff look, not set by a job: an email whose task no worker ever ran (the worker died
    holding it, or none is running) is overdue all the same.
    """
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(minutes=settings.NOTIFICATION_OVERDUE_MINUTES)
    return Notification.objects.filter(created_at__lt=cutoff).exclude(status=NotificationStatus.SENT)


def case_email_problem_q(*, now: datetime.datetime | None = None) -> Q:
    """A condition on cases: staff are to be warned that an email about the case has not gone out.

    That is the case's ``notification_problem`` (set when an attempt failed, cleared once every email
    of the case went out) or an overdue email about the case or its submission (a fee-bearing
    submission's confirmation is queued before its case opens, so it names only the submission).
    """
    overdue = notifications_overdue(now=now).filter(
        Q(case_id=OuterRef("pk")) | Q(submission_id=OuterRef("submission_id"))
    )
    return Q(notification_problem=True) | Q(Exists(overdue))
