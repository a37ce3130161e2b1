"""The usage dashboard for the office's leadership and the department leads (``statistics.view_figures``), and
the pages where staff record counter transactions (``statistics.record_counter``).

Leadership sees every department, a department lead their own departments (the staff's department scope).
All figures come from the anonymous records, so they stay after retention has deleted the cases.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from amtsweg.accounts.decorators import staff_required
from amtsweg.accounts.selectors import staff_department_ids
from amtsweg.catalogue.models import Department, Service
from amtsweg.core import dates
from amtsweg.core.forms import ErrorLink, error_links, form_error_list
from amtsweg.core.http import see_other
from amtsweg.core.spreadsheet import csv_response, xlsx_response
from amtsweg.feedback.selectors import ServiceSatisfaction, satisfaction_by_service

from . import charts, counter, selectors, services
from .counter_forms import CounterForm, CounterImportForm
from .hooks import form_labels_of
from .models import CaseRecord
from .periods import Period, PeriodError, period_choices, period_from_key, periods_within, range_period, year_period
from .selectors import Funnel, funnel, funnel_services

VIEW_FIGURES = "statistics.view_figures"


def _may_view_figures(request: HttpRequest) -> None:
    if not request.user.has_perm(VIEW_FIGURES):
        raise PermissionDenied


@dataclass
class Filters:
    period: Period
    departments: list[Department]  # the departments the user may see
    department: Department | None = None
    services: list[Service] = field(default_factory=list)  # the services offered in the service filter
    service: Service | None = None
    field_errors: dict[str, str] = field(default_factory=dict)
    raw: dict[str, str] = field(default_factory=dict)

    @property
    def range_chosen(self) -> bool:
        """Whether the form shows "any range of days" chosen: the period is one, or the days had an error."""
        return self.period.kind == "range" or "von" in self.field_errors or "bis" in self.field_errors

    @property
    def department_ids(self) -> list[int]:
        return [self.department.pk] if self.department else [department.pk for department in self.departments]

    @property
    def service_ids(self) -> list[int] | None:
        return [self.service.pk] if self.service else None

    def query(self) -> str:
        """The filters as a query string, for the export links."""
        from urllib.parse import urlencode

        values = {"zeitraum": self.period.key}
        if self.department:
            values["abteilung"] = self.department.slug
        if self.service:
            values["leistung"] = self.service.slug
        return urlencode(values)


def _filters(request: HttpRequest) -> Filters:
    """The period, department and service asked for; a wrong value is named in ``field_errors`` and replaced by
    the default, so the page still shows figures."""
    allowed = staff_department_ids(user=request.user)
    departments = Department.objects.order_by("order", "slug")
    if allowed is not None:
        departments = departments.filter(pk__in=allowed)
    filters = Filters(period=year_period(timezone.localdate().year), departments=list(departments))
    raw = {name: request.GET.get(name, "").strip()[:40] for name in ("zeitraum", "von", "bis", "abteilung", "leistung")}
    filters.raw = raw
    errors = filters.field_errors
    # A period from the list wins over the two days, which count only with the list on "any range of days":
    # without a script, the page cannot know which of the two the user changed last.
    if raw["zeitraum"]:
        try:
            filters.period = period_from_key(raw["zeitraum"])
        except PeriodError as error:
            errors["zeitraum"] = str(error)
    elif raw["von"] or raw["bis"]:
        first = last = None
        try:
            first = dates.parse_day(raw["von"], within=dates.PORTAL_DAYS)
        except dates.DateInputError as error:
            errors["von"] = error.message if raw["von"] else _("Enter the first day.")
        try:
            last = dates.parse_day(raw["bis"], within=dates.PORTAL_DAYS)
        except dates.DateInputError as error:
            errors["bis"] = error.message if raw["bis"] else _("Enter the last day.")
        if first and last:
            try:
                filters.period = range_period(first, last)
            except PeriodError as error:
                errors["bis"] = str(error)
    if raw["abteilung"]:
        filters.department = next((d for d in filters.departments if d.slug == raw["abteilung"]), None)
        if filters.department is None:
            errors["abteilung"] = _("Choose a department from the list.")
    services = Service.objects.filter(department__in=[filters.department] if filters.department else departments)
    filters.services = list(services.order_by("department__order", "name_de"))
    if raw["leistung"]:
        filters.service = next((s for s in filters.services if s.slug == raw["leistung"]), None)
        if filters.service is None:
            errors["leistung"] = _("Choose a service from the list.")
    return filters


@dataclass
class ServiceRow:
    service: Service
    usage: selectors.UsageFigures
    appointments: selectors.AppointmentFigures | None = None
    satisfaction: ServiceSatisfaction | None = None


@dataclass
class DepartmentBlock:
    department: Department
    total: selectors.UsageFigures
    appointments: selectors.AppointmentFigures | None
    services: list[ServiceRow]


def _appointments_sum(figures: list[selectors.AppointmentFigures]) -> selectors.AppointmentFigures | None:
    if not figures:
        return None
    return selectors.AppointmentFigures(
        service_id=0,
        booked=sum(row.booked for row in figures),
        kept=sum(row.kept for row in figures),
        no_show=sum(row.no_show for row in figures),
        cancelled=sum(row.cancelled for row in figures),
    )


def _blocks(
    filters: Filters,
) -> tuple[list[DepartmentBlock], selectors.UsageFigures, selectors.AppointmentFigures | None]:
    """The figures per department and service: the case records', the appointments' and the survey's. A service
    appears when it has any of them in the period."""
    period = {"first": filters.period.first, "last": filters.period.last}
    figures = selectors.usage_figures(department_ids=filters.department_ids, service_ids=filters.service_ids, **period)
    appointments = {
        row.service_id: row
        for row in selectors.appointment_figures(
            department_ids=filters.department_ids,
            service_ids=filters.service_ids,
            date_from=filters.period.first,
            date_to=filters.period.last,
        )
    }
    visible = [service.pk for service in filters.services if filters.service in (None, service)]
    satisfaction = {
        row.service_id: row
        for row in satisfaction_by_service(
            service_ids=visible, date_from=filters.period.first, date_to=filters.period.last
        )
    }
    by_service = {service_id: usage for (_department_id, service_id), usage in figures.items()}
    service_ids = set(by_service) | set(appointments) | set(satisfaction)
    services = Service.objects.in_bulk(service_ids)
    blocks, total, all_appointments = [], selectors.UsageFigures(), []
    for department in filters.departments:
        rows = [
            ServiceRow(
                service=service,
                usage=by_service.get(service.pk) or selectors.UsageFigures(),
                appointments=appointments.get(service.pk),
                satisfaction=satisfaction.get(service.pk),
            )
            for service in services.values()
            if service.department_id == department.pk
        ]
        if not rows:
            continue
        rows.sort(key=lambda row: (-row.usage.received, row.service.name))
        department_total = selectors.UsageFigures()
        for row in rows:
            department_total.add(row.usage)
        total.add(department_total)
        department_appointments = [row.appointments for row in rows if row.appointments]
        all_appointments += department_appointments
        blocks.append(DepartmentBlock(department, department_total, _appointments_sum(department_appointments), rows))
    return blocks, total, _appointments_sum(all_appointments)


def _series_chart(filters: Filters) -> tuple[charts.ColumnChart, str]:
    by, buckets = periods_within(filters.period)
    series = selectors.usage_series(
        department_ids=filters.department_ids,
        service_ids=filters.service_ids,
        first=filters.period.first,
        last=filters.period.last,
        by=by,
    )
    points = []
    for bucket in buckets:
        online, counter = series.get(bucket.first, (0, 0))
        label = formats.date_format(bucket.first, "M Y" if by == "month" else "j.n.")
        points.append((label, online, counter))
    return charts.column_chart(points), by


@staff_required
@require_http_methods(["GET"])
def dashboard(request: HttpRequest) -> HttpResponse:
    """Per department and service over a period: transactions received online and at the counter, how they
    ended, processing times, payments; a time series and the online share per department as charts."""
    _may_view_figures(request)
    filters = _filters(request)
    blocks, total, appointments = _blocks(filters)
    series, by = _series_chart(filters)
    share_bars = charts.share_bars([(block.department.name, block.total.online_percent) for block in blocks])
    today = timezone.localdate()
    first_year = min(selectors.usage_first_year() or today.year, today.year)
    return render(
        request,
        "statistics/dashboard.html",
        {
            "filters": filters,
            "errors": error_links(filters.field_errors),
            "period_groups": period_choices(first_year=first_year, last_year=today.year),
            "blocks": blocks,
            "total": total,
            "total_appointments": appointments,
            "series": series,
            "series_by": by,
            "share_bars": share_bars,
            "share_height": 32 * len(share_bars) + 8,
            "query": filters.query(),
        },
    )


def _export_rows(filters: Filters) -> list[list[Any]]:
    blocks, _total, _appointments = _blocks(filters)
    rows = []
    for block in blocks:
        for row in block.services:
            usage, appointments, satisfaction = row.usage, row.appointments, row.satisfaction
            rows.append(
                [
                    block.department.name,
                    row.service.name,
                    row.service.leika_key,
                    usage.received,
                    usage.online,
                    usage.counter,
                    usage.online_percent,
                    usage.completed,
                    usage.rejected,
                    usage.withdrawn,
                    usage.still_open,
                    usage.median_days,
                    usage.p90_days,
                    usage.within_target_percent,
                    usage.paid,
                    Decimal(usage.revenue_cents) / 100,
                    usage.without_appointment_percent,
                    appointments.booked if appointments else 0,
                    appointments.kept if appointments else 0,
                    appointments.no_show if appointments else 0,
                    appointments.no_show_percent if appointments else None,
                    satisfaction.responses if satisfaction else 0,
                    satisfaction.average if satisfaction else None,
                    satisfaction.satisfied_percent if satisfaction else None,
                ]
            )
    return rows


def _export_header() -> list[str]:
    return [
        _("Department"),
        _("Service"),
        _("LeiKa key"),
        _("Received"),
        _("Online"),
        _("At the counter"),
        _("Online share (%)"),
        _("Completed"),
        _("Rejected"),
        _("Withdrawn"),
        _("Still open"),
        _("Median processing time (working days)"),
        _("90th percentile processing time (working days)"),
        _("Within the processing deadline (%)"),
        _("Payments"),
        _("Revenue (EUR)"),
        _("Without an appointment (%)"),
        _("Appointments booked"),
        _("Appointments kept"),
        _("No-shows"),
        _("No-shows (%)"),
        _("Survey responses"),
        _("Average satisfaction (1 to 5)"),
        _("Satisfied (%)"),
    ]


@staff_required
@require_http_methods(["GET"])
def export_csv(request: HttpRequest) -> HttpResponse:
    """The dashboard's table as CSV, for the same filters (a wrong filter falls back as on the page)."""
    _may_view_figures(request)
    filters = _filters(request)
    # German spreadsheet programs read a decimal comma.
    rows = [[_decimal_comma(cell) for cell in row] for row in _export_rows(filters)]
    return csv_response(rows, header=_export_header(), filename=f"nutzungszahlen-{filters.period.key}.csv")


