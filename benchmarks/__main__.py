"""`make bench`: serve Amtsweg with gunicorn (2 workers, DEBUG off) and load it with wrk.

Prints a table of requests per second, p50/p95/p99 latency and the ratio to a
minimal view served by the same server in the same run. The database is a
fresh SQLite file in var/ unless DATABASE_URL names one (then it is migrated
and seeded in place). Figures are never asserted by tests; goals are printed.

`--only notifications` measures the baseline and the payment notifications
alone, without seeding the inbox's cases (`make bench BENCH_ARGS="--only notifications"`).
`--only appointments` measures the baseline, the slot search at the Kfz offices
and the booking rush (appointments.py); `--only slot-search` and `--only
booking-rush` one of the two. `--only certificates` measures the baseline and
whole certificate orders, paid through the demo provider (certificates.py).
`--only meldebescheinigung` measures the instant electronic Meldebescheinigung,
issued and sealed in-process, with the seal's share of the time (meldebescheinigung.py).
"""

import argparse
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from . import appointments, certificates, flows, meldebescheinigung, notifications, scale, statistics
from .scenarios import BASELINE, BOOKING_RUSH, KFZ_TIMES, NOTIFICATIONS, PAGES, SLOT_SEARCH, Scenario
from .seed import BENCH_STAFF

ROOT = Path(__file__).resolve().parent.parent
LUA = Path(__file__).resolve().parent / "wrk_report.lua"
RESULTS = Path(__file__).resolve().parent / "results"


def server_env(port: int) -> dict[str, str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "amtsweg.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "SECURE_HSTS_SECONDS": "0",
        "AMTSWEG_BENCH_ENDPOINTS": "1",
        "LOG_LEVEL": "WARNING",
        "STAFF_2FA_REQUIRED": "0",
        "STATUS_LOOKUP_LIMIT": "1000000",
        # The booking rush measures the hold under load, not the bot guard: each client would have to
        # solve a proof of work on the benchmark's own CPU (the server's check is one HMAC).
        "APPOINTMENTS_PROOF_OF_WORK": "0",
        # The demo payment provider, whose signed notifications are measured; production allows it only so.
        "AMTSWEG_DEMO_MODE": "1",
        "PAYMENT_PROVIDER": "demo",
        "PAYMENT_DEMO_SECRET": secrets.token_urlsafe(32),
    }
    if "DATABASE_URL" not in os.environ:
        db = ROOT / "var" / "bench.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        env["DATABASE_URL"] = f"sqlite:///{db}"
    return env


