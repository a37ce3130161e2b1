"""Appointment booking: each location's policy and counters, closures, bookable services, appointments.

Capacity is computed by ``engine.py`` from these rows; see docs/appointments.md.
"""

import datetime
import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from amtsweg.catalogue.constants import Weekday
from amtsweg.core import dates
from amtsweg.core.addresses import mailbox_key

from .constants import AppointmentStatus, ClosureKind


class BookingPolicy(models.Model):
    """A location's booking rules. Its row is locked while an appointment is booked there."""

    location = models.OneToOneField(
        "catalogue.Location", verbose_name=_("location"), on_delete=models.CASCADE, related_name="booking_policy"
    )
    enabled = models.BooleanField(_("online booking open"), default=True)
    slot_minutes = models.PositiveSmallIntegerField(_("slot length in minutes"), default=15)
    waiting_room_capacity = models.PositiveSmallIntegerField(
        _("waiting room capacity"), default=12, help_text=_("The most persons on site at once.")
    )
    waiting_minutes = models.PositiveSmallIntegerField(
        _("arrival before the appointment, in minutes"),
        default=10,
        help_text=_("Persons count as on site from this long before their appointment."),
    )
    horizon_days = models.PositiveSmallIntegerField(_("booking horizon in days"), default=42)
    lead_minutes = models.PositiveIntegerField(_("lead time in minutes"), default=120)
    release_time = models.TimeField(_("daily release of a new day"), default=datetime.time(7, 0))
    emergency_percent = models.PositiveSmallIntegerField(
        _("emergency quota in percent of the counters"),
        default=0,
        help_text=_("Held back until the day before, then released."),
    )
    max_active_per_email = models.PositiveSmallIntegerField(
        _("most active appointments per email address and service"), default=1
    )
    max_persons = models.PositiveSmallIntegerField(
        _("most persons in one booking"),
        default=4,
        help_text=_("Each person counts against the waiting room, and the durations add up per person."),
    )
    # A new random number whenever something changes that can change the free times here (a booking, a
    # cancellation, a closure, the settings), in the same transaction; cached search answers carry it in
    # their key (selectors.earliest_free). Random, not counted up, so that a stale copy of the row saved
    # back can never bring an old number, and with it an old answer, back.
    version = models.BigIntegerField(default=0, editable=False)
    # The same, but replaced only when the settings change (this policy, opening hours, counters, closures,
    # durations), not by bookings: the cached settings of the location carry it (selectors.Calendar).
    settings_version = models.BigIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("booking policy")
        verbose_name_plural = _("booking policies")

    def __str__(self) -> str:
        return str(self.location)


class CounterHours(models.Model):
    """How many counters (desks) take appointments on a weekday from ``start`` to ``end``."""

    location = models.ForeignKey("catalogue.Location", on_delete=models.CASCADE, related_name="counter_hours")
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    start = models.TimeField(_("from"))
    end = models.TimeField(_("until"))
    counters = models.PositiveSmallIntegerField(_("counters"))

    class Meta:
        ordering = ["location", "weekday", "start"]
        verbose_name = _("counters")
        verbose_name_plural = _("counters")
        constraints = [models.CheckConstraint(condition=models.Q(start__lt=models.F("end")), name="counters_start_end")]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start:%H:%M}–{self.end:%H:%M}: {self.counters}"


class Closure(models.Model):
    """A closure day or a staff absence; without a location it closes every location (the public holidays
    of Hesse come from the ``holidays`` library and need no row)."""

    location = models.ForeignKey(
        "catalogue.Location", null=True, blank=True, on_delete=models.CASCADE, related_name="closures"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ClosureKind.choices, default=ClosureKind.CLOSURE)
    starts_at = models.DateTimeField(_("from"), validators=[dates.portal_day])
    ends_at = models.DateTimeField(_("until"), validators=[dates.portal_day])
    counters = models.PositiveSmallIntegerField(
        _("counters closed"), default=0, help_text=_("0 closes the whole location; otherwise this many counters fewer.")
    )
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("closure or absence")
        verbose_name_plural = _("closures and absences")
        constraints = [
            models.CheckConstraint(condition=models.Q(starts_at__lt=models.F("ends_at")), name="closure_order")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.starts_at:%Y-%m-%d %H:%M}–{self.ends_at:%H:%M}"


class BookableService(models.Model):
    location = models.ForeignKey("catalogue.Location", on_delete=models.CASCADE, related_name="bookable_services")
    service = models.ForeignKey("catalogue.Service", on_delete=models.CASCADE, related_name="bookable_at")
    duration_minutes = models.PositiveSmallIntegerField(_("duration in minutes"))
    # Reserved for cases: a place may keep its times for a service for the citizens whom staff invite after a
    # request (e.g. the immigration office after its contact form). The public booking pages then neither list
    # it nor book it; only the link of an invited case does (BookingInvitation).
    case_link_only = models.BooleanField(
        _("only with a case's link"),
        default=False,
        help_text=_(
            "Booked only through the link that staff send for a case; the public booking pages do not offer it."
        ),
    )

    class Meta:
        verbose_name = _("bookable service")
        verbose_name_plural = _("bookable services")
        constraints = [models.UniqueConstraint(fields=["location", "service"], name="bookable_service_unique")]

    def __str__(self) -> str:
        return f"{self.service} @ {self.location}: {self.duration_minutes} min"