@staff_required
@require_http_methods(["GET"])
def export_xlsx(request: HttpRequest) -> HttpResponse:
    """The dashboard's table as an Excel workbook, for the same filters."""
    _may_view_figures(request)
    filters = _filters(request)
    return xlsx_response(
        _export_rows(filters),
        header=_export_header(),
        sheet_title=_("Usage figures"),
        filename=f"nutzungszahlen-{filters.period.key}.xlsx",
    )


def _decimal_comma(cell: Any) -> Any:
    return str(cell).replace(".", ",") if isinstance(cell, (float, Decimal)) else cell


# The header of the federal usage metric's CSV (Zentrale Statistik-Komponente): LeiKa key, official regional key,
# month, transactions. The ZSK's delivery format is not public in detail; these names are our reading, marked for
# the department to check with the Land's ZSK contact.
FEDERAL_HEADER = ["leikaId", "ars", "monat", "anzahlTransaktionen"]


@staff_required
@require_http_methods(["GET"])
def federal_export(request: HttpRequest) -> HttpResponse:
    """The federal usage metric for the period: per month and online service, the online transactions, keyed by
    the LeiKa key and the municipality's official regional key (ARS)."""
    _may_view_figures(request)
    filters = _filters(request)
    ars = settings.PORTAL["ars"]
    rows = (
        [row.leika_key, ars, row.month.strftime("%Y-%m"), row.transactions]
        for row in selectors.federal_usage_rows(
            first=filters.period.first, last=filters.period.last, department_ids=filters.department_ids
        )
    )
    return csv_response(rows, header=FEDERAL_HEADER, filename=f"zsk-{ars}-{filters.period.key}.csv")


