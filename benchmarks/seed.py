"""Seeds the benchmark database: forms, a staff account, many cases for the inbox and pending payments.

Run by the harness as `python -m benchmarks.seed --cases N --payments M` with
the server's environment, before gunicorn starts.
"""

import argparse
import datetime
import os
import random
import uuid

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amtsweg.settings.production")

BENCH_STAFF = ("bench-staff", "bench-staff-password-2026")
# The payments whose notifications are measured: their submissions' references and their Kassenzeichen
# start with these (a year no real allocation gives), and they are found again by them.
BENCH_PAYMENT_REFERENCES = "KS-1998-"
BENCH_KASSENZEICHEN = "6698"
BENCH_FEE_CENTS = 2400


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--payments", type=int, default=0)
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
    payments_seed(count=args.payments, service=service, version=version)
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # fresh planner statistics after the bulk insert, as autovacuum would give
    print(f"benchmark seed: {existing + missing} cases, {args.payments} pending payments")


def payments_seed(*, count: int, service, version) -> None:  # type: ignore[no-untyped-def]
    """``count`` submissions waiting for their fee, each with a pending payment and one pending demo transaction.

    As after a citizen pressed "Bezahlen": no case yet (it opens once the fee is
    paid), the payment's history open → pending. Earlier benchmark payments in
    the same database are deleted first, so every run starts from pending ones.
    """
    from django.db import transaction
    from django.utils import timezone
    from stdnum import damm

    from amtsweg.applications.models import Submission
    from amtsweg.applications.references import reference_format
    from amtsweg.payments.constants import CURRENCY, PaymentStatus, Source, TransactionStatus
    from amtsweg.payments.models import Payment, PaymentEvent, PaymentTransaction

    Submission.objects.filter(reference__startswith=BENCH_PAYMENT_REFERENCES).delete()
    now = timezone.now()
    items = [{"code": "bench", "label": {"de": "Gebühr", "en": "Fee"}, "unit_cents": BENCH_FEE_CENTS, "quantity": 1,
              "total_cents": BENCH_FEE_CENTS}]  # fmt: skip
    batch = 1000
    for start in range(0, count, batch):
        numbers = range(start + 1, min(start + batch, count) + 1)
        with transaction.atomic():
            submissions = Submission.objects.bulk_create(
                [
                    Submission(
                        uuid=uuid.uuid4(),
                        reference=reference_format(prefix="KS", year=1998, number=n),
                        access_code_hash="bench",
                        service=service,
                        form_version=version,
                        definition=version.definition,
                        answers={"name": {"given_names": "Erika", "family_name": f"Zahler{n}"}},
                        email="bench@example.org",
                        applicant_name=f"Erika Zahler{n}",
                    )
                    for n in numbers
                ]
            )
            payments = Payment.objects.bulk_create(
                [
                    Payment(
                        uuid=uuid.uuid4(),
                        submission=submission,
                        kassenzeichen=(body := f"{BENCH_KASSENZEICHEN}{n:07d}") + damm.calc_check_digit(body),
                        currency=CURRENCY,
                        amount_cents=BENCH_FEE_CENTS,
                        items=items,
                        status=PaymentStatus.PENDING,
                        expires_at=now + datetime.timedelta(hours=48),
                    )
                    for n, submission in zip(numbers, submissions, strict=True)
                ]
            )
            transactions = PaymentTransaction.objects.bulk_create(
                [
                    PaymentTransaction(
                        uuid=uuid.uuid4(),
                        payment=payment,
                        provider="demo",
                        method="card",
                        provider_id=f"demo_bench{n:08d}",
                        amount_cents=payment.amount_cents,
                        status=TransactionStatus.PENDING,
                    )
                    for n, payment in zip(numbers, payments, strict=True)
                ]
            )
            opened = Source.SYSTEM, PaymentStatus.OPEN, None
            PaymentEvent.objects.bulk_create(
                [
                    PaymentEvent(
                        payment=tx.payment, from_status=PaymentStatus.OPEN, to_status=to, source=by, transaction=t
                    )
                    for tx in transactions
                    for by, to, t in (opened, (Source.CITIZEN, PaymentStatus.PENDING, tx))
                ]
            )


if __name__ == "__main__":
    main()
