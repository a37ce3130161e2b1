"""Give every open case its anonymous record, now that records are made at receipt rather than at closing, so
that the figures of received cases include the cases already in the inbox."""

from django.db import migrations
from django.utils import timezone


def records_for_open_cases(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    CaseRecord = apps.get_model("statistics", "CaseRecord")
    open_cases = Case.objects.filter(statistics_record__isnull=True, closed_at__isnull=True).select_related(
        "submission"
    )
    for case in open_cases.iterator():
        submission = case.submission
        record = CaseRecord.objects.create(
            service_id=case.service_id,
            department_id=case.department_id,
            channel=submission.channel,
            submitted_on=timezone.localdate(submission.submitted_at or case.created_at),
        )
        Case.objects.filter(pk=case.pk).update(statistics_record=record)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0011_audit_vehicle_registry"),
        ("statistics", "0004_records_from_receipt"),
    ]

    operations = [migrations.RunPython(records_for_open_cases, migrations.RunPython.noop)]