class BookingInvitation(models.Model):
    """Staff invited the citizen of a case to book a service at a place that is booked only with a case's link
    (``BookableService.case_link_only``): the case's booking link works there from now on."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="booking_invitations")
    bookable = models.ForeignKey(BookableService, on_delete=models.CASCADE, related_name="invitations")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("booking invitation")
        verbose_name_plural = _("booking invitations")
        constraints = [models.UniqueConstraint(fields=["case", "bookable"], name="booking_invitation_unique")]

    def __str__(self) -> str:
        return f"{self.case_id} → {self.bookable}"


class Appointment(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    booking_code = models.CharField(_("booking code"), max_length=12, unique=True)
    location = models.ForeignKey("catalogue.Location", on_delete=models.PROTECT, related_name="appointments")
    service = models.ForeignKey("catalogue.Service", on_delete=models.PROTECT, related_name="appointments")
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    ends_at = models.DateTimeField(_("ends at"))
    counter = models.PositiveSmallIntegerField(_("counter"))
    persons = models.PositiveSmallIntegerField(_("persons"), default=1)
    extra_services = models.ManyToManyField(
        "catalogue.Service", blank=True, related_name="+", verbose_name=_("further services in the same booking")
    )
    status = models.CharField(_("status"), max_length=20, choices=AppointmentStatus.choices)
    hold_expires_at = models.DateTimeField(null=True, blank=True)
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"))
    # The mailbox behind the address (core/addresses.py), which the per-person limit compares: "erika+1@…" and
    # "erika@…" are one person. Set by save() from ``email``; emails go to ``email`` as typed.
    email_key = models.CharField(max_length=254, blank=True, default="", editable=False)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    language = models.CharField(max_length=8, default="de")
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="appointments"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    called_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The anonymous figure of the appointment (statistics), written when it is confirmed; it outlives this row.
    statistics_record = models.OneToOneField(
        "statistics.AppointmentRecord", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        indexes = [
            models.Index(fields=["location", "starts_at"], name="appointment_location_start"),
            # The per-person limit, checked under the location's lock on every hold: without it a scan of
            # every appointment.
            models.Index(fields=["email_key", "service"], name="appointment_email_key_service"),
        ]

    def __str__(self) -> str:
        return f"{self.booking_code} {self.starts_at:%Y-%m-%d %H:%M}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Derived here rather than by each caller, so that no way of saving an appointment escapes the limit.
        self.email_key = mailbox_key(self.email)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "email" in update_fields:
            kwargs["update_fields"] = {*update_fields, "email_key"}
        super().save(*args, **kwargs)

    def all_services(self) -> list:
        """The booked service first, then the further services of the same booking."""
        return [self.service, *self.extra_services.all()]

    def services_label(self) -> str:
        """E.g. "Meldebescheinigung, Personalausweis (for 2 persons)"."""
        label = ", ".join(str(service.name) for service in self.all_services())
        if self.persons > 1:
            label += " (" + gettext("for %(count)s persons") % {"count": self.persons} + ")"
        return label

    def requirements(self) -> list[str]:
        """What to bring to the counter, from every booked service, without repeats (never the online
        prerequisites of ``Service.requirements``, such as a PIN or a smartphone)."""
        items = [item for service in self.all_services() for item in service.appointment_bring_list]
        return list(dict.fromkeys(items or [gettext("Your valid ID card or passport")]))


def free_times_changed(*, location_id: int | None, settings: bool = False) -> None:
    """Give the location's policy a new ``version`` (every location's for ``None``), and with ``settings`` a
    new ``settings_version`` too: cached answers and settings for it are no longer used. Called in the
    transaction of the change."""
    import secrets

    policies = BookingPolicy.objects.all()
    if location_id is not None:
        policies = policies.filter(location_id=location_id)
    if settings:
        policies.update(version=secrets.randbits(62), settings_version=secrets.randbits(62))
    else:
        policies.update(version=secrets.randbits(62))


# Thin receivers: every saved or deleted appointment, closure and setting makes the location's cached answers
# stale, whichever code saved it (services, the admin, the seed, a deletion by hand). Changes made with
# QuerySet.update() or bulk_create send no signal: such code calls free_times_changed itself.
@receiver(post_save, sender=Appointment)
@receiver(post_delete, sender=Appointment)
def _appointment_saved(sender, instance, **kwargs):  # type: ignore[no-untyped-def]
    free_times_changed(location_id=instance.location_id)


@receiver(post_save, sender=Closure)
@receiver(post_delete, sender=Closure)
@receiver(post_save, sender=CounterHours)
@receiver(post_delete, sender=CounterHours)
@receiver(post_save, sender=BookableService)
@receiver(post_delete, sender=BookableService)
@receiver(post_save, sender="catalogue.OpeningHours")
@receiver(post_delete, sender="catalogue.OpeningHours")
def _setting_saved(sender, instance, **kwargs):  # type: ignore[no-untyped-def]
    free_times_changed(location_id=instance.location_id, settings=True)


@receiver(post_save, sender=BookingPolicy)
def _policy_saved(sender, instance, **kwargs):  # type: ignore[no-untyped-def]
    free_times_changed(location_id=instance.location_id, settings=True)
