"""The citizen's booking: service and location, a day and a time, name and email, then the emailed confirm link."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from amtsweg.core import dates
from amtsweg.core.addresses import mailbox_key
from amtsweg.core.clientip import client_ip
from amtsweg.core.forms import error_links
from amtsweg.core.ratelimit import too_many
from amtsweg.core.trustgate import public

from . import selectors, services
from .errors import AppointmentError
from .ics import appointment_ics
from .models import Appointment, BookableService
from .proof import challenge_json, proof_check, proof_enabled, start_token
from .scope import BookingScope, booking_scope, other_services
from .tokens import appointment_from_token, appointment_token, case_from_token

if TYPE_CHECKING:
    from amtsweg.cases.models import Case

DAYS_SHOWN = 14
HOLDS_PER_IP = 20  # per hour
HOLDS_PER_EMAIL = 5


def _bookable(location: str, service: str) -> BookableService:
    bookable = selectors.bookable_open(location=location, service=service)
    if bookable is None:
        raise Http404("no bookable service")
    return bookable


def _reserved_check(bookable: BookableService, case_token: str) -> Case | None:
    """The case of the booking link, if any; a place that keeps its times for invited cases
    (``case_link_only``) is booked only with the link of such a case."""
    case = case_from_token(token=case_token) if case_token else None
    if bookable.case_link_only and not selectors.booking_invited(case=case, bookable=bookable):
        raise AppointmentError(
            _(
                "Appointments for “%(service)s” at %(place)s are only given after a request. Please send your "
                "request with the online form first; if we offer you an appointment, use the link in our answer."
            )
            % {"service": bookable.service.name, "place": bookable.location.name},
            status=403,
        )
    return case


@public
def overview(request: HttpRequest) -> HttpResponse:
    bookables = BookableService.objects.filter(
        location__booking_policy__enabled=True, case_link_only=False
    ).select_related("location", "service")
    ordered = list(bookables.order_by("service__name"))
    places: dict[int, list] = {}
    for bookable in ordered:
        places.setdefault(bookable.service_id, []).append(bookable)
    multi_place = [items[0].service for items in places.values() if len(items) > 1]
    return render(request, "appointments/overview.html", {"bookables": ordered, "multi_place": multi_place})


def _scope(request: HttpRequest, bookable: BookableService, replacing: Appointment | None = None) -> BookingScope:
    """What the booking covers. A rebooking keeps what the appointment it replaces covered."""
    if replacing is not None:
        return BookingScope(
            bookable=bookable,
            persons=replacing.persons,
            extras=tuple(
                BookableService.objects.filter(
                    location_id=bookable.location_id, service__in=replacing.extra_services.all()
                ).select_related("service")
            ),
        )
    data = request.POST if request.method == "POST" else request.GET
    return booking_scope(bookable=bookable, persons=data.get("personen"), also=data.getlist("auch"))


@public
@never_cache
def times(request: HttpRequest, location: str, service: str) -> HttpResponse:
    bookable = _bookable(location, service)
    now = timezone.now()
    rebook = request.GET.get("umbuchen", "")
    case_token = request.GET.get("vorgang", "")
    replacing = appointment_from_token(token=rebook, purpose="manage") if rebook else None
    if replacing is None:
        _reserved_check(bookable, case_token)
    scope = _scope(request, bookable, replacing)
    today = timezone.localdate(now)
    days = []
    for offset in range(DAYS_SHOWN):
        day = today + datetime.timedelta(days=offset)
        slots = selectors.free_slots(
            location=bookable.location,
            service_duration=scope.duration_minutes,
            persons=scope.persons,
            day=day,
            now=now,
        )
        if slots:
            days.append((day, slots))
    error, chosen = "", None
    if request.GET.get("tag"):
        try:
            listed = dates.DateRange(today, today + datetime.timedelta(days=DAYS_SHOWN - 1))
            chosen = dates.parse_day(request.GET["tag"], within=listed)
        except dates.DateInputError:
            error = _("Choose a day from the list.")
    selected = next(((d, s) for d, s in days if d == chosen), days[0] if days else None)
    return render(
        request,
        "appointments/times.html",
        {
            "bookable": bookable,
            "days": days,
            "selected": selected,
            "error": error,
            "scope_errors": error_links(scope.errors),
            "rebook": rebook,
            "case_token": case_token,
            "scope": scope,
            "others": [] if replacing else other_services(bookable=bookable),
            "person_choices": range(1, bookable.location.booking_policy.max_persons + 1),
        },
        status=400 if error or scope.errors else 200,
    )


def _too_many(key: str, limit: int) -> bool:
    return too_many(key, limit=limit, window=3600)


@public
@never_cache
@require_http_methods(["GET", "POST"])
def details(request: HttpRequest, location: str, service: str) -> HttpResponse:
    bookable = _bookable(location, service)
    raw_time = request.GET.get("zeit") or request.POST.get("zeit", "")
    try:
        start = dates.parse_moment(raw_time, within=selectors.appointment_days(policy=bookable.location.booking_policy))
    except dates.DateInputError:
        raise AppointmentError(_("Choose a time from the list."), bookable=bookable) from None
    rebook_token = request.GET.get("umbuchen") or request.POST.get("umbuchen", "")
    case_token = request.GET.get("vorgang") or request.POST.get("vorgang", "")
    replacing = appointment_from_token(token=rebook_token, purpose="manage") if rebook_token else None
    # A rebooking comes from the signed link of a confirmed appointment, which was booked with the case's link.
    case = case_from_token(token=case_token) if case_token else None
    if replacing is None:
        case = _reserved_check(bookable, case_token)
    scope = _scope(request, bookable, replacing)
    if scope.errors:
        raise AppointmentError(next(iter(scope.errors.values())), bookable=bookable)
    values = {key: request.POST.get(key, "").strip() for key in ("name", "email", "phone")}
    if replacing is not None and request.method == "GET":
        values = {"name": replacing.name, "email": replacing.email, "phone": replacing.phone}
    elif case is not None and request.method == "GET":
        # Booked from the case's status page: the citizen's own name and email from the application.
        values = {"name": case.applicant_name, "email": case.submission.email, "phone": ""}
    errors: dict[str, str] = {}
    # A rebooking comes from the signed link of a confirmed appointment: that is proof enough.
    proof_needed = proof_enabled() and replacing is None
    start_value = request.POST.get("start", "")  # a new one only for a form that is shown (below)
    if request.method == "POST":
        if not values["name"]:
            errors["name"] = _("Enter your name")
        elif len(values["name"]) > 200:
            errors["name"] = _("The name must be 200 characters or fewer")
        try:
            validate_email(values["email"])
        except ValidationError:
            errors["email"] = _("Enter an email address in the correct format, like name@example.com")
        if len(values["phone"]) > 40:
            errors["phone"] = _("The phone number must be 40 characters or fewer")
        if not errors and replacing is None:
            # A time the committed bookings have already filled is answered at once, before the rate limits
            # and the proof: the attempt reserves nothing and sends nothing, so it does not use up the
            # citizen's attempts (in a rush most attempts end here). The policy was read by _bookable.
            services.appointment_hold_precheck(
                bookable=bookable,
                policy=bookable.location.booking_policy,
                start=start,
                duration=scope.duration_minutes,
                persons=scope.persons,
                now=timezone.now(),
            )
        ip = client_ip(request)
        if not errors and (
            _too_many(f"appt:ip:{ip}", HOLDS_PER_IP)
            or _too_many(f"appt:email:{mailbox_key(values['email'])}", HOLDS_PER_EMAIL)
        ):
            raise AppointmentError(
                _("Too many bookings were tried. Please wait an hour and try again."), status=429, bookable=bookable
            )
        if not errors and proof_needed:
            proof = proof_check(altcha_payload=request.POST.get("altcha", ""), start=request.POST.get("start", ""))
            if not proof.ok:
                errors["proof"] = proof.message
                if not proof.wait_seconds:
                    start_value = start_token()
            elif proof.path == "wait" and _too_many(
                f"appt:ip-wait:{ip}", settings.APPOINTMENTS_PROOF_OF_WORK["fallback_holds_per_ip"]
            ):
                raise AppointmentError(
                    _("Too many bookings were tried. Please wait an hour and try again."), status=429, bookable=bookable
                )
        if not errors:
            appointment = services.appointment_hold(
                bookable=bookable,
                start=start,
                persons=scope.persons,
                extras=scope.extras,
                duration_minutes=scope.duration_minutes,
                name=values["name"],
                email=values["email"],
                phone=values["phone"],
                language=get_language() or "de",
                replacing=replacing,
                case=case or (replacing.case if replacing else None),
            )
            if replacing is not None:
                return redirect(
                    "appointments:manage", token=appointment_token(appointment=appointment, purpose="manage")
                )
            return render(request, "appointments/check_email.html", {"appointment": appointment})
    return render(
        request,
        "appointments/details.html",
        {
            "bookable": bookable,
            "start": start,
            "zeit": raw_time,
            "values": values,
            "errors": errors,
            "error_links": error_links(errors),
            "rebook": rebook_token,
            "case_token": case_token,
            "scope": scope,
            "proof_needed": proof_needed,
            "challenge": challenge_json() if proof_needed else "",
            "start_token": start_value or start_token(),
        },
        status=400 if errors else 200,
    )


@public
@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    appointment = appointment_from_token(token=token, purpose="confirm")
    if request.method == "POST":
        appointment = services.appointment_confirm(appointment=appointment)
        return redirect("appointments:manage", token=appointment_token(appointment=appointment, purpose="manage"))
    return render(request, "appointments/confirm.html", {"appointment": appointment})


@public
@never_cache
@require_http_methods(["GET", "POST"])
def manage(request: HttpRequest, token: str) -> HttpResponse:
    appointment = appointment_from_token(token=token, purpose="manage")
    if request.method == "POST":
        if request.POST.get("action") != "cancel":
            raise Http404("unknown action")
        appointment = services.appointment_cancel(appointment=appointment)
    return render(request, "appointments/manage.html", {"appointment": appointment, "token": token})


@public
@never_cache
def ics(request: HttpRequest, token: str) -> HttpResponse:
    appointment: Appointment = appointment_from_token(token=token, purpose="manage")
    response = HttpResponse(appointment_ics(appointment=appointment), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="termin-{appointment.booking_code}.ics"'
    return response


@public
def earliest(request: HttpRequest, service: str) -> HttpResponse:
    """The next free time at every place that offers the service, earliest first."""
    places = selectors.earliest_anywhere(service_slug=service)
    if not places:
        raise Http404("no bookable service")
    return render(request, "appointments/earliest.html", {"places": places, "service": places[0]["bookable"].service})
