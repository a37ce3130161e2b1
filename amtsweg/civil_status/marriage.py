"""Eheschließung anmelden: the rules of the notice of marriage and the partner's own link.

The form (``forms/eheschliessung-anmelden.yaml``) asks both partners' data; Person 1 is the applicant,
Person 2 the partner. The applicant can leave Person 2's part to the partner (answer ``partner_own``):
the steps of Person 2 (whose keys start with ``b_``) are then hidden for the applicant, and the partner
gets an email with a link of their own (``PartnerLink``: an unguessable token, kept only as its hash, valid for
``CIVIL_STATUS_MARRIAGE["partner_link_days"]``, for this one submission). Through it the partner answers
exactly those steps, sees no answer of the applicant's but the names, and confirms; their answers are
written into the submission, and the checklist and the outcome are worked out again. The applicant can
send a new link from the status page until the partner has confirmed. Every link sent and the
confirmation are in the case's audit log.
"""

from __future__ import annotations

import calendar
import datetime
import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from amtsweg.applications.formengine.base import FieldError, FormDefinition, Step
from amtsweg.applications.formengine.checklist import outcome_for
from amtsweg.applications.formengine.definition import visible_fields, with_counts
from amtsweg.applications.formengine.hooks import service_rules
from amtsweg.applications.models import Submission
from amtsweg.applications.selectors import definition_of, submission_checklist
from amtsweg.core.dates import parse_iso_date
from amtsweg.core.errors import DomainError

from .models import PartnerLink

SERVICE = "eheschliessung-anmelden"
# The steps the partner answers through their own link: Person 2's, whose keys start with "b_".
PARTNER_STEP_PREFIX = "b_"


class PartnerLinkError(DomainError):
    """A partner link that cannot be used: unknown, replaced by a newer one, or expired."""

    template = "civil_status/partner/problem.html"
    status = 404


# --- rules --------------------------------------------------------------------------------------------


