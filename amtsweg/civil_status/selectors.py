"""Reads of the Standesamt's fulfilment: the queue, one order, its address, and the service level.

Every read for staff is limited here to the departments the staff member
belongs to (superusers see all), like ``cases.selectors``.
"""

from __future__ import annotations

import datetime
import uuid as uuid_module
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from amtsweg.cases.constants import CLOSED_STATUSES
from amtsweg.cases.selectors import case_department_ids, processing_rule_in_force
from amtsweg.catalogue.models import Department, Service
from amtsweg.core.workdays import add_working_days, working_days_between

from .constants import OPEN_STATUSES, OrderStatus
from .death_notice import FREE_PURPOSES as DEATH_NOTICE_FREE_PURPOSES
from .models import CertificateOrder

# Answer keys that may hold the postal address, first found wins; then any address-shaped answer.
ADDRESS_KEYS = ("delivery_address", "applicant_address", "address")


# --- which services, which staff -------------------------------------------------


def certificate_service_slugs() -> frozenset[str]:
    """The services whose orders go to the fulfilment queue (``settings.CIVIL_STATUS_FULFILMENT``)."""
    return frozenset(settings.CIVIL_STATUS_FULFILMENT.get("services", ()))


def is_certificate_service(service: Service) -> bool:
    return service.slug in certificate_service_slugs()


def fulfilment_department_ids(*, user: Any) -> set[int]:
    """The departments whose certificate orders ``user`` may work on; empty for everyone else."""
    departments = set(
        Service.objects.filter(slug__in=certificate_service_slugs()).values_list("department_id", flat=True)
    )
    allowed = case_department_ids(user=user)
    return departments if allowed is None else departments & allowed


def fulfilment_check_access(*, user: Any) -> set[int]:
    """The user's fulfilment departments; 403 for staff of other departments."""
    departments = fulfilment_department_ids(user=user)
    if not departments:
        raise PermissionDenied
    return departments


def _visible_orders(*, user: Any) -> QuerySet[CertificateOrder]:
    return CertificateOrder.objects.filter(case__department_id__in=fulfilment_department_ids(user=user))


# --- the queue ---------------------------------------------------------------------


def order_due_on(*, service: Service, paid_on: datetime.date) -> datetime.date:
    """The day by which the order must be posted: N working days after payment (Hesse's holidays).

    N is the service's processing deadline in force on the day of payment, or
    ``CIVIL_STATUS_FULFILMENT["working_days"]`` without a processing rule.
    """
    rule = processing_rule_in_force(service=service, on=paid_on)
    days = rule.deadline_days if rule else int(settings.CIVIL_STATUS_FULFILMENT.get("working_days", 2))
    return add_working_days(paid_on, days)


def _open_q() -> Q:
    # A case closed on the case page (withdrawn, say) takes its order out of the queue.
    return Q(status__in=OPEN_STATUSES) & ~Q(case__status__in=CLOSED_STATUSES)


def order_is_open(order: CertificateOrder) -> bool:
    return order.status in OPEN_STATUSES and order.case.status not in CLOSED_STATUSES


def order_is_overdue(order: CertificateOrder, *, today: datetime.date | None = None) -> bool:
    return order_is_open(order) and order.due_on < (today or timezone.localdate())


def order_queue_for_staff(*, user: Any, status: str = "open", overdue: bool = False) -> QuerySet[CertificateOrder]:
    """The user's orders: the work (open, printed, asked) oldest payment first; all, sent or rejected orders
    the latest first. ``status``: "open" (default), "all" or one ``OrderStatus``.

    Each carries ``awaiting_answer``: a question to the citizen is still unanswered.
    """
    from amtsweg.cases.models import DocumentRequest

    question_open = DocumentRequest.objects.filter(case_id=OuterRef("case_id"), fulfilled_at__isnull=True)
    queryset = (
        _visible_orders(user=user)
        .select_related("case", "case__service", "case__submission")
        .annotate(awaiting_answer=Exists(question_open))
    )
    if status == "open":
        queryset = queryset.filter(_open_q())
    elif status in OrderStatus.values:
        queryset = queryset.filter(status=status)
    if overdue:
        queryset = queryset.filter(_open_q(), due_on__lt=timezone.localdate())
    if status in ("all", OrderStatus.SENT, OrderStatus.REJECTED):
        return queryset.order_by("-paid_at", "-id")  # looking back: the latest first
    return queryset.order_by("paid_at", "id")