# --- counter transactions ---------------------------------------------------------------------

SUMMARY_PROBLEMS = 10  # the import's problems named in the error summary; the list below has them all


def _counter_scope(request: HttpRequest) -> set[int] | None:
    """The departments whose counter transactions the user may record (``None``: all); 403 without the
    permission ``statistics.record_counter``."""
    if not request.user.has_perm("statistics.record_counter"):
        raise PermissionDenied
    return staff_department_ids(user=request.user)


@staff_required
@require_http_methods(["GET", "POST"])
def counter_record(request: HttpRequest) -> HttpResponse:
    """Record a batch of counter transactions (service, number, day) and see the last batches entered."""
    department_ids = _counter_scope(request)
    services_of_user = list(selectors.counter_services(department_ids=department_ids))
    posted = request.method == "POST"
    form = CounterForm(request.POST if posted else None, services=services_of_user)
    if posted and form.is_valid():
        service = form.cleaned_data["service"]
        day = form.cleaned_data["date"]
        count = form.cleaned_data["count"]
        services.counter_transactions_record(service=service, day=day, count=count, department_ids=department_ids)
        text = ngettext(
            "%(count)s transaction of %(service)s on %(day)s recorded.",
            "%(count)s transactions of %(service)s on %(day)s recorded.",
            count,
        )
        messages.success(request, text % {"count": count, "service": service.name, "day": dates.format_day(day)})
        return see_other(reverse("statistics:counter"))
    errors = form_error_list({"counter": form})
    return render(
        request,
        "statistics/counter.html",
        {
            "form": form,
            "errors": errors,
            "date_field": {"key": "date", "required": True, "options": {}},
            "date_errors": form.date_errors(),
            "date_inputs": form.date_inputs(),
            "batches": selectors.counter_batches_recent(department_ids=department_ids),
            "max_count": counter.COUNTER_MAX_COUNT,
        },
        status=400 if errors else 200,
    )


