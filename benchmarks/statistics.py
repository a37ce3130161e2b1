"""`make bench` for the usage dashboard: one year of a city of 200,000 (about 150,000 anonymous case records and
40,000 appointment records), the dashboard and its export for a year and a month, as leadership sees them.

Seeded by `python -m benchmarks.statistics seed --records N` with the server's environment, before gunicorn
starts; the records carry the year BENCH_YEAR, which no demo or real record has, and are made once.
The goal (issue 22): the dashboard for the year under 1 s p95 on PostgreSQL, measured at one connection per
worker so that the figure is one page's time, not a queue.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_YEAR = 2019
BENCH_LEADERSHIP = ("bench-leitung", "bench-leitung-password-2026")


def _module(env: dict[str, str], *args: str) -> dict:
    command = [sys.executable, "-m", "benchmarks.statistics", *args]
    out = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if out.returncode:
        raise SystemExit(f"benchmarks.statistics {args[0]} failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def seed(env: dict[str, str], *, records: int) -> dict:
    started = time.monotonic()
    info = _module(env, "seed", "--records", str(records))
    info["seconds"] = time.monotonic() - started
    print(
        f"statistics seed: {info['records']} case records, {info['appointments']} appointment records "
        f"in {info['seconds']:.0f} s"
    )
    return info


def seed_command(*, records: int) -> dict:
    from django.db import transaction

    from amtsweg.accounts.constants import LEADERSHIP
    from amtsweg.accounts.services import roles_ensure, staff_create
    from amtsweg.catalogue.models import Department, Location, Service
    from amtsweg.core.workdays import working_days_between
    from amtsweg.statistics.models import AppointmentRecord, CaseRecord

    groups = roles_ensure()
    staff_create(
        username=BENCH_LEADERSHIP[0],
        password=BENCH_LEADERSHIP[1],
        departments=list(Department.objects.all()),
        groups=[groups[LEADERSHIP]],
    )
    first, last = datetime.date(BENCH_YEAR, 1, 1), datetime.date(BENCH_YEAR, 12, 31)
    existing = CaseRecord.objects.filter(submitted_on__year=BENCH_YEAR).count()
    services = list(Service.objects.exclude(department=None).order_by("pk"))
    locations = list(Location.objects.order_by("pk"))
    rng = random.Random(22)
    days = [first + datetime.timedelta(days=n) for n in range((last - first).days + 1)]
    missing = max(0, records - existing)
    batch = []
    for _ in range(missing):
        service = rng.choice(services)
        day = rng.choice(days)
        online = rng.random() < 0.6
        closed = day + datetime.timedelta(days=rng.choice((0, 1, 2, 3, 5, 8, 13)))
        status = rng.choices(("completed", "rejected", "withdrawn", ""), weights=(90, 4, 2, 4))[0]
        batch.append(
            CaseRecord(
                service=service,
                department_id=service.department_id,
                channel="online" if online else "counter",
                submitted_on=day,
                closed_on=closed if status else None,
                final_status=status,
                working_days=working_days_between(day, closed) if status and online else None,
                within_target=rng.random() < 0.85 if status and online else None,
                paid_cents=rng.choice((0, 1200, 2400)) if online and status == "completed" else 0,
                without_appointment=rng.random() < 0.5 if rng.random() < 0.2 else None,
            )
        )
    with transaction.atomic():
        CaseRecord.objects.bulk_create(batch, batch_size=5000)
        if not AppointmentRecord.objects.filter(day__year=BENCH_YEAR).exists() and locations:
            appointments = []
            for _ in range(records // 4):
                service = rng.choice(services)
                appointments.append(
                    AppointmentRecord(
                        service=service,
                        department_id=service.department_id,
                        location=rng.choice(locations),
                        day=rng.choice(days),
                        outcome=rng.choices(("kept", "no_show", "cancelled", "booked"), weights=(80, 10, 8, 2))[0],
                    )
                )
            AppointmentRecord.objects.bulk_create(appointments, batch_size=5000)
    return {
        "records": CaseRecord.objects.filter(submitted_on__year=BENCH_YEAR).count(),
        "appointments": AppointmentRecord.objects.filter(day__year=BENCH_YEAR).count(),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("command", choices=["seed"])
    parser.add_argument("--records", type=int, default=150_000)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amtsweg.settings.production")
    import django

    django.setup()
    print(json.dumps(seed_command(records=args.records)))


if __name__ == "__main__":
    main()
