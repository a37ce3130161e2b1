"""Give every appointment confirmed so far its anonymous record, now that records are written at confirmation,
so that the figures of booked, kept and missed appointments include the past.

Only appointments that were confirmed (``confirmed_at`` is set): a hold that ran out or was given back was never
booked, and a walk-in never booked at all. A confirmed appointment cancelled since counts as booked and cancelled.
"""

from django.db import migrations
from django.utils import timezone

OUTCOMES = {
    "confirmed": "booked",
    "checked_in": "kept",
    "done": "kept",
    "no_show": "no_show",
    "cancelled": "cancelled",
}


def records_for_past_appointments(apps, schema_editor):
    Appointment = apps.get_model("appointments", "Appointment")
    AppointmentRecord = apps.get_model("statistics", "AppointmentRecord")
    past = Appointment.objects.filter(
        statistics_record__isnull=True, confirmed_at__isnull=False, status__in=list(OUTCOMES)
    ).select_related("service")
    for appointment in past.iterator():
        record = AppointmentRecord.objects.create(
            service_id=appointment.service_id,
            department_id=appointment.service.department_id,
            location_id=appointment.location_id,
            day=timezone.localdate(appointment.starts_at),
            outcome=OUTCOMES[appointment.status],
        )
        Appointment.objects.filter(pk=appointment.pk).update(statistics_record=record)


class Migration(migrations.Migration):
    dependencies = [
        ("appointments", "0008_appointment_statistics_record"),
        ("statistics", "0004_records_from_receipt"),
    ]

    operations = [migrations.RunPython(records_for_past_appointments, migrations.RunPython.noop)]