@staff_required
@require_http_methods(["GET", "POST"])
def counter_import(request: HttpRequest) -> HttpResponse:
    """Import counter transactions from a CSV file: every line is checked first, and a file with one wrong line
    imports nothing; every problem is listed with its line number."""
    department_ids = _counter_scope(request)
    posted = request.method == "POST"
    form = CounterImportForm(request.POST, request.FILES) if posted else CounterImportForm()
    problems: list[counter.ImportProblem] = []
    recorded: list[CaseRecord] = []
    if posted and form.is_valid():
        read = counter.counter_csv_read(
            data=form.cleaned_data["file"],
            services=selectors.counter_service_catalogue(),
            department_ids=department_ids,
        )
        problems = read.problems
        if not problems and not form.cleaned_data["again"]:
            # The same export imported twice would count its days twice: a file for days that already have
            # counter entries is only imported when the user confirms it is not the same one again.
            recorded = selectors.counter_batches_on(pairs=[(batch.service_id, batch.day) for batch in read.batches])
        if not problems and not recorded:
            total = services.counter_transactions_import(batches=read.batches)
            lines = ngettext("%(lines)s line", "%(lines)s lines", read.lines) % {"lines": read.lines}
            text = ngettext(
                "%(lines)s imported: %(count)s transaction.",
                "%(lines)s imported: %(count)s transactions.",
                total,
            )
            messages.success(request, text % {"lines": lines, "count": total})
            return see_other(reverse("statistics:counter"))
    if recorded:
        count = len({(record.service_id, record.submitted_on) for record in recorded})
        text = ngettext(
            "Counter transactions are already recorded for %(count)s service and day of this file. If the file has "
            "not been imported before, select “Import even so” and upload it again.",
            "Counter transactions are already recorded for %(count)s services and days of this file. If the file "
            "has not been imported before, select “Import even so” and upload it again.",
            count,
        )
        form.add_error("again", text % {"count": count})
    errors = form_error_list({"import": form})
    # The summary names the first problems and links to the full list below the form: a file can have
    # thousands of wrong lines.
    errors += [
        ErrorLink(
            _("Line %(line)s: %(message)s") % {"line": p.line, "message": p.message} if p.line else p.message,
            "problems",
        )
        for p in problems[:SUMMARY_PROBLEMS]
    ]
    if len(problems) > SUMMARY_PROBLEMS:
        more = len(problems) - SUMMARY_PROBLEMS
        text = ngettext(
            "%(count)s more problem: see the list below", "%(count)s more problems: see the list below", more
        )
        errors.append(ErrorLink(text % {"count": more}, "problems"))
    return render(
        request,
        "statistics/counter_import.html",
        {"form": form, "errors": errors, "problems": problems, "recorded": recorded},
        status=400 if errors else 200,
    )


