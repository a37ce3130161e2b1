"""Seeds the benchmark database: forms, a staff account and many cases for the inbox.

Run by the harness as `python -m benchmarks.seed --cases N` with the server's
environment, before gunicorn starts.
"""

import argparse
import datetime
import os
import random
import uuid

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amtsweg.settings.production")

BENCH_STAFF = ("bench-staff", "bench-staff-password-2026")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    args = parser.parse_args()
    django.setup()
    from django.db import transaction
    from django.utils import timezone

    from amtsweg.accounts.services import staff_create
    from amtsweg.applications.models import FormVersion, Submission
    from amtsweg.applications.references import reference_format
    from amtsweg.applications.services import form_definitions_load
    from amtsweg.cases.constants import CaseStatus
    from amtsweg.cases.models import Case
    from amtsweg.catalogue.models import Department, Service

    form_definitions_load()
    department = Department.objects.get(slug="buergerbuero")
    staff_create(username=BENCH_STAFF[0], password=BENCH_STAFF[1], departments=[department])
    service = Service.objects.get(slug="nebenwohnung-abmelden")
    version = FormVersion.objects.filter(service=service, published=True).order_by("-number").first()
    existing = Case.objects.filter(reference__startswith="KS-1999-").count()
    missing = max(0, args.cases - existing)
    rng = random.Random(42)
    statuses = [CaseStatus.RECEIVED, CaseStatus.IN_PROGRESS, CaseStatus.WAITING, CaseStatus.COMPLETED]
    now = timezone.now()
    batch = 5000
    for start in range(existing, existing + missing, batch):
        size = min(batch, existing + missing - start)
        with transaction.atomic():
            submissions = [
                Submission(
                    uuid=uuid.uuid4(),
                    reference=reference_format(prefix="KS", year=1999, number=start + i + 1),
                    access_code_hash="bench",
                    service=service,
                    form_version=version,
                    definition=version.definition,
                    answers={"name": {"given_names": "Erika", "family_name": f"Muster{start + i}"}},
                    email="bench@example.org",
                    applicant_name=f"Erika Muster{start + i}",
                )
                for i in range(size)
            ]
            Submission.objects.bulk_create(submissions, batch_size=1000)
            cases = [
                Case(
                    uuid=uuid.uuid4(),
                    submission=submission,
                    reference=submission.reference,
                    service=service,
                    department=department,
                    status=rng.choice(statuses),
                    applicant_name=submission.applicant_name,
                    due_at=now + datetime.timedelta(days=rng.randint(-20, 20)),
                )
                for submission in submissions
            ]
            Case.objects.bulk_create(cases, batch_size=1000)
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # fresh planner statistics after the bulk insert, as autovacuum would give
    print(f"benchmark seed: {existing + missing} cases")


if __name__ == "__main__":
    main()
