"""Reads of the back office. Views call these; they hold no query logic themselves.

Every list and lookup for staff is limited to the staff member's departments
here, in the selector, so no view can forget it. Superusers see every case.
"""

from __future__ import annotations

import datetime
import logging
import re
import time
import uuid as uuid_module
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import (
    BooleanField,
    Count,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models import Case as CaseWhen
from django.db.models.functions import Replace, Upper
from django.http import Http404
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.formats import get_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from amtsweg.accounts.selectors import staff_department_ids
from amtsweg.applications.models import StoredFile
from amtsweg.catalogue.models import Service
from amtsweg.core.memo import Row, memo
from amtsweg.notifications.selectors import case_email_problem_q

from .constants import CLOSED_STATUSES, CaseStatus, ChecklistDecision, EventKind
from .models import AuditEntry, Case, CaseEvent, DocumentRequest, ProcessingRule

if TYPE_CHECKING:
    from amtsweg.accounts.models import User
    from amtsweg.applications.models import Submission

logger = logging.getLogger(__name__)

DEFAULT_DEADLINE_DAYS = 10
UNASSIGNED = "unassigned"
ME = "me"


# --- who sees what ------------------------------------------------------------


def case_department_ids(*, user: Any) -> set[int] | None:
    """The departments whose cases ``user`` may see; ``None`` means all (superusers).

    A case belongs to a department, so these are the staff member's departments.
    """
    return staff_department_ids(user=user)


def _visible_cases(*, user: Any) -> QuerySet[Case]:
    allowed = case_department_ids(user=user)
    queryset = Case.objects.all()
    if allowed is not None:
        queryset = queryset.filter(department_id__in=allowed)
    return queryset


# --- processing rules and states ----------------------------------------------


def processing_rule_in_force(*, service: Service, on: datetime.date | None = None) -> ProcessingRule | None:
    """The service's rule with the newest ``valid_from`` not after ``on`` (today by default).

    Kept in the process per content version (core.memo), which every change of a rule bumps (signals.py):
    opening a case and a certificate order's due date each need it. Each call gets its own instance.
    """
    return _rule_in_force(service_id=service.pk, on=on or timezone.localdate())


@memo("cases.processing_rule_in_force")
def _rule_in_force(*, service_id: int, on: datetime.date) -> ProcessingRule | None:
    rule = ProcessingRule.objects.filter(service_id=service_id, valid_from__lte=on).order_by("-valid_from").first()
    return Row.of(rule) if rule is not None else None  # type: ignore[return-value]


def _label(text: Mapping[str, str] | str | None, fallback: str) -> str:
    if not text:
        return fallback
    if isinstance(text, str):
        return text
    language = (get_language() or "de")[:2]
    return text.get(language) or text.get("de") or next(iter(text.values()), fallback)


def extra_states_of(rule: ProcessingRule | None) -> dict[str, str]:
    """The extra states of a rule as {key: label in the active language}, in their order."""
    if rule is None:
        return {}
    states: dict[str, str] = {}
    for item in rule.extra_states or []:
        if isinstance(item, Mapping) and item.get("key"):
            key = str(item["key"])
            states[key] = _label(item.get("label"), key)
    return states


def case_status_labels(*, user: Any | None = None, services: Iterable[Service] | None = None) -> dict[str, str]:
    """Labels of the standard states and of the extra states of the given (or the user's) services.

    One query, whatever the number of services or cases.
    """
    labels: dict[str, str] = {str(value): str(label) for value, label in CaseStatus.choices}
    rules = ProcessingRule.objects.all()
    if services is not None:
        rules = rules.filter(service__in=list(services))
    elif user is not None:
        allowed = case_department_ids(user=user)
        if allowed is not None:
            rules = rules.filter(service__department_id__in=allowed)
    today = timezone.localdate()
    # Older rules first, so the label in force today wins.
    for rule in rules.filter(valid_from__lte=today).order_by("valid_from"):
        for key, label in extra_states_of(rule).items():
            if key not in CaseStatus.values:
                labels[key] = label
    return labels


def case_status_label(*, case: Case, labels: Mapping[str, str] | None = None) -> str:
    """The case's state in words; a service module may name it more precisely (``hooks.case_hooks.citizen_status``)."""
    from .hooks import case_hooks

    specific = case_hooks.citizen_status_label(case=case)
    if specific:
        return specific
    if labels and case.status in labels:
        return labels[case.status]
    if case.status in CaseStatus.values:
        return str(CaseStatus(case.status).label)
    return str(extra_states_of(processing_rule_in_force(service=case.service)).get(case.status, case.status))


# --- the inbox ------------------------------------------------------------------


def case_is_overdue(case: Case, *, now: datetime.datetime | None = None) -> bool:
    """Past its due date and not closed."""
    if case.due_at is None or case.status in CLOSED_STATUSES:
        return False
    return case.due_at < (now or timezone.now())


def _overdue_q(now: datetime.datetime) -> Q:
    return Q(due_at__lt=now) & ~Q(status__in=CLOSED_STATUSES)


def _compact_reference(text: str) -> str:
    return re.sub(r"[\s\-–]", "", text).upper()


# What an inbox row shows; the service's long texts and the answers stay in the database.
_INBOX_CASE = ("uuid", "reference", "status", "applicant_name", "created_at", "due_at")
_INBOX_ASSIGNEE = ("assignee__username", "assignee__first_name", "assignee__last_name")
INBOX_FIELDS = (
    *_INBOX_CASE,
    "department_id",
    "service__slug",
    "service__name_de",
    "service__name_en",
    *_INBOX_ASSIGNEE,
)


# The same, read as plain values for one page of the inbox: 50 model instances with
# their service and assignee cost about as much as the rest of the page's queries.
INBOX_ROW_FIELDS = (*_INBOX_CASE, "is_overdue", "email_problem", "service_id", *_INBOX_ASSIGNEE)


def case_inbox_rows(*, cases: QuerySet[Case]) -> QuerySet[Any]:
    """``cases`` from ``case_list_for_staff`` as dicts of ``INBOX_ROW_FIELDS``, in the same order.

    ``email_problem`` is ``case_email_problem`` for each row, in the same query.
    """
    return cases.annotate(
        email_problem=CaseWhen(
            When(case_email_problem_q(), then=Value(True)), default=Value(False), output_field=BooleanField()
        )
    ).values(*INBOX_ROW_FIELDS)


def case_email_problem(*, case: Case) -> bool:
    """Whether staff are warned that an email about ``case`` has not gone out: one failed, or one is overdue
    (``notifications.selectors.case_email_problem_q``)."""
    return Case.objects.filter(pk=case.pk).filter(case_email_problem_q()).exists()


def case_list_for_staff(
    *,
    user: Any,
    service: Service | str | None = None,
    status: str | None = None,
    assignee: User | str | None = None,
    age_days: int | None = None,
    overdue: bool = False,
    q: str = "",
) -> QuerySet[Case]:
    """The cases ``user`` may see, filtered, newest first, with what the inbox shows.

    ``service`` is a Service or its slug; ``assignee`` a staff member, a username,
    ``"me"`` or ``"unassigned"``; ``age_days`` keeps cases received at least that
    many days ago; ``q`` matches the reference (with or without dashes, any case)
    or the applicant's name. Each row carries ``is_overdue``.
    """
    now = timezone.now()
    queryset = (
        _visible_cases(user=user)
        .select_related("service", "assignee")
        .only(*INBOX_FIELDS)
        .annotate(
            is_overdue=CaseWhen(
                When(_overdue_q(now), then=Value(True)), default=Value(False), output_field=BooleanField()
            )
        )
        .order_by("-created_at", "-id")
    )
    if service:
        queryset = (
            queryset.filter(service=service) if isinstance(service, Service) else queryset.filter(service__slug=service)
        )
    if status:
        queryset = queryset.filter(status=status)
    if assignee == UNASSIGNED:
        queryset = queryset.filter(assignee__isnull=True)
    elif assignee == ME:
        queryset = queryset.filter(assignee=user)
    elif isinstance(assignee, str) and assignee:
        queryset = queryset.filter(assignee__username=assignee)
    elif assignee is not None and not isinstance(assignee, str):
        queryset = queryset.filter(assignee=assignee)
    if age_days is not None:
        queryset = queryset.filter(created_at__lte=now - datetime.timedelta(days=age_days))
    if overdue:
        queryset = queryset.filter(_overdue_q(now))
    q = (q or "").strip()
    if q:
        match = Q(applicant_name__icontains=q)
        compact = _compact_reference(q)
        if compact:
            queryset = queryset.annotate(
                reference_compact=Replace(Upper("reference"), Value("-"), Value("")),
            )
            match |= Q(reference_compact__contains=compact)
        queryset = queryset.filter(match)
    return queryset


# The inbox shows counts over all of a department's cases on every view; with
# 100,000 cases they cost tens of milliseconds. They are cached per set of
# departments and invalidated by any change to any case (signals.py bumps the
# version after commit). The overdue count also depends on the clock, so the
# counts live at most COUNTS_TTL seconds. One grouped query gives both the
# counts per status and the overdue count, in one cache entry.
CASES_VERSION_KEY = "amtsweg:cases-version"
COUNTS_TTL = 60


def _counts_key(user: Any) -> str:
    departments = case_department_ids(user=user)
    scope = "all" if departments is None else ",".join(str(d) for d in sorted(departments))
    version = cache.get(CASES_VERSION_KEY)
    if version is None:
        cache.add(CASES_VERSION_KEY, time.time_ns(), timeout=None)
        version = cache.get(CASES_VERSION_KEY, 0)
    return f"amtsweg:case-counts:{version}:{scope}"


def case_counts_for_staff(*, user: Any) -> tuple[dict[str, int], int]:
    """How many of the user's cases are in each state (every standard state, 0 included), and how many are overdue.

    Overdue as in ``case_is_overdue``: past the due date and not closed.
    """
    key = _counts_key(user)
    counted = cache.get(key)
    if counted is None:
        by_status: dict[str, int] = dict.fromkeys(CaseStatus.values, 0)
        overdue = 0
        rows = (
            _visible_cases(user=user)
            .order_by()
            .values("status")
            .annotate(n=Count("id"), late=Count("id", filter=Q(due_at__lt=timezone.now())))
        )
        for row in rows:
            by_status[row["status"]] = row["n"]
            if row["status"] not in CLOSED_STATUSES:
                overdue += row["late"]
        counted = (by_status, overdue)
        cache.set(key, counted, COUNTS_TTL)
    return dict(counted[0]), int(counted[1])


def case_status_counts(*, user: Any) -> dict[str, int]:
    """How many of the user's cases are in each state (every standard state, 0 included)."""
    return case_counts_for_staff(user=user)[0]


def case_overdue_count(*, user: Any) -> int:
    return case_counts_for_staff(user=user)[1]


def service_list_for_staff(*, user: Any) -> QuerySet[Service]:
    """The services of the user's departments, for the inbox filter."""
    queryset = Service.objects.only("pk", "slug", "name_de", "name_en", "department_id").order_by("slug")
    allowed = case_department_ids(user=user)
    if allowed is not None:
        queryset = queryset.filter(department_id__in=allowed)
    return queryset


def service_names(*, ids: Iterable[int]) -> dict[int, str]:
    """The names of these services in the active language, by id."""
    services = Service.objects.filter(pk__in=list(ids)).only("pk", "name_de", "name_en")
    return {service.pk: service.name for service in services}


def staff_list_colleagues(*, user: Any, department_id: int | None = None) -> QuerySet[User]:
    """Active staff of one department, or of any of the user's departments, by name."""
    from amtsweg.accounts.models import User

    queryset = User.objects.filter(is_active=True, departments__isnull=False)
    if department_id is not None:
        queryset = queryset.filter(departments=department_id)
    else:
        allowed = case_department_ids(user=user)
        if allowed is not None:
            queryset = queryset.filter(departments__in=allowed)
    return queryset.distinct().order_by("last_name", "first_name", "username")


# --- one case ---------------------------------------------------------------------


def case_get_for_staff(*, user: Any, uuid: uuid_module.UUID | str) -> Case:
    """The case with everything its page shows; 404 if it does not exist or belongs to another department."""
    queryset = _visible_cases(user=user).select_related("service", "department", "assignee", "submission")
    queryset = queryset.prefetch_related(
        Prefetch("events", queryset=CaseEvent.objects.select_related("actor").prefetch_related("attachments")),
        Prefetch(
            "document_requests",
            queryset=DocumentRequest.objects.select_related("requested_by")
            .prefetch_related("files")
            .order_by("requested_at", "id"),
        ),
        Prefetch(
            "submission__files",
            queryset=StoredFile.objects.select_related("uploaded_by_staff").order_by("uploaded_at", "id"),
        ),
    )
    case = queryset.filter(uuid=_as_uuid(uuid)).first()
    if case is None:
        raise Http404("No such case.")
    return case


def _as_uuid(value: uuid_module.UUID | str) -> uuid_module.UUID:
    if isinstance(value, uuid_module.UUID):
        return value
    try:
        return uuid_module.UUID(str(value))
    except ValueError as exc:
        raise Http404("Not a valid identifier.") from exc


def case_file_get_for_staff(
    *, user: Any, case_uuid: uuid_module.UUID | str, file_uuid: uuid_module.UUID | str
) -> tuple[Case, StoredFile]:
    """A file of a case the user may see: of its submission, its messages or its document requests; 404 otherwise."""
    case = _visible_cases(user=user).select_related("department", "submission").filter(uuid=_as_uuid(case_uuid)).first()
    if case is None:
        raise Http404("No such case.")
    stored = (
        StoredFile.objects.filter(uuid=_as_uuid(file_uuid))
        .filter(Q(submission_id=case.submission_id) | Q(events__case=case) | Q(document_requests__case=case))
        .distinct()
        .first()
    )
    if stored is None:
        raise Http404("No such file.")
    return case, stored


def case_files(*, case: Case) -> list[StoredFile]:
    """Every file of a case, once: the submission's, then those attached to events and requests.

    Uses what ``case_get_for_staff`` prefetched.
    """
    seen: dict[int, StoredFile] = {}
    for stored in case.submission.files.all():
        seen.setdefault(stored.pk, stored)
    for event in case.events.all():
        for stored in event.attachments.all():
            seen.setdefault(stored.pk, stored)
    for request in case.document_requests.all():
        for stored in request.files.all():
            seen.setdefault(stored.pk, stored)
    return list(seen.values())


@dataclass(frozen=True)
class AnswerRow:
    section: str
    label: str
    value: str


def _raw_display(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Mapping):
        if {"name", "id"} <= set(value):  # a file reference
            return str(value["name"])
        return " ".join(_raw_display(v) for v in value.values() if v not in (None, ""))
    if isinstance(value, list | tuple):
        return ", ".join(_raw_display(v) for v in value)
    if isinstance(value, bool):
        return "✓" if value else "–"
    return str(value)


def case_answer_rows(*, case: Case) -> list[AnswerRow]:
    """The citizen's answers as label and text, in the order of the form as submitted.

    Uses the form engine to display each answer. Should the engine be missing
    or refuse the frozen definition, the raw keys and values are shown: staff
    must always be able to read what was submitted.
    """
    submission = case.submission
    answers = submission.answers if isinstance(submission.answers, Mapping) else {}
    try:
        from amtsweg.applications.formengine.definition import parse_definition
        from amtsweg.applications.formengine.registry import field_types
    except ImportError:
        return _raw_rows(answers)
    try:
        definition = parse_definition(submission.definition)
    except Exception:  # a frozen definition the current engine refuses; the raw answers still help
        logger.exception("case %s: the submitted form definition could not be parsed", case.reference)
        return _raw_rows(answers)
    rows: list[AnswerRow] = []
    # The definition's computed counts (e.g. for a fee's quantity) are the engine's, not the citizen's answers.
    shown: set[str] = set(definition.counts)
    for step in definition.steps:
        for spec in step.fields:
            if spec.key not in answers:
                continue
            value = answers[spec.key]
            shown.add(spec.key)
            try:
                field_type = field_types.get(spec.type)
                if isinstance(field_type, type):  # a registry that holds classes rather than instances
                    field_type = field_type()
                text = field_type.display(spec, value)
            except Exception:  # one unknown type must not hide all other answers
                logger.exception("case %s: answer %s could not be displayed", case.reference, spec.key)
                text = _raw_display(value)
            rows.append(AnswerRow(section=_label(step.title, step.key), label=_label(spec.label, spec.key), value=text))
    rows.extend(row for row in _raw_rows(answers) if row.label not in shown)
    return rows


def _raw_rows(answers: Mapping[str, Any]) -> list[AnswerRow]:
    return [AnswerRow(section="", label=str(key), value=_raw_display(value)) for key, value in answers.items()]


def case_notes(*, case: Case) -> list[CaseEvent]:
    return [event for event in case.events.all() if event.kind == EventKind.NOTE]


def case_history(*, case: Case) -> list[CaseEvent]:
    """Every event but internal notes, oldest first (notes have their own section)."""
    return [event for event in case.events.all() if event.kind != EventKind.NOTE]


@dataclass(frozen=True)
class HistoryEntry:
    """One line of the status page's history, in the citizen's words (never the back office's)."""

    at: datetime.datetime
    headline: str
    text: str
    attachments: list[StoredFile]


def case_history_for_citizen(*, case: Case | None) -> list[HistoryEntry]:
    """What happened to the case that the citizen may see, oldest first, each with its files."""
    if case is None:
        return []
    events = case.events.filter(visible_to_citizen=True).prefetch_related("attachments").order_by("at", "pk")
    return history_entries(events=events, labels=case_status_labels(services=[case.service]))


def history_entries(*, events: Iterable[CaseEvent], labels: Mapping[str, str]) -> list[HistoryEntry]:
    """Events the citizen may see, in the citizen's words: a status change names the new state as the status
    page does (``labels``, from ``case_status_labels``); a message, a request for documents and the citizen's
    own answer say who did what."""
    headlines: dict[str, str] = {
        EventKind.SUBMITTED: _("We received your application"),
        EventKind.MESSAGE: _("Message from the office"),
        EventKind.DOCUMENT_REQUEST: _("We asked you for documents or information"),
        EventKind.CITIZEN_UPLOAD: _("You sent documents or an answer"),
        EventKind.CHECKLIST_DECISION: _("Your next step"),
    }
    entries = []
    for event in events:
        if event.kind == EventKind.STATUS:
            status = labels.get(event.to_status, event.to_status)
            headline = _("New status: %(status)s") % {"status": status}
            # A rejection's reason stands in its own box on the page.
            text = "" if event.to_status == CaseStatus.REJECTED else event.text
        else:
            headline = headlines.get(event.kind) or event.get_kind_display()
            text = event.text
        entries.append(
            HistoryEntry(at=event.at, headline=headline, text=text, attachments=list(event.attachments.all()))
        )
    return entries


def case_document_requests_open(*, case: Case | None) -> QuerySet[DocumentRequest] | list[DocumentRequest]:
    """The office's requests for documents or answers that the citizen has not answered yet."""
    if case is None:
        return []
    return case.document_requests.filter(fulfilled_at__isnull=True)


def case_document_request_open_for_submission(
    *, submission: Submission, uuid: uuid_module.UUID | str
) -> DocumentRequest:
    """An unanswered request of the submission's case, which the citizen answers from the status page; else 404."""
    found = DocumentRequest.objects.filter(
        uuid=_as_uuid(uuid), case__submission=submission, fulfilled_at__isnull=True
    ).first()
    if found is None:
        raise Http404("No such open request.")
    return found


def audit_list_for_case(*, case: Case) -> QuerySet[AuditEntry]:
    """The audit entries of a case, newest first. Callers check ``cases.view_auditentry`` and the case's visibility."""
    return AuditEntry.objects.filter(case_uuid=case.uuid).select_related("actor").order_by("-at", "-id")


# --- the inbox's page: rows computed once in Python ------------------------------------------

INBOX_PAGE_SIZE = 50
ZERO_UUID = uuid_module.UUID(int=0)


class InboxRow(SimpleNamespace):
    """One row of the inbox, with what it shows computed once in Python.

    ``row[name]`` is ``row.name``: the template engine tries item access first,
    and a failed one costs an exception per field and row.
    """

    def __getitem__(self, key: str) -> Any:
        return getattr(self, key)


def inbox_rows(
    values: Iterable[dict[str, Any]], status_labels: dict[str, str], services: list[Any], selected: set[str]
) -> list[InboxRow]:
    """The page's cases (dicts of ``selectors.INBOX_ROW_FIELDS``) as rows for the template.

    Per-row template tags (url, date, blocktranslate) made up most of the
    inbox's time at 50 rows, so the texts are made here.
    """
    values = list(values)
    names = {service.pk: service.name for service in services}
    missing = {row["service_id"] for row in values} - names.keys()  # a service moved to another department
    if missing:
        names.update(service_names(ids=missing))
    detail_base = reverse("cases:case_detail", kwargs={"uuid": ZERO_UUID}).replace(str(ZERO_UUID), "{}")
    select_label = _("Select %(reference)s")
    date_format_name = get_format("SHORT_DATE_FORMAT")
    rows = []
    for row in values:
        uuid = str(row["uuid"])
        received_iso, received_text = _date_pair(row["created_at"], date_format_name)
        due_iso, due_text = _date_pair(row["due_at"], date_format_name)
        username = row["assignee__username"]
        # As User.get_full_name(), without a User instance.
        full_name = f"{row['assignee__first_name'] or ''} {row['assignee__last_name'] or ''}".strip()
        rows.append(
            InboxRow(
                uuid=uuid,
                reference=row["reference"],
                status=row["status"],
                status_label=status_labels.get(row["status"], row["status"]),
                applicant_name=row["applicant_name"],
                service_id=row["service_id"],
                service_name=names.get(row["service_id"], ""),
                assignee_text=(full_name or username) if username else "",
                is_overdue=row["is_overdue"],
                email_problem=row["email_problem"],
                selected=uuid in selected,
                detail_url=detail_base.format(uuid),
                select_label=select_label % {"reference": row["reference"]},
                received_iso=received_iso,
                received_text=received_text,
                due_iso=due_iso,
                due_text=due_text,
            )
        )
    return rows


def inbox_page(cases: Any, number: Any, *, count: int | None) -> tuple[Paginator, Page]:
    """The paginator and the requested page (as ``Paginator.get_page``), in one query where possible.

    The first page is read before anything is counted: a search usually finds
    fewer cases than a page holds, and then their number is known without a
    COUNT over the matching cases. ``count``, if given, is the known total.
    """
    if str(number or "1").strip() == "1":
        rows = list(cases[:INBOX_PAGE_SIZE])
        paginator = Paginator(cases, INBOX_PAGE_SIZE)
        if count is not None:
            paginator.count = count
        elif len(rows) < INBOX_PAGE_SIZE:
            paginator.count = len(rows)
        return paginator, Page(rows, 1, paginator)
    paginator = Paginator(cases, INBOX_PAGE_SIZE)
    if count is not None:
        paginator.count = count
    return paginator, paginator.get_page(number)


def _date_pair(value: Any, format_string: str) -> tuple[str, str]:
    """(ISO 8601, local date in ``format_string``) for a <time> element, or two empty strings."""
    if value is None:
        return "", ""
    local = timezone.localtime(value)
    return local.isoformat(), dateformat.format(local, format_string)


# --- the checklist in the inbox (hooks.case_hooks.inbox_lines) ------------------------------------------------


def inbox_lines_add(rows: list[InboxRow]) -> list[InboxRow]:
    """Each row gets the ``lines`` the ``inbox_lines`` hooks give it (e.g. its checklist state)."""
    from .hooks import case_hooks

    lines = case_hooks.lines(cases=rows)
    for row in rows:
        row.lines = lines.get(str(row.uuid), [])
    return rows


def checklist_inbox_lines(*, cases: Iterable[Any]) -> dict[str, str]:
    """The line "3 of 5 documents" for the rows whose form has a checklist, with the staff's decision if made."""
    uuids = [row.uuid for row in cases]
    states = Case.objects.filter(uuid__in=uuids, checklist_total__isnull=False).values_list(
        "uuid", "checklist_total", "checklist_received", "checklist_decision"
    )
    decided: dict[str, str] = {
        str(ChecklistDecision.COMPLETE): _("no appointment needed"),
        str(ChecklistDecision.APPOINTMENT): _("appointment needed"),
    }
    lines = {}
    for case_uuid, total, received, decision in states:
        text = _("%(received)s of %(total)s documents") % {"received": received or 0, "total": total}
        if decision in decided:
            text = f"{text}, {decided[decision]}"
        lines[str(case_uuid)] = text
    return lines


def case_checklist(*, case: Case) -> Any:
    """The case's checklist (``applications.formengine.checklist.Checklist``): its documents with their files
    and ticks, and the next step; an empty one for a form without documents and outcomes."""
    from amtsweg.applications.selectors import submission_checklist

    return submission_checklist(submission=case.submission)
