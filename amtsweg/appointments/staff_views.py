"""The back office's day view per location, with check-in, no-show, calling; and the waiting-room call display."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from amtsweg.accounts.decorators import staff_required
from amtsweg.catalogue.models import Location
from amtsweg.core import dates
from amtsweg.core.spreadsheet import csv_response
from amtsweg.core.trustgate import public

from . import selectors, services
from .models import Appointment

ACTIONS = {
    "check_in": (services.appointment_check_in, gettext_lazy("Checked in.")),
    "no_show": (services.appointment_no_show, gettext_lazy("Marked as not attended.")),
    "call": (services.appointment_call, gettext_lazy("Called.")),
    "done": (services.appointment_done, gettext_lazy("Finished.")),
}


def _location_for(request: HttpRequest, slug: str) -> Location:
    from amtsweg.cases.selectors import case_department_ids

    location = get_object_or_404(Location, slug=slug, booking_policy__isnull=False)
    allowed = case_department_ids(user=request.user)
    if allowed is not None and location.department_id not in allowed:
        raise PermissionDenied
    return location


@staff_required
@require_http_methods(["GET"])
def locations(request: HttpRequest) -> HttpResponse:
    """The staff member's places that take appointments, each with its day view and its call display."""
    places = selectors.staff_locations(user=request.user).select_related("department")
    return render(
        request, "appointments/staff_locations.html", {"locations": places.order_by("department__order", "name")}
    )


def _day_asked(place: Location, raw: str | None) -> tuple[datetime.date, str]:
    """The day ``raw`` names if it lies in the days the back office may open (``selectors.appointment_days``),
    else today and the message that says why."""
    try:
        return dates.parse_day(raw, within=selectors.appointment_days(policy=place.booking_policy)), ""
    except dates.DateInputError as error:
        return timezone.localdate(), error.message


def _day_page(request: HttpRequest, place: Location, day: datetime.date, *, status: int = 200) -> HttpResponse:
    return render(
        request,
        "appointments/staff_day.html",
        {
            "location": place,
            "day": day,
            "appointments": selectors.appointments_of_day(location=place, day=day),
            "waiting": selectors.waiting_room_count(location=place),
            "capacity": place.booking_policy.waiting_room_capacity,
            "bookables": place.bookable_services.select_related("service"),
            "previous": day - datetime.timedelta(days=1),
            "next": day + datetime.timedelta(days=1),
        },
        status=status,
    )


@staff_required
@require_http_methods(["GET", "POST"])
def day_view(request: HttpRequest, location: str) -> HttpResponse:
    place = _location_for(request, location)
    day, problem = timezone.localdate(), ""
    if "tag" in request.GET:
        day, problem = _day_asked(place, request.GET["tag"])
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in ACTIONS:
            raise Http404("unknown action")
        appointment = get_object_or_404(Appointment, uuid=request.POST.get("appointment"), location=place)
        function, done = ACTIONS[action]
        function(appointment=appointment, actor=request.user)
        messages.success(request, str(done))
        return HttpResponseRedirect(f"{request.path}?tag={day.isoformat()}")
    if problem:
        messages.error(request, problem)
    return _day_page(request, place, day, status=400 if problem else 200)


@public
def call_display(request: HttpRequest, location: str) -> HttpResponse:
    """The waiting-room screen: called booking codes and their counter. Refreshes itself without JavaScript."""
    place = get_object_or_404(Location, slug=location, booking_policy__isnull=False)
    response = render(
        request, "appointments/call_display.html", {"location": place, "calls": selectors.calls_shown(location=place)}
    )
    response["Cache-Control"] = "no-store"
    return response


@staff_required
@require_http_methods(["GET"])
def day_csv(request: HttpRequest, location: str) -> HttpResponse:
    """The day's appointments as CSV (semicolon-separated, UTF-8 with BOM for spreadsheet programs)."""
    place = _location_for(request, location)
    day, problem = _day_asked(place, request.GET.get("tag"))
    if problem:  # the day view of today with the message, rather than a file of another day
        messages.error(request, problem)
        return _day_page(request, place, day, status=400)
    rows = (
        [
            timezone.localtime(appointment.starts_at).strftime("%Y-%m-%d %H:%M"),
            timezone.localtime(appointment.ends_at).strftime("%H:%M"),
            appointment.counter + 1,
            appointment.booking_code,
            ", ".join(service.name_de or service.name for service in appointment.all_services()),
            appointment.persons,
            appointment.status,
            appointment.case.reference if appointment.case else "",
        ]
        for appointment in selectors.appointments_of_day(location=place, day=day)
    )
    header = ["Beginn", "Ende", "Schalter", "Buchungscode", "Leistung", "Personen", "Status", "Vorgang"]
    return csv_response(rows, header=header, filename=f"termine-{place.slug}-{day.isoformat()}.csv")


@staff_required
@require_http_methods(["POST"])
def block(request: HttpRequest, location: str) -> HttpResponse:
    """Block a time range of a day: the affected citizens are told and offered a new time."""
    place = _location_for(request, location)
    day_view_url = request.path.rsplit("sperren/", 1)[0]
    day, problem = _day_asked(place, request.POST.get("tag"))
    if problem:
        messages.error(request, problem)
        return HttpResponseRedirect(day_view_url)
    try:
        start = datetime.time.fromisoformat(request.POST.get("von", ""))
        end = datetime.time.fromisoformat(request.POST.get("bis", ""))
    except ValueError:
        messages.error(request, _("Enter the day and the times, for example 10:00 and 12:00."))
        return HttpResponseRedirect(f"{day_view_url}?tag={day.isoformat()}")
    affected = services.closure_block(
        location=place,
        starts_at=timezone.make_aware(datetime.datetime.combine(day, start)),
        ends_at=timezone.make_aware(datetime.datetime.combine(day, end)),
        reason=request.POST.get("grund", ""),
        actor=request.user,
    )
    messages.success(
        request, _("The time is blocked. %(count)s appointments were cancelled and their citizens told.") % {
            "count": len(affected)}
    )  # fmt: skip
    return HttpResponseRedirect(f"{day_view_url}?tag={day.isoformat()}")


@staff_required
@require_http_methods(["POST"])
def walk_in(request: HttpRequest, location: str) -> HttpResponse:
    place = _location_for(request, location)
    bookable = get_object_or_404(place.bookable_services.select_related("service"), pk=request.POST.get("leistung"))
    try:
        persons = int(request.POST.get("personen", "1"))
    except ValueError:
        persons = 0
    appointment = services.appointment_walk_in(bookable=bookable, persons=persons, actor=request.user)
    messages.success(
        request, _("Walk-in added with booking code %(code)s.") % {"code": appointment.booking_code}
    )  # fmt: skip
    return HttpResponseRedirect(request.path.rsplit("ohne-termin/", 1)[0])