def order_get_for_staff(*, user: Any, uuid: uuid_module.UUID | str) -> CertificateOrder:
    """One order with its case; 404 if it does not exist or belongs to another department."""
    try:
        key = uuid if isinstance(uuid, uuid_module.UUID) else uuid_module.UUID(str(uuid))
    except ValueError as exc:
        raise Http404("Not a valid identifier.") from exc
    order = (
        _visible_orders(user=user)
        .select_related("case", "case__service", "case__department", "case__submission", "printed_by", "sent_by")
        .filter(uuid=key)
        .first()
    )
    if order is None:
        raise Http404("No such order.")
    return order


def order_status_counts(*, user: Any) -> dict[str, int]:
    counts = dict.fromkeys(OrderStatus.values, 0)
    for row in _visible_orders(user=user).order_by().values("status").annotate(n=Count("id")):
        counts[row["status"]] = row["n"]
    return counts


# --- what the order says -------------------------------------------------------------


def _is_address(value: Any) -> bool:
    return isinstance(value, Mapping) and bool(value.get("street")) and "postcode" in value


def order_postal_address(*, case: Any) -> list[str]:
    """The lines of the address the certificate goes to: the applicant's name, then the address answered.

    The order forms ask ``delivery_abroad``; then ``delivery_address`` (a German
    address) or ``delivery_address_abroad`` (free text) with ``delivery_country``.
    Other forms' address answers are used as a fallback.
    """
    answers = case.submission.answers if isinstance(case.submission.answers, Mapping) else {}
    lines = [case.applicant_name] if case.applicant_name else []
    if answers.get("delivery_abroad") and answers.get("delivery_address_abroad"):
        lines.extend(line.strip() for line in str(answers["delivery_address_abroad"]).splitlines() if line.strip())
        country = str(answers.get("delivery_country") or "").strip()
        if country:
            lines.append(country.upper())  # DIN 5008: the country in capitals on the last line
        return lines
    value: Any = next((answers[key] for key in ADDRESS_KEYS if _is_address(answers.get(key))), None)
    if value is None:
        value = next((v for v in answers.values() if _is_address(v)), None)
    if isinstance(value, Mapping):
        street = " ".join(str(value.get(k, "") or "").strip() for k in ("street", "number")).strip()
        if street:
            lines.append(street)
        town = " ".join(str(value.get(k, "") or "").strip() for k in ("postcode", "town")).strip()
        if town:
            lines.append(town)
    return lines


def order_copies(*, case: Any) -> int | None:
    """How many certificates were ordered (free newborn copies included), or None if the answers do not say."""
    from .entitlement import total_copies

    answers = case.submission.answers if isinstance(case.submission.answers, Mapping) else {}
    return total_copies(answers) or None


def order_needs_review(*, case: Any) -> bool:
    """Ordered for another person with a legal interest: the Standesamt checks the proof before printing."""
    from .entitlement import needs_manual_review

    answers = case.submission.answers if isinstance(case.submission.answers, Mapping) else {}
    return needs_manual_review(answers)


def order_review_open(*, order: Any) -> bool:
    """The proof still waits for a clerk: the badge and the "accept" button show."""
    return order_needs_review(case=order.case) and order.proof_approved_at is None


# Free newborn certificates by purpose; the names are the benefits' own, the same in every language.
FREE_PURPOSES = {
    "elterngeld": "Elterngeld",
    "kindergeld": "Kindergeld",
    "mutterschaftsgeld": "Mutterschaftsgeld",
    **DEATH_NOTICE_FREE_PURPOSES,  # the free death certificates ordered with a death notice
}


def order_copies_split(*, case: Any) -> tuple[list[str], int]:
    """(the benefits of the free certificates, by name, the number of paid ones) of an order."""
    from .entitlement import copies_split

    answers = case.submission.answers if isinstance(case.submission.answers, Mapping) else {}
    free, paid = copies_split(answers)
    return [FREE_PURPOSES.get(purpose, purpose) for purpose in free], paid