@staff_required
@require_http_methods(["GET"])
def counter_template(request: HttpRequest) -> HttpResponse:
    """An example import file with the user's own services, as German spreadsheet programs write CSV."""
    department_ids = _counter_scope(request)
    catalogue = [
        service
        for service in selectors.counter_service_catalogue()
        if department_ids is None or service.department_id in department_ids
    ]
    return csv_response(
        counter.template_rows(services=catalogue), header=counter.TEMPLATE_HEADER, filename="schaltervorgaenge.csv"
    )


@staff_required
@require_http_methods(["POST"])
def counter_remove(request: HttpRequest) -> HttpResponse:
    """Remove a batch entered by mistake: the list's button asks here, this page asks to confirm, and the
    confirmation removes it. Only counter batches of the user's departments (404 for anything else)."""
    department_ids = _counter_scope(request)
    batch = selectors.counter_batch_get(record_id=request.POST.get("batch"), department_ids=department_ids)
    if request.POST.get("confirm") != "yes":
        return render(request, "statistics/counter_remove.html", {"batch": batch})
    services.counter_batch_remove(record_id=batch.pk, department_ids=department_ids)
    text = ngettext(
        "The batch of %(count)s transaction of %(service)s on %(day)s was removed.",
        "The batch of %(count)s transactions of %(service)s on %(day)s was removed.",
        batch.count,
    )
    messages.success(
        request,
        text % {"count": batch.count, "service": batch.service.name, "day": dates.format_day(batch.submitted_on)},
    )
    return see_other(reverse("statistics:counter"))


# --- the form funnels -------------------------------------------------------------------------------------

FUNNEL_PERIOD_DAYS = 30
CHART_WIDTH = 640
CHART_BAR_SPACE = 480  # the longest bar (the drafts started); the rest of the width holds its figure
CHART_ROW = 48


def _figures_department_ids(request: HttpRequest) -> set[int] | None:
    """The departments whose figures the user may see (``None``: all), after the permission check."""
    if not request.user.has_perm(VIEW_FIGURES):
        raise PermissionDenied
    return staff_department_ids(user=request.user)


def _funnel_period(request: HttpRequest) -> dict[str, Any]:
    """The period of the ``von`` and ``bis`` filters (the last 30 days by default), the raw input kept, and the
    messages for a day that is not a date (the default is used instead) or a last day before the first."""
    today = timezone.localdate()
    raw_from, raw_to = request.GET.get("von", "")[:20], request.GET.get("bis", "")[:20]
    days = dates.day_range_from_input(
        raw_from,
        raw_to,
        default_first=today - datetime.timedelta(days=FUNNEL_PERIOD_DAYS - 1),
        default_last=today,
        within=dates.PORTAL_DAYS,
    )
    return {
        "date_from": days.first,
        "date_to": days.last,
        "raw_from": raw_from if not days.first_ok else days.first.isoformat(),
        "raw_to": raw_to if not days.last_ok else days.last.isoformat(),
        "field_errors": days.field_errors,
        "errors": error_links(days.field_errors),
    }


