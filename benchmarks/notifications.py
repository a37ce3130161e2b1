"""Payment notification throughput: the demo provider's signed "paid" notifications over real HTTP.

Every pending payment seeded by ``seed.py --payments`` is told "paid"
``DUPLICATES`` (32) times at once, as by a provider that retries impatiently:
wrk with one thread and 32 connections takes pre-signed requests in order
(notifications.lua), so a payment's 32 deliveries are in flight together and
each one's signature is checked by the server. The rate counts every delivery,
duplicates included.

The notifications are signed with the server's settings right before wrk
starts, because the demo provider refuses them after 300 s; the first few
payments warm the workers up and are not measured. Afterwards the
database is checked: every payment whose deliveries were all sent is paid and
has exactly one PaymentEvent to "paid"; each further one is a double change.

With the server's environment (the harness runs these as subprocesses):

    python -m benchmarks.notifications sign FILE
    python -m benchmarks.notifications verify --sent N --warm W
"""

import argparse
import json
import math
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .scenarios import NOTIFICATIONS
from .seed import BENCH_KASSENZEICHEN, BENCH_PAYMENT_REFERENCES

ROOT = Path(__file__).resolve().parent.parent
LUA = Path(__file__).resolve().parent / "notifications.lua"
DUPLICATES = 32
# The demo provider refuses notifications older than 300 s; all of them are signed before the run.
MAX_SECONDS = 240
# Payments notified before the measured run, each twice at once, so that both workers have run the
# whole path (a worker's first one takes about a second) and the run's first requests do not wait for it.
WARMUP = 4


def run(env: dict[str, str], port: int, *, connections: int, duration: int) -> dict:
    """Sign, send with wrk, check the database; wrk's figures plus the check's."""
    if duration > MAX_SECONDS:
        raise SystemExit(f"notifications: at most {MAX_SECONDS} s, their signatures are valid for 300 s")
    signed = ROOT / "var" / "bench-notifications.txt"
    python = [sys.executable, "-m", "benchmarks.notifications"]
    subprocess.run([*python, "sign", str(signed)], cwd=ROOT, env=env, check=True)
    try:
        lines = signed.read_text().splitlines(keepends=True)
        _warm_up(port, lines[:WARMUP])
        signed.write_text("".join(lines[WARMUP:]))
        out = subprocess.run(
            [
                "wrk",
                "-t1",  # one thread: its connections take the duplicates of one payment together
                f"-c{connections}",
                f"-d{duration}s",
                "--timeout",
                "10s",
                "-s",
                str(LUA),
                f"http://127.0.0.1:{port}{NOTIFICATIONS.path}",
                "--",
                str(signed),
                str(DUPLICATES),
            ],
            capture_output=True,
            text=True,
            check=True,
        )
    finally:
        signed.unlink(missing_ok=True)
    data = json.loads([ln for ln in out.stdout.splitlines() if ln.startswith("{")][-1])
    data["rps"] = data["requests"] / (data["duration_us"] / 1e6)
    # wrk counts answers >= 400 only; the script counts everything outside 2xx.
    sockets = sum(data[f"errors_{kind}"] for kind in ("connect", "read", "write", "timeout"))
    data["errors"] = data["non2xx"] + sockets
    data.update(_settled(env, sent=data["sent"]))
    data["payments_sent"] = data.pop("payments")  # the Lua script's count: the file's lines
    # A figure reached with refused or lost deliveries says nothing: those miss the goal too.
    data["met"] = (
        data["rps"] >= (NOTIFICATIONS.min_rps or 0)
        and data["double_changes"] == 0
        and data["unpaid"] == data["stray"] == data["errors"] == 0
    )
    return data


def deliver(port: int, body: bytes, signature: str) -> int:
    """Post one signed notification to our endpoint as the demo provider does; the HTTP status."""
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{NOTIFICATIONS.path}",
        data=body,
        headers={"Content-Type": "application/json", "X-Demo-Signature": signature},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as answer:
        return answer.code


def signed(
    *, provider_id: str, merchant_reference: str, amount_cents: int, currency: str, secret: str, status: str = "paid"
) -> tuple[bytes, str]:
    """The demo provider's notification body and its signature header, made by the provider's own code."""
    from types import SimpleNamespace

    from amtsweg.payments.contrib.demo.plugin import notification_body, sign

    record = SimpleNamespace(
        id=provider_id, merchant_reference=merchant_reference, amount_cents=amount_cents, currency=currency
    )
    body = notification_body(record, status)
    return body, sign(body, secret=secret)