def order_legal_reason(*, case: Any) -> str:
    """The legal interest the citizen gave for an order for another person ("" if none)."""
    answers = case.submission.answers if isinstance(case.submission.answers, Mapping) else {}
    return str(answers.get("legal_reason") or "")


def order_proof_files(*, case: Any) -> list[Any]:
    """The files the citizen sent as proof of a legal interest (the order form's "proof" answer)."""
    return list(case.submission.files.filter(field_key="proof").order_by("uploaded_at", "pk"))


def orders_to_print(*, user: Any) -> QuerySet[CertificateOrder]:
    """The day's batch: every order of the user's departments waiting to be printed, oldest first."""
    return order_queue_for_staff(user=user).filter(status=OrderStatus.QUEUED)


# --- the measured service level ----------------------------------------------------------


@dataclass
class WeekLevel:
    """One ISO week of payments: how fast its orders were sent."""

    year: int
    week: int
    monday: datetime.date
    paid: int = 0
    within_1: int = 0
    within_2: int = 0
    later: int = 0
    open: int = 0
    rejected: int = 0

    @property
    def sent(self) -> int:
        return self.within_1 + self.within_2 + self.later

    @property
    def within_2_share(self) -> int | None:
        """Percent of the sent orders that went out within two working days."""
        return round(100 * (self.within_1 + self.within_2) / self.sent) if self.sent else None


@dataclass
class ServiceLevel:
    weeks: list[WeekLevel] = field(default_factory=list)
    overdue: list[CertificateOrder] = field(default_factory=list)


def order_working_days_to_send(order: CertificateOrder) -> int | None:
    """Working days from the day of payment to the day of posting (same day: 0); None while not sent."""
    if order.sent_at is None:
        return None
    return working_days_between(timezone.localdate(order.paid_at), timezone.localdate(order.sent_at))


def service_level(*, user: Any, start: datetime.date | None = None, end: datetime.date | None = None) -> ServiceLevel:
    """Per ISO week of payment (newest first): orders sent within 1, 2 and more than 2 working days; overdue now.

    Weeks run from ``start`` to ``end`` (payment dates, default: the last 12 weeks up to today).
    """
    today = timezone.localdate()
    end = end or today
    start = start or (end - datetime.timedelta(weeks=11, days=end.weekday()))
    tz = timezone.get_current_timezone()
    since = datetime.datetime.combine(start, datetime.time.min, tzinfo=tz)
    until = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    weeks: dict[tuple[int, int], WeekLevel] = {}
    orders = _visible_orders(user=user).filter(paid_at__gte=since, paid_at__lt=until)
    for order in orders.only("status", "paid_at", "sent_at").order_by():
        paid_on = timezone.localdate(order.paid_at)
        year, week, weekday = paid_on.isocalendar()
        row = weeks.get((year, week))
        if row is None:
            row = weeks[(year, week)] = WeekLevel(
                year=year, week=week, monday=paid_on - datetime.timedelta(days=weekday - 1)
            )
        row.paid += 1
        days = order_working_days_to_send(order)
        if order.status == OrderStatus.REJECTED:
            row.rejected += 1
        elif days is None:
            row.open += 1
        elif days <= 1:
            row.within_1 += 1
        elif days == 2:
            row.within_2 += 1
        else:
            row.later += 1
    overdue = list(order_queue_for_staff(user=user, overdue=True))
    return ServiceLevel(weeks=sorted(weeks.values(), key=lambda w: (w.year, w.week), reverse=True), overdue=overdue)


def department_of_orders(*, user: Any) -> list[Department]:
    return list(Department.objects.filter(pk__in=fulfilment_department_ids(user=user)).order_by("slug"))


# --- the free certificates of a death notice ---------------------------------------------------------------


def death_notice_certificate_case(*, case: Any) -> Any:
    """The case of the free certificates' order made when a death notice was completed, or None."""
    from amtsweg.cases.models import Case

    from .death_notice import ORDER_LINK

    slug = settings.CIVIL_STATUS_DEATH_NOTICE["certificate_service"]
    return (
        Case.objects.select_related("submission")
        .filter(service__slug=slug, **{f"submission__answers__{ORDER_LINK}": case.reference})
        .first()
    )