def prepare(env: dict[str, str], *, cases: int, payments: int) -> None:
    manage = [sys.executable, str(ROOT / "manage.py")]
    for args in (["migrate", "--noinput", "-v", "0"], ["load_kassel_demo"], ["collectstatic", "--noinput", "-v", "0"]):
        subprocess.run([*manage, *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    seed = [sys.executable, "-m", "benchmarks.seed", "--cases", str(cases), "--payments", str(payments)]
    subprocess.run(seed, cwd=ROOT, env=env, check=True)


# django.request logs every 409 as a warning: the booking rush's 400 "just taken" are expected.
EXPECTED_LOG = f"Conflict: {BOOKING_RUSH.path}"


def _server_log(stream) -> None:  # type: ignore[no-untyped-def]
    """The server's log on our stderr, without the lines the rush is expected to cause."""
    for line in stream:
        if not line.startswith(EXPECTED_LOG):
            sys.stderr.write(line)


def start_server(env: dict[str, str], port: int, workers: int) -> subprocess.Popen:
    gunicorn = Path(sys.executable).parent / "gunicorn"
    proc = subprocess.Popen(
        [
            str(gunicorn),
            "amtsweg.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    threading.Thread(target=_server_log, args=(proc.stderr,), daemon=True).start()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                if r.status == 200:
                    return proc
        except urllib.error.HTTPError as error:
            # Up, with its database: a 503 for tasks left waiting by an earlier run on the same database
            # (or for Redis) is not the server's start failing.
            if json.loads(error.read() or b"{}").get("database") == "ok":
                return proc
            time.sleep(0.3)
        except OSError:
            time.sleep(0.3)
    proc.terminate()
    raise SystemExit("gunicorn did not become healthy within 30 s")


QUEUE_COUNT = (
    "import django, json; django.setup();"
    "from django_tasks_db.models import DBTaskResult;"
    "print(json.dumps({'done': DBTaskResult.objects.exclude(status='READY').exclude(status='RUNNING').count()}))"
)


def drain_rate(env: dict[str, str], *, seconds: int) -> float:
    """Tasks finished per second by one db_worker process over ``seconds``."""

    def finished() -> int:
        out = subprocess.run([sys.executable, "-c", QUEUE_COUNT], cwd=ROOT, env=env, capture_output=True, text=True)
        return json.loads(out.stdout.strip().splitlines()[-1])["done"]

    before = finished()
    worker = subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), "db_worker"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        time.sleep(seconds)
    finally:
        worker.terminate()
        worker.wait(timeout=60)
    return (finished() - before) / seconds


def check_page(port: int, scenario: Scenario, *, timeout: int = 10) -> None:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{scenario.path}")
    for header in scenario.headers:
        name, value = header.split(": ", 1)
        request.add_header(name, value)
    with urllib.request.urlopen(request, timeout=timeout) as r:
        if r.status != 200:
            raise SystemExit(f"{scenario.name}: {scenario.path} answered {r.status}")


def run_wrk(port: int, scenario: Scenario, *, connections: int, duration: int, threads: int, timeout: int = 10) -> dict:
    out = subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{duration}s",
            "--timeout",
            f"{timeout}s",
            "-s",
            str(LUA),
            *[arg for header in scenario.headers for arg in ("-H", header)],
            f"http://127.0.0.1:{port}{scenario.path}",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    line = [ln for ln in out.stdout.splitlines() if ln.startswith("{")][-1]
    data = json.loads(line)
    data["rps"] = data["requests"] / (data["duration_us"] / 1e6)
    data["errors"] = sum(data[k] for k in data if k.startswith("errors_"))
    return data


def pages_and_submissions(env: dict[str, str], args: argparse.Namespace, rows: list) -> dict:
    """The public pages, a form step, the inbox (rows added to ``rows``); whole submissions and the task drain rate."""
    base = f"http://127.0.0.1:{args.port}"
    load = {"connections": args.connections, "duration": args.duration, "threads": args.threads}
    for scenario in PAGES:
        rows.append((scenario, run_wrk(args.port, scenario, **load)))
    # Applications and the back office (issue 3): a citizen's question page
    # with a draft in the session, and a staff member's inbox over many cases.
    draft_cookie = flows.citizen_at_measured_step(base).cookie_header()
    staff_cookie = flows.staff_cookie(base, *BENCH_STAFF)
    inbox = {"min_ratio": None, "max_p95_ms": 100.0, "headers": (staff_cookie,), "connections": 8}
    for scenario in [
        # The ceiling of any question page: session, the draft's row and the page frame with a form,
        # no question (benchmarks.views.question_page_floor). No goal; the form step's goal is read against it.
        Scenario(
            "question page floor", "/_bench/question-floor", headers=(draft_cookie,), min_ratio=None, max_p95_ms=None
        ),
        Scenario(
            "form step page",
            f"{flows.FORM}schritt/{flows.MEASURED_STEP}/",
            headers=(draft_cookie,),
            min_ratio=0.6,
            against="question page floor",
        ),
        # A department's staff at once (8 connections), not the public's 32.
        Scenario(f"inbox, {args.cases} cases", "/intern/", **inbox),
        Scenario("inbox, name search", "/intern/?q=Muster4711", **inbox),
    ]:
        check_page(args.port, scenario)
        connections = scenario.connections or args.connections
        rows.append((scenario, run_wrk(args.port, scenario, **{**load, "connections": connections})))
    # Whole submissions through real HTTP with CSRF. Their PDFs and emails
    # are background tasks: they queue up while this runs, then a worker
    # drains the queue and its rate is measured on its own.
    submissions = flows.submission_rate(base, clients=args.submit_clients, duration=max(args.duration * 2, 10))
    submissions["tasks_done_per_second"] = drain_rate(env, seconds=20)
    return submissions


def usage_pages(args: argparse.Namespace, rows: list) -> None:
    """The usage dashboard and its export as leadership sees them (rows added to ``rows``), one connection per
    worker: p95 is one page's time. Goal: the year's dashboard under 1 s p95 (issue 22)."""
    cookie = flows.staff_cookie(f"http://127.0.0.1:{args.port}", *statistics.BENCH_LEADERSHIP)
    load = {"duration": args.duration, "threads": 1, "connections": args.workers}
    common = {"min_ratio": None, "headers": (cookie,), "connections": args.workers}
    year = statistics.BENCH_YEAR
    for scenario in [
        Scenario(f"usage dashboard, {year}", f"/intern/statistik/?zeitraum={year}", max_p95_ms=1000.0, **common),
        Scenario("usage dashboard, one month", f"/intern/statistik/?zeitraum={year}-03", max_p95_ms=1000.0, **common),
        Scenario(
            "usage export CSV, a year", f"/intern/statistik/export.csv?zeitraum={year}", max_p95_ms=None, **common
        ),
    ]:
        check_page(args.port, scenario, timeout=30)
        rows.append((scenario, run_wrk(args.port, scenario, timeout=30, **load)))


def appointment_pages(env: dict[str, str], args: argparse.Namespace, rows: list) -> dict:
    """The earliest-time search at the Kfz offices over HTTP (rows added to ``rows``) and in-process."""
    # A search takes seconds while the appointments code walks day by day: longer runs, a longer timeout.
    duration = max(args.duration, 15)
    missing = []
    for scenario in (SLOT_SEARCH, KFZ_TIMES):
        try:
            check_page(args.port, scenario, timeout=60)
        except urllib.error.HTTPError as error:
            if error.code != 404:
                raise
            missing.append(scenario.path)
            continue
        threads = min(args.threads, scenario.connections or args.threads)
        load = {"connections": scenario.connections, "duration": duration, "threads": threads, "timeout": 60}
        rows.append((scenario, run_wrk(args.port, scenario, **load)))
    return {"missing": missing, "in_process": appointments.search_in_process(env, seconds=duration)}


def print_appointments(search: dict, rush: dict, *, bookings: int) -> None:
    if search:
        found = search["in_process"]
        print(
            f"\nslot search at the 4 Kfz offices ({appointments.COUNTERS} counters each, "
            f"{appointments.HORIZON_DAYS}-day horizon, {bookings} bookings, booked out for weeks): "
            "the earliest free time at each office"
        )
        for path in search["missing"]:
            print(f"  {path} answered 404: not measured over HTTP")
        print(
            f"  in-process, {found['repetitions']} searches ({found['vendor']}): p50 {found['p50_ms']:.1f} ms, "
            f"p95 {found['p95_ms']:.1f} ms, ratio {found['ratio']:.0f} to a trivial ORM query "
            f"(p50 {found['trivial_query_p50_ms']:.2f} ms); per search {found['queries_per_search']:.0f} queries, "
            f"{found['db_ms_per_search']:.0f} ms in the database"
        )
        print(
            f"  in-process, cold ({found['cold_repetitions']} searches, the cached earliest times dropped "
            f"before each, as after a booking at every office): p50 {found['cold_p50_ms']:.1f} ms, "
            f"p95 {found['cold_p95_ms']:.1f} ms; per search {found['cold_queries_per_search']:.0f} queries, "
            f"{found['cold_db_ms_per_search']:.0f} ms in the database"
        )
        print("  earliest: " + ", ".join(f"{slug} {start or 'none'}" for slug, start in found["earliest"]))
        verdict = "met" if found["p95_ms"] < (SLOT_SEARCH.max_p95_ms or 0) else "MISSED"
        print(f"  goal in-process: p95 < {SLOT_SEARCH.max_p95_ms:.0f} ms {verdict} (over HTTP: the table)")
    if rush:
        check = rush["check"]
        print(
            f"\nbooking rush over HTTP: {rush['clients']} clients (each its own address and email, CSRF) race for "
            f"{rush['places']} places on {rush['day']} ({appointments.RUSH_COUNTERS} counters × "
            f"{rush['places'] // appointments.RUSH_COUNTERS} times, waiting room {check['waiting_room_capacity']})"
        )
        print(
            f"  answers: {rush['held']} held (200), {rush['taken']} just taken (409), {rush['refused']} other 4xx, "
            f"{rush['server_errors']} 5xx, {rush['socket_errors']} lost; statuses {rush['statuses']}"
        )
        print(
            f"  POST p50 {rush['p50_us'] / 1000:.0f} ms, p95 {rush['p95_us'] / 1000:.0f} ms, p99 "
            f"{rush['p99_us'] / 1000:.0f} ms, last {rush['max_us'] / 1000:.0f} ms ({rush['rps']:.0f} answers/s); "
            f"the form's GET before: p50 {rush['get_p50_us'] / 1000:.0f} ms, p95 {rush['get_p95_us'] / 1000:.0f} ms"
        )
        print(
            f"  floor: {rush['clients']} requests at once to the minimal view, same client: p50 "
            f"{rush['floor_p50_us'] / 1000:.0f} ms, p95 {rush['floor_p95_us'] / 1000:.0f} ms"
        )
        print(
            f"  database: {check['live_holds']} live holds, {check['active']} active appointments, "
            f"{check['double_booked']} counters booked twice, {check['beyond_counters']} beyond the staffed counters, "
            f"waiting room at most {check['waiting_room_peak']} of {check['waiting_room_capacity']}; "
            f"{rush['emails']} confirm-link emails"
        )
        cache = check["cache"] + (f", {check['cache_files']} other entries" if check["cache_files"] >= 0 else "")
        print(f"  load generator: {rush['client_cpu_s']:.1f} s CPU while the POSTs ran; cache: {cache}")
        if rush["server_cpu_ms_per_post"]:
            print(
                f"  server CPU (gunicorn and its workers): {rush['server_cpu_ms_per_post']:.2f} ms per POST, "
                f"{rush['server_cpu_ms_per_floor']:.2f} ms per request of the floor; task worker (nice 10): "
                f"{rush['worker_cpu_s']:.2f} s for {rush['emails']} confirm-link emails"
            )
        if rush["first_error"]:
            print(f"  first error: {rush['first_error']}")
        verdict = "met" if rush["met"] else "MISSED"
        print(f"  goal: exactly {rush['places']} holds, none over capacity, no 5xx: {verdict}")


def certificate_orders(env: dict[str, str], args: argparse.Namespace, server_pid: int) -> dict:
    """Whole certificate orders with their payment over HTTP; then the worker's drain rate of their tasks."""
    before = certificates.tasks_count(env)
    duration = max(args.duration * 2, 10)
    orders = certificates.run(env, args.port, clients=args.order_clients, duration=duration, server_pid=server_pid)
    orders["tasks_per_order"] = (certificates.tasks_count(env) - before) / max(1, orders["orders"] + orders["warmup"])
    orders["tasks_done_per_second"] = drain_rate(env, seconds=20)
    return orders


def print_certificates(data: dict, *, clients: int, baseline: float) -> None:
    check = data["check"]
    verdict = "met" if data["met"] else "MISSED"
    print(
        f"\ncertificate orders over HTTP ({clients} clients, CSRF, Geburtsurkunde 2 copies, card at the demo "
        f"provider, its signed notification; {data['requests_per_order']:.0f} requests per order): "
        f"{data['per_second']:.1f} complete orders/s, p95 {data['p95_s'] * 1000:.0f} ms per order, "
        f"{data['failures']} failures; goal: every order complete {verdict}"
    )
    cpu = data["server_cpu_ms"] + data["client_cpu_ms"]
    print(
        f"  {data['per_second'] * 1000 / baseline:.2f} orders per 1000 minimal-view requests of this run; CPU per "
        f"order: {data['server_cpu_ms']:.0f} ms in gunicorn, {data['client_cpu_ms']:.0f} ms in the load generator, "
        f"so 2 otherwise idle cores would give at most {2000 / cpu if cpu else 0:.0f} orders/s; the machine's "
        f"CPU was {data['machine_idle']:.0%} idle during the orders"
    )
    print(
        f"  database: {check['complete']} of {data['orders']} counted orders complete (paid by the notification, "
        f"case open, in the Standesamt's queue once); {check['paid']} paid, {check['in_queue']} in the queue, "
        f"{check['paid_twice']} paid twice, {check['queued_twice']} queued twice; "
        f"{data['client_failures']} orders failed in the client, {data['mismatches']} mismatches"
    )
    print(
        f"  background tasks (emails with PDFs, the provider's own notification): "
        f"{data['tasks_per_order']:.1f} per order, one worker finished {data['tasks_done_per_second']:.1f} tasks/s"
    )
    if data["first_failure"]:
        print(f"  first failure: {data['first_failure']}")


def print_notifications(data: dict, *, baseline: float, connections: int) -> None:
    print(
        f'\npayment notifications over HTTP (demo provider, HMAC signature checked, each payment\'s "paid" '
        f"{notifications.DUPLICATES} times at once; wrk 1 thread, {connections} connections): "
        f"{data['rps']:.0f}/s, p95 {data['p95_us'] / 1000:.1f} ms, ratio {data['rps'] / baseline:.2f}"
    )
    print(
        f"  {data['payments_delivered']} of {data['payments_seeded']} payments delivered (and "
        f"{data['payments_warmup']} before, to warm up), {data['paid']} paid, "
        f"{data['unpaid']} delivered but unpaid, {data['stray']} changed without delivery, "
        f"{data['cases_opened']} cases opened; non-2xx answers: {data['non2xx']}, socket errors: "
        f"{data['errors'] - data['non2xx']}"
    )
    if data["wrapped"]:
        print("  every payment was delivered before the time was up: later deliveries repeat them (seed more)")
    print(f"  double changes: {data['double_changes']}")
    verdict = "met" if data["met"] else "MISSED"
    print(f"  goal: ≥ {NOTIFICATIONS.min_rps:.0f}/s, 0 double changes (and none refused or unpaid): {verdict}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--duration", type=int, default=int(os.environ.get("BENCH_DURATION", "8")))
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--cases", type=int, default=int(os.environ.get("BENCH_CASES", "100000")))
    parser.add_argument("--submit-clients", type=int, default=8)
    parser.add_argument("--payments", type=int, default=int(os.environ.get("BENCH_PAYMENTS", "2000")))
    parser.add_argument("--bookings", type=int, default=int(os.environ.get("BENCH_BOOKINGS", "100000")))
    parser.add_argument("--rush-clients", type=int, default=500)
    parser.add_argument("--order-clients", type=int, default=8)
    parser.add_argument(
        "--statistics-records", type=int, default=int(os.environ.get("BENCH_STATISTICS_RECORDS", "150000"))
    )
    parser.add_argument(
        "--only",
        choices=[
            "applications",
            "certificates",
            "notifications",
            "appointments",
            "slot-search",
            "booking-rush",
            "meldebescheinigung",
            "statistics",
            "scale",
        ],
        help="the baseline and this scenario alone (applications: the public pages, the form step, the inbox "
        "and whole submissions; certificates: whole certificate orders with payment; appointments: the slot "
        "search and the booking rush; meldebescheinigung: the instant certificate, issued and sealed; statistics: "
        "the usage dashboard over a year of anonymous records; scale: one app server against two behind deploy/'s "
        "nginx, on PostgreSQL with Redis)",
    )
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install wrk (make deps)")

    env = server_env(args.port)
    if args.only == "scale":
        return scale_only(env, args)
    pages = args.only in (None, "applications")
    measure_notifications = args.only in (None, "notifications")
    measure_certificates = args.only in (None, "certificates")
    measure_search = args.only in (None, "appointments", "slot-search")
    measure_rush = args.only in (None, "appointments", "booking-rush")
    measure_meldebescheinigung = args.only in (None, "meldebescheinigung")
    measure_statistics = args.only in (None, "statistics")
    prepare(
        env,
        cases=args.cases if pages else 0,
        payments=args.payments if measure_notifications else 0,
    )
    if measure_statistics:
        statistics.seed(env, records=args.statistics_records)
    booked = {}
    if measure_search or measure_rush:
        booked = appointments.seed(env, bookings=args.bookings if measure_search else 0)
    # Booking emails go over SMTP (from the task worker) to this sink (as to the local mail server).
    sink = appointments.MailSink()
    env.update(sink.env())
    sink.start()
    proc = start_server(env, args.port, args.workers)
    rows = []
    submissions: dict = {}
    orders: dict = {}
    instant: dict = {}
    search: dict = {}
    rush: dict = {}
    try:
        measured = [BASELINE, *PAGES] if pages else [BASELINE]
        for scenario in measured:
            check_page(args.port, scenario)
        # Warm up every worker's caches and connections once.
        for scenario in measured:
            run_wrk(args.port, scenario, connections=4, duration=1, threads=1)
        baseline = run_wrk(
            args.port, BASELINE, connections=args.connections, duration=args.duration, threads=args.threads
        )
        rows.append((BASELINE, baseline))
        if pages:
            submissions = pages_and_submissions(env, args, rows)
        if measure_certificates:
            orders = certificate_orders(env, args, proc.pid)
        if measure_meldebescheinigung:
            instant = meldebescheinigung.run(env, seconds=max(args.duration, 5))
        if measure_statistics:
            usage_pages(args, rows)
        if measure_search:
            search = appointment_pages(env, args, rows)
        if measure_rush:
            rush = appointments.rush(env, args.port, booked, clients=args.rush_clients, sink=sink, server_pid=proc.pid)
            rows.append((BOOKING_RUSH, rush))
        if measure_notifications:
            # Payment notifications, 32 duplicates of each at once. Last: the cases they open and
            # the emails they queue must change neither the inbox nor the drain rate above.
            notified = notifications.run(env, args.port, connections=args.connections, duration=args.duration)
            rows.append((NOTIFICATIONS, notified))
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
        sink.stop()

    base_rps = baseline["rps"]
    database = env["DATABASE_URL"].split(":", 1)[0]
    print(
        f"\nAmtsweg benchmark: gunicorn {args.workers} workers, DEBUG off, {database}, wrk {args.threads} threads, "
        f"{args.connections} connections, {args.duration} s per page\n"
    )
    columns = ("conns", 5), ("req/s", 9), ("p50 ms", 8), ("p95 ms", 8), ("p99 ms", 8), ("ratio", 6), ("errors", 7)
    header = f"{'page':<26} " + " ".join(f"{name:>{width}}" for name, width in columns) + "  goal"
    print(header)
    print("-" * len(header))
    results = []
    rps_by_name = {scenario.name: data["rps"] for scenario, data in rows}
    for scenario, data in rows:
        ratio = data["rps"] / base_rps if base_rps else 0.0
        p95 = data["p95_us"] / 1000
        verdicts = []
        if scenario.min_ratio is not None and scenario.against is None:
            verdicts.append(f"ratio≥{scenario.min_ratio} {'met' if ratio >= scenario.min_ratio else 'MISSED'}")
        elif scenario.min_ratio is not None:
            peer_rps = rps_by_name.get(scenario.against, 0.0)
            peer_ratio = data["rps"] / peer_rps if peer_rps else 0.0
            met = "met" if peer_ratio >= scenario.min_ratio else "MISSED"
            verdicts.append(f"{peer_ratio:.2f} of {scenario.against}, goal ≥{scenario.min_ratio} {met}")
        if scenario.max_p95_ms is not None:
            verdicts.append(f"p95<{scenario.max_p95_ms:.0f}ms {'met' if p95 < scenario.max_p95_ms else 'MISSED'}")
        if scenario.min_rps is not None:
            verdicts.append(f"≥{scenario.min_rps:.0f}/s {'met' if data['rps'] >= scenario.min_rps else 'MISSED'}")
        conns = scenario.connections or args.connections
        if scenario is BOOKING_RUSH:
            conns = data["clients"]
        print(
            f"{scenario.name:<26} {conns:>5} {data['rps']:>9.{1 if data['rps'] < 10 else 0}f} "
            f"{data['p50_us'] / 1000:>8.1f} {p95:>8.1f} "
            f"{data['p99_us'] / 1000:>8.1f} {ratio:>6.2f} {data['errors']:>7}  {'; '.join(verdicts) or '-'}"
        )
        results.append({"name": scenario.name, "path": scenario.path, "ratio": ratio, **data})
    if submissions:
        print(
            f"\nfull submissions over HTTP ({args.submit_clients} clients, CSRF, 17 requests each): "
            f"{submissions['per_second']:.1f}/s, p95 {submissions['p95_s'] * 1000:.0f} ms per submission, "
            f"{submissions['failures']} failures (no rate goal: compare with benchmarks/RESULTS.md)"
        )
        print(
            f"background tasks (confirmation email with PDF, department email): one worker finished "
            f"{submissions['tasks_done_per_second']:.1f} tasks/s (2 tasks per submission)"
        )
        if submissions["first_failure"]:
            print(f"  first failure: {submissions['first_failure']}")
    if orders:
        print_certificates(orders, clients=args.order_clients, baseline=base_rps)
    if instant:
        meldebescheinigung.print_result(instant)
    print_appointments(search, rush, bookings=booked.get("bookings", 0))
    if measure_notifications:
        print_notifications(notified, baseline=base_rps, connections=args.connections)
    RESULTS.mkdir(exist_ok=True)
    summary = {
        "database": database,
        "args": vars(args),
        "results": results,
        "submissions": submissions,
        "certificates": orders,
        "meldebescheinigung": instant,
        "appointments": {"search": search, "rush": {k: v for k, v in rush.items() if k != "statuses"}},
    }
    (RESULTS / "latest.json").write_text(json.dumps(summary, indent=1))
    if args.only is None:
        if scale.available():
            print(f"\none app server against two: skipped, {scale.available()}")
        else:
            scale.print_rows(scale.run(env, args, run_wrk=run_wrk, check_page=check_page))
    return 0


def scale_only(env: dict[str, str], args: argparse.Namespace) -> int:
    """`--only scale`: the baseline, the form step and whole submissions through nginx, one app server then two."""
    reason = scale.available()
    if reason:
        raise SystemExit(f"--only scale {reason}")
    prepare(env, cases=0, payments=0)
    scale.print_rows(scale.run(env, args, run_wrk=run_wrk, check_page=check_page))
    return 0


if __name__ == "__main__":
    sys.exit(main())