def months_moved(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` calendar months later (earlier if negative), or the month's last day."""
    years, month = divmod(day.month - 1 + months, 12)
    year = day.year + years
    return day.replace(year=year, month=month + 1, day=min(day.day, calendar.monthrange(year, month + 1)[1]))


def notice_earliest(*, wedding_date: datetime.date) -> datetime.date:
    """The first day the notice can be given for a wedding on ``wedding_date`` (at most N months before)."""
    return months_moved(wedding_date, -settings.CIVIL_STATUS_MARRIAGE["notice_months"])


@service_rules.register(SERVICE)
def wedding_date_rule(answers: dict[str, Any], step_key: str | None) -> list[FieldError]:
    """The notice is given at most 6 months before the wedding: a later wish date is refused, with the day
    from which the couple can give notice."""
    if step_key not in ("wedding", None):
        return []
    wedding_date = parse_iso_date(str(answers.get("wedding_date") or ""))
    if wedding_date is None:
        return []
    earliest = notice_earliest(wedding_date=wedding_date)
    if earliest <= timezone.localdate():
        return []
    return [
        FieldError(
            key="wedding_date",
            part="day",
            message=_(
                "You can give notice of marriage at most %(months)s months before the wedding. For a wedding on "
                "%(date)s, please come back from %(earliest)s."
            )
            % {
                "months": settings.CIVIL_STATUS_MARRIAGE["notice_months"],
                "date": formats.date_format(wedding_date, "DATE_FORMAT"),
                "earliest": formats.date_format(earliest, "DATE_FORMAT"),
            },
        )
    ]


# --- the partner's link ---------------------------------------------------------------------------------


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def partner_waits(submission: Submission) -> bool:
    """Whether the submission leaves Person 2's part to the partner."""
    return submission.service.slug == SERVICE and submission.answers.get("partner_own") is True


def partner_steps(definition: FormDefinition) -> list[Step]:
    return [step for step in definition.steps if step.key.startswith(PARTNER_STEP_PREFIX)]


@transaction.atomic
def partner_link_send(*, submission: Submission, by_citizen: bool = False) -> PartnerLink | None:
    """Send the partner a new link (replacing any earlier one), for a submission that leaves Person 2's part
    to the partner and whose partner has not confirmed yet; None otherwise. Audited."""
    from amtsweg.cases.constants import AuditAction
    from amtsweg.cases.services import audit_record
    from amtsweg.core.i18n import language_or_default
    from amtsweg.notifications.constants import NotificationKind
    from amtsweg.notifications.services import notification_queue

    if not partner_waits(submission) or not submission.answers.get("partner_email"):
        return None
    token = secrets.token_urlsafe(32)
    expires_at = timezone.now() + datetime.timedelta(days=settings.CIVIL_STATUS_MARRIAGE["partner_link_days"])
    link = PartnerLink.objects.select_for_update().filter(submission=submission).first()
    if link is not None and link.confirmed_at is not None:
        return None
    if link is None:
        link = PartnerLink(submission=submission, sent_count=1)
    else:
        link.sent_count += 1
    link.token_hash = _hash(token)
    link.email = str(submission.answers["partner_email"])
    link.expires_at = expires_at
    link.save()
    notification_queue(
        kind=NotificationKind.MARRIAGE_PARTNER_LINK,
        to=link.email,
        language=language_or_default(submission.language),
        occasion_of=link.token_hash,
        submission=submission,
        sealed={"token": token, "expires_at": expires_at.isoformat()},
    )
    audit_record(
        actor=None,
        action=AuditAction.PARTNER_LINK_SENT,
        case=getattr(submission, "case", None),
        detail=f"link {link.sent_count}",
        by_citizen=by_citizen,
    )
    return link


def partner_link_for(*, token: str) -> PartnerLink:
    """The link a token opens; ``PartnerLinkError`` for an unknown, replaced or expired one. A confirmed link
    is returned: the page says that the part is confirmed."""
    link = (
        PartnerLink.objects.select_related("submission", "submission__service", "submission__form_version")
        .filter(token_hash=_hash(token or ""))
        .first()
    )
    if link is None:
        raise PartnerLinkError(
            gettext_lazy(
                "This link is not valid. It may have been replaced by a newer one: please use the link in the "
                "latest email, or ask your partner to send you a new one from their status page."
            )
        )
    if link.confirmed_at is None and link.expires_at <= timezone.now():
        raise PartnerLinkError(
            gettext_lazy(
                "This link has expired. Please ask your partner to send you a new one from their status page."
            ),
            status=410,
        )
    return link


def partner_answers_of(*, link: PartnerLink) -> dict[str, Any]:
    """What the partner sees of the submission: the answers of their own steps given so far (none of the
    applicant's), plus the wedding date their own checks need."""
    definition = definition_of(form_version=link.submission.form_version)
    keys = {spec.key for step in partner_steps(definition) for spec in step.fields}
    return {key: value for key, value in link.submission.answers.items() if key in keys}


def partner_context_answers(*, link: PartnerLink) -> dict[str, Any]:
    """The answers the partner's questions are checked against: their own, and the wedding date (for the age
    rule); never shown."""
    answers = partner_answers_of(link=link)
    answers["wedding_date"] = link.submission.answers.get("wedding_date")
    answers["partner_own"] = False  # the partner's own steps are shown to the partner
    return answers


@transaction.atomic
def partner_confirm(*, link: PartnerLink, answers: dict[str, Any]) -> Submission:
    """Write the partner's answers (their steps only) into the submission, work the outcome out again, and
    record the confirmation. A second confirmation is refused."""
    from amtsweg.cases.constants import AuditAction
    from amtsweg.cases.services import audit_record

    locked = PartnerLink.objects.select_for_update().get(pk=link.pk)
    if locked.confirmed_at is not None:
        raise PartnerLinkError(_("Your part has already been confirmed."), status=409)
    submission = Submission.objects.select_for_update().get(pk=locked.submission_id)
    definition = definition_of(form_version=submission.form_version)
    keys = {spec.key for step in partner_steps(definition) for spec in step.fields}
    merged = {key: value for key, value in submission.answers.items() if key not in keys}
    merged.update({key: value for key, value in answers.items() if key in keys and value is not None})
    submission.answers = with_counts(definition, merged)
    case = getattr(submission, "case", None)
    if not (case is not None and case.checklist_decision) and definition.outcomes:
        outcome = outcome_for(definition, submission.answers, submission_checklist(submission=submission).items)
        submission.outcome = {"key": outcome.key, "kind": outcome.kind} if outcome is not None else {}
    submission.save(update_fields=["answers", "outcome"])
    locked.confirmed_at = timezone.now()
    locked.save(update_fields=["confirmed_at"])
    audit_record(actor=None, action=AuditAction.PARTNER_CONFIRMED, case=case, detail="partner", by_citizen=True)
    return submission


def partner_state(*, submission: Submission) -> str:
    """ "confirmed", "pending" or "" (the applicant answered for both)."""
    if not partner_waits(submission):
        return ""
    link = PartnerLink.objects.filter(submission=submission).only("confirmed_at").first()
    return "confirmed" if link is not None and link.confirmed_at is not None else "pending"


def partner_answer_rows(*, submission: Submission) -> list[tuple[str, str]]:
    """Person 2's answers as the partner gave them, (label, answer) in the form's order, for the case page:
    the form's summary leaves out the steps the applicant did not answer."""
    from amtsweg.applications.formengine.base import tr
    from amtsweg.applications.formengine.registry import field_types

    definition = definition_of(form_version=submission.form_version)
    answers = {**submission.answers, "partner_own": False}
    rows = []
    for step in partner_steps(definition):
        for spec in visible_fields(step, answers):
            if spec.key in answers:
                rows.append((tr(spec.label), field_types.get(spec.type).display(spec, answers[spec.key])))
    return rows