@dataclass(frozen=True)
class FunnelBar:
    """One bar of the funnel's chart: a label, the count, its share of the drafts started, and where it is."""

    label: str
    count: int
    percent: int
    width: float
    row: int

    @property
    def svg(self) -> dict[str, str]:
        """Coordinates as plain numbers (never localised with a decimal comma)."""
        top = self.row * CHART_ROW
        return {
            "label_y": str(top + 16),
            "rect_y": str(top + 22),
            "width": f"{self.width:.1f}",
            "count_x": f"{self.width + 8:.1f}",
            "count_y": str(top + 37),
        }


def _funnel_bars(figures: Funnel, step_labels: dict[str, str]) -> list[FunnelBar]:
    rows = [(_("Started"), figures.started, 100 if figures.started else 0)]
    rows += [(step_labels.get(step.key, step.key), step.count, step.percent) for step in figures.steps]
    rows += [
        (_("Reached the check page"), figures.check, figures.check_percent),
        (_("Submitted"), figures.submitted, figures.submitted_percent),
    ]
    longest = max([count for _label, count, _percent in rows] + [1])
    return [
        FunnelBar(label=label, count=count, percent=percent, width=CHART_BAR_SPACE * count / longest, row=row)
        for row, (label, count, percent) in enumerate(rows)
    ]


@staff_required
@require_http_methods(["GET"])
def funnel_list(request: HttpRequest) -> HttpResponse:
    """The forms of the user's departments that have funnel counts, with the drafts started and sent."""
    department_ids = _figures_department_ids(request)
    period = _funnel_period(request)
    rows = funnel_services(department_ids=department_ids, date_from=period["date_from"], date_to=period["date_to"])
    return render(
        request,
        "statistics/funnel_list.html",
        {**period, "rows": rows},
        status=400 if period["errors"] else 200,
    )


@staff_required
@require_http_methods(["GET"])
def funnel_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """One form's funnel: the drafts started, each step reached, the check page, the submissions, and the
    fields whose errors people met; as a table and as a chart of the same figures."""
    department_ids = _figures_department_ids(request)
    service = Service.objects.select_related("department").filter(slug=slug).first()
    if service is None or (department_ids is not None and service.department_id not in department_ids):
        raise Http404("no such form among the user's departments")
    period = _funnel_period(request)
    listed = funnel_services(department_ids=[service.department_id])
    versions = next((row.versions for row in listed if row.service_id == service.pk), [])
    raw_version = request.GET.get("version", "")[:10]
    version = int(raw_version) if raw_version.isdigit() and int(raw_version) in versions else None
    if raw_version and version is None:
        period["field_errors"]["version"] = _("Choose a form version from the list")
        period["errors"] = error_links(period["field_errors"])
    figures = funnel(
        service_id=service.pk, form_version=version, date_from=period["date_from"], date_to=period["date_to"]
    )
    labels = form_labels_of(service_id=service.pk, form_version=version or (versions[0] if versions else 0))
    steps = [
        {
            "step": step,
            "label": labels.steps.get(step.key, step.key),
            "errors": [(labels.fields.get(error.field, error.field), error) for error in step.errors],
        }
        for step in figures.steps
    ]
    return render(
        request,
        "statistics/funnel.html",
        {
            **period,
            "service": service,
            "versions": versions,
            "version": version,
            "raw_version": raw_version,
            "figures": figures,
            "steps": steps,
            "bars": _funnel_bars(figures, dict(labels.steps)),
            "chart_width": CHART_WIDTH,
            "chart_height": (len(figures.steps) + 3) * CHART_ROW + 8,
        },
        status=400 if period["errors"] else 200,
    )