def _warm_up(port: int, lines: list[str]) -> None:
    def send(line: str) -> int:
        body, signature = line.rstrip("\n").split("\t")
        return deliver(port, body.encode(), signature)

    with ThreadPoolExecutor(max_workers=2 * len(lines)) as pool:
        answers = list(pool.map(send, [line for line in lines for _twice in range(2)]))
    if any(status != 200 for status in answers):
        raise SystemExit(f"notifications: the warm-up was answered {answers}")


def _settled(env: dict[str, str], *, sent: int) -> dict[str, int]:
    """The database check, repeated until it stops changing: the server still answers what wrk left in flight."""

    def check() -> dict[str, int]:
        command = [
            sys.executable,
            "-m",
            "benchmarks.notifications",
            "verify",
            "--sent",
            str(sent),
            "--warm",
            str(WARMUP),
        ]
        out = subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True, text=True)
        return json.loads(out.stdout.strip().splitlines()[-1])

    result = check()
    for _attempt in range(20):
        time.sleep(0.5)
        previous, result = result, check()
        if result == previous:
            break
    return result


def sign(path: Path) -> None:
    """One line per benchmark payment, in Kassenzeichen order: its "paid" notification and signature header."""
    from django.conf import settings

    from amtsweg.payments.models import PaymentTransaction

    secret = settings.PAYMENTS["providers"]["demo"]["secret"]
    transactions = (
        PaymentTransaction.objects.filter(payment__kassenzeichen__startswith=BENCH_KASSENZEICHEN, provider="demo")
        .select_related("payment")
        .order_by("payment__kassenzeichen")
    )
    lines = []
    for tx in transactions:
        body, signature = signed(
            provider_id=tx.provider_id,
            merchant_reference=str(tx.uuid),
            amount_cents=tx.amount_cents,
            currency=tx.payment.currency,
            secret=secret,
        )
        lines.append(f"{body.decode()}\t{signature}\n")
    if not lines:
        raise SystemExit("notifications: no benchmark payments (seed with --payments N)")
    path.write_text("".join(lines))


def verify(*, sent: int, warm: int) -> dict[str, int]:
    """What the deliveries did to the benchmark payments, from the database.

    The first ``warm`` payments (in Kassenzeichen order) were notified before the run, the rest by it.
    """
    from django.db.models import Count, Q

    from amtsweg.cases.models import Case
    from amtsweg.payments.constants import PaymentStatus
    from amtsweg.payments.models import Payment

    rows = list(
        Payment.objects.filter(kassenzeichen__startswith=BENCH_KASSENZEICHEN)
        .order_by("kassenzeichen")
        .annotate(paid_events=Count("events", filter=Q(events__to_status=PaymentStatus.PAID)))
        .values_list("status", "paid_events")
    )
    warmed, measured = rows[:warm], rows[warm:]
    # Requests go out in order, DUPLICATES per payment: the first ``complete`` payments had all
    # their deliveries sent, the one after them perhaps some, the rest none (unless wrk went round).
    complete = min(len(measured), sent // DUPLICATES)
    started = min(len(measured), math.ceil(sent / DUPLICATES))
    paid = [status == PaymentStatus.PAID for status, _events in rows]
    return {
        "payments_seeded": len(rows),
        "payments_warmup": len(warmed),
        "payments_delivered": complete,
        "wrapped": int(sent > len(measured) * DUPLICATES),
        "paid": sum(paid),
        # all deliveries sent (and for the warm-up answered), yet not paid
        "unpaid": sum(not p for p in paid[: warm + complete]),
        "stray": sum(status != PaymentStatus.PENDING or events > 0 for status, events in measured[started:]),
        "double_changes": sum(max(0, events - 1) for _status, events in rows),
        "cases_opened": Case.objects.filter(submission__reference__startswith=BENCH_PAYMENT_REFERENCES).count(),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("sign").add_argument("file", type=Path)
    check = commands.add_parser("verify")
    check.add_argument("--sent", type=int, required=True)
    check.add_argument("--warm", type=int, default=0)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amtsweg.settings.production")
    import django

    django.setup()
    if args.command == "sign":
        sign(args.file)
    else:
        print(json.dumps(verify(sent=args.sent, warm=args.warm)))


if __name__ == "__main__":
    main()
