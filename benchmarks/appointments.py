"""Appointment booking: the earliest free time across the four Kfz offices, and a booking rush.

**Slot search.** The four Kfz offices (kfz-kassel, kfz-baunatal, kfz-hofgeismar,
kfz-wolfhagen) get a bench set-up: booking horizon 90 days, no lead time,
Mon–Fri 07:00–19:00 open, 13 counters, a 20-minute grid, and the 20-minute
service kfz-neuzulassung: 468 places per office and day. 100,000 confirmed
appointments are seeded like offices that are booked out for weeks: each office
is full from today for a share of its bookable days (88, 82, 76 and 70 %),
the rest of the bookings are scattered over the days after that. So the earliest
free time lies 9 to 12 weeks ahead, at a different day for each office, and a
search has to walk through the booked-out weeks. (Spread evenly, every day
would have a free place and the search would stop on the first day.)

Measured over HTTP with wrk on the page that lists each office's earliest free
time (``/termin/frueheste/kfz-neuzulassung/``), at 2 connections (one per worker),
so that its p95 is one search's time and not a queue. The same search is
measured in-process (``search``), with the queries it makes and the time spent
in the database, against a trivial ORM query as the in-process baseline; and
cold: with the cached earliest times dropped before each search (a new
``BookingPolicy.version`` at every office, as after a booking at each).

**Booking rush.** A separate bench location (``bench-kfz-ansturm``, the Kfz
service kfz-wiederzulassung for 20 minutes) is staffed on one weekday only, and
the race is for its day a week ahead: 5 counters × 20 times (08:00–14:40) =
100 places, the waiting room holds 10
(exactly the 5 in the counters plus the 5 waiting for the next time, so the
waiting-room rule is at its limit too). 500 clients, each from its own loopback
address (127.1.x.y, so that the views' 20-holds-per-IP limit counts each
citizen apart) and with its own email address, first GET the details page for
the CSRF cookie and token, then all 500 POST a hold at once, 25 for each time.
Every request is plain HTTP/1.1 over asyncio in one process. Afterwards the
database is checked with the engine's rules (``verify``): exactly 100 live
holds, no counter booked twice, no counter beyond the staffed ones, the waiting
room never over its capacity.

The holds queue their confirm-link email as a background task; a task worker
(``manage.py db_worker``, as ``make run`` and a production set-up run it next to
the web server, at nice 10) runs during the rush on the same machine and sends them over
SMTP to ``MailSink``, an SMTP server in its own process that accepts and counts
messages. The emails are counted once they have arrived (at most 60 s after the
rush).
Every seed first deletes all appointments at these five locations, and the
rush's rate-limit counters are deleted from the cache after the check.

With the server's environment (the harness runs these as subprocesses):

    python -m benchmarks.appointments seed --bookings N
    python -m benchmarks.appointments search --seconds S
    python -m benchmarks.appointments verify --day YYYY-MM-DD --run RUN --clients N
"""

import argparse
import asyncio
import datetime
import json
import math
import os
import random
import re
import socketserver
import statistics
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

from .certificates import server_cpu_seconds
from .scenarios import BOOKING_RUSH

ROOT = Path(__file__).resolve().parent.parent

KFZ_OFFICES = ("kfz-kassel", "kfz-baunatal", "kfz-hofgeismar", "kfz-wolfhagen")
SEARCH_SERVICE = "kfz-neuzulassung"  # scenarios.SLOT_SEARCH and KFZ_TIMES show it
HORIZON_DAYS = 90
OPENS, CLOSES = datetime.time(7, 0), datetime.time(19, 0)
SLOT_MINUTES = 20  # the grid, and the service's duration
COUNTERS = 13
WAITING_MINUTES = 10
CAPACITY = 30  # above 2 × 13: the counters are the limit at the Kfz offices, not the waiting room
BOOKED_OUT = (0.88, 0.82, 0.76, 0.70)  # share of each office's bookable days that is full from today
BOOKING_CODE_PREFIX = "BN"  # real codes have 6 characters; the bench's have 12

RUSH_LOCATION = "bench-kfz-ansturm"
RUSH_SERVICE = "kfz-wiederzulassung"
RUSH_PATH = BOOKING_RUSH.path  # the details page of RUSH_SERVICE at RUSH_LOCATION
RUSH_COUNTERS = 5
RUSH_OPENS, RUSH_CLOSES = datetime.time(8, 0), datetime.time(14, 40)  # 20 times of 20 minutes
RUSH_CAPACITY = 2 * RUSH_COUNTERS
RUSH_EMAIL_DOMAIN = "ansturm.bench.example"

CSRF_RE = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
COOKIE_RE = re.compile(rb"^set-cookie:\s*csrftoken=([^;\r\n]+)", re.IGNORECASE | re.MULTILINE)


# --- the harness side -----------------------------------------------------------------------------


def _module(env: dict[str, str], *args: str) -> dict:
    """Run this module's command with the server's environment; its last output line is JSON."""
    command = [sys.executable, "-m", "benchmarks.appointments", *args]
    out = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if out.returncode:
        raise SystemExit(f"benchmarks.appointments {args[0]} failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def seed(env: dict[str, str], *, bookings: int) -> dict:
    """Seed the Kfz offices and the rush location; the rush's day and times."""
    started = time.monotonic()
    info = _module(env, "seed", "--bookings", str(bookings))
    info["seconds"] = time.monotonic() - started
    print(f"appointments seed: {info['bookings']} bookings at the Kfz offices in {info['seconds']:.0f} s")
    return info


def search_in_process(env: dict[str, str], *, seconds: int) -> dict:
    return _module(env, "search", "--seconds", str(seconds))


def verify(env: dict[str, str], *, day: str, run: str, clients: int) -> dict:
    return _module(env, "verify", "--day", day, "--run", run, "--clients", str(clients))


def _serve_mail(port_out, received) -> None:  # type: ignore[no-untyped-def]
    """The SMTP server of ``MailSink``, in its own process: accept every message, count it in ``received``."""

    class Handler(socketserver.StreamRequestHandler):
        def handle(self) -> None:
            self.wfile.write(b"220 bench ESMTP\r\n")
            while line := self.rfile.readline():
                verb = line[:4].upper()
                if verb == b"EHLO":
                    self.wfile.write(b"250-bench\r\n250 8BITMIME\r\n")
                elif verb == b"DATA":
                    self.wfile.write(b"354 end with <CRLF>.<CRLF>\r\n")
                    while self.rfile.readline() not in (b".\r\n", b""):
                        pass
                    with received.get_lock():
                        received.value += 1
                    self.wfile.write(b"250 OK\r\n")
                elif verb == b"QUIT":
                    self.wfile.write(b"221 bye\r\n")
                    return
                else:
                    self.wfile.write(b"250 OK\r\n")

    class Server(socketserver.ThreadingTCPServer):
        daemon_threads = True
        allow_reuse_address = True

    server = Server(("127.0.0.1", 0), Handler)
    port_out.send(server.server_address[1])
    server.serve_forever()


class MailSink:
    """An SMTP server on a free local port that accepts every message and counts them.

    It runs in its own process, as a mail server would: in the harness's process it would share the GIL
    with the 500 rush clients, and every hold's SMTP conversation would wait for the load generator.
    """

    def __init__(self) -> None:
        import multiprocessing

        context = multiprocessing.get_context("fork")
        self._received = context.Value("i", 0)
        parent, child = context.Pipe()
        self.process = context.Process(target=_serve_mail, args=(child, self._received), daemon=True)
        self.process.start()
        self.port = parent.recv()

    @property
    def received(self) -> int:
        return self._received.value

    def env(self) -> dict[str, str]:
        return {"EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(self.port), "EMAIL_USE_TLS": "0"}

    def start(self) -> None:
        """Serving since it was made (kept for the harness's start/stop pairing)."""

    def stop(self) -> None:
        self.process.terminate()
        self.process.join(timeout=10)


def _percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (as wrk reports them); 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


async def _http(port: int, source: str, request: bytes, *, timeout: float) -> tuple[int, bytes, float]:
    """One request on its own connection from ``source``; the status, the whole answer and the seconds taken."""
    started = time.perf_counter()
    reader, writer = await asyncio.wait_for(
        asyncio.open_connection("127.0.0.1", port, local_addr=(source, 0)), timeout=timeout
    )
    try:
        writer.write(request)
        await writer.drain()
        answer = await asyncio.wait_for(reader.read(), timeout=timeout)  # Connection: close, so up to EOF
    finally:
        writer.close()
    elapsed = time.perf_counter() - started
    status = int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/") else 0
    return status, answer, elapsed


def _source(index: int) -> str:
    """Client ``index``'s own loopback address (all of 127.0.0.0/8 reaches the server on Linux)."""
    return f"127.1.{index // 250}.{index % 250 + 1}"


async def _burst(
    port: int, requests: list[bytes], outcome: dict, kind: str, server_pid: int = 0
) -> list[tuple[int, bytes]]:
    """Send ``requests`` all at once, request i from client i's address; their answers (status 0: lost).

    Latencies go to ``outcome[kind + "_s"]``, the wall time of the burst to ``outcome[kind + "_wall_s"]``, and
    with ``server_pid`` the CPU time of gunicorn and its workers meanwhile to ``outcome[kind + "_server_cpu_s"]``
    (unlike the latencies, it hardly depends on what else the machine is doing).
    """

    release = asyncio.Event()
    answers: list[tuple[int, bytes]] = [(0, b"")] * len(requests)
    outcome[f"{kind}_s"] = []

    async def one(index: int) -> None:
        await release.wait()
        try:
            status, answer, elapsed = await _http(port, _source(index), requests[index], timeout=120)
        except (OSError, TimeoutError) as error:
            outcome["errors"].append(f"{kind}: {type(error).__name__}: {error}")
            return
        outcome[f"{kind}_s"].append(elapsed)
        answers[index] = status, answer

    tasks = [asyncio.create_task(one(i)) for i in range(len(requests))]
    await asyncio.sleep(0.2)  # every task waits at the start line
    server = server_cpu_seconds(server_pid) if server_pid else 0.0
    cpu, began = time.process_time(), time.perf_counter()
    release.set()
    await asyncio.gather(*tasks)
    outcome[f"{kind}_wall_s"] = time.perf_counter() - began
    outcome[f"{kind}_cpu_s"] = time.process_time() - cpu
    if server_pid:
        outcome[f"{kind}_server_cpu_s"] = server_cpu_seconds(server_pid) - server
    return answers


async def _rush(port: int, *, times: list[str], clients: int, run: str, server_pid: int = 0) -> dict:
    host = f"127.0.0.1:{port}"
    outcome: dict = {"errors": []}
    head = f"HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n"
    # The floor: as many requests at once to the minimal view, from the same addresses.
    await _burst(port, [f"GET /_bench/minimal {head}\r\n".encode()] * clients, outcome, "floor", server_pid)
    # The crowd opens the details page: everyone holds a CSRF cookie and token before the race starts.
    zeit = [times[i % len(times)] for i in range(clients)]
    forms = [f"GET {RUSH_PATH}?{urllib.parse.urlencode({'zeit': z})} {head}\r\n".encode() for z in zeit]
    posts = []
    for index, (status, answer) in enumerate(await _burst(port, forms, outcome, "get")):
        cookie, token = COOKIE_RE.search(answer), CSRF_RE.search(answer)
        if status != 200 or cookie is None or token is None:
            raise SystemExit(f"booking rush: the details page answered {status} without a CSRF cookie and token")
        form = {
            "csrfmiddlewaretoken": token.group(1).decode(),
            "zeit": zeit[index],
            "name": f"Erika Ansturm {index}",
            "email": f"client{index}.{run}@{RUSH_EMAIL_DOMAIN}",
            "phone": "",
        }
        body = urllib.parse.urlencode(form).encode()
        posts.append(
            f"POST {RUSH_PATH} {head}Cookie: csrftoken={cookie.group(1).decode()}\r\n"
            f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(body)}\r\n\r\n".encode()
            + body
        )
    # The race: every hold at once.
    outcome["statuses"] = {}
    outcome["first_unexpected"] = ""
    for status, answer in await _burst(port, posts, outcome, "post", server_pid):
        outcome["statuses"][status] = outcome["statuses"].get(status, 0) + 1
        if status not in (0, 200, 409) and not outcome["first_unexpected"]:
            outcome["first_unexpected"] = f"{status}: {answer[:300]!r}"
    return outcome


def rush(env: dict[str, str], port: int, info: dict, *, clients: int, sink: MailSink, server_pid: int = 0) -> dict:
    """500 clients race for the rush day's 100 places; the answers, their latency and the database check."""
    mails_before = sink.received
    run = f"{time.time_ns():x}"
    # The task worker that sends the confirm links, running during the rush as it would in production, with a
    # lower CPU priority than the web workers (nice 10, as docs/deployment.md recommends): on the same two cores
    # the emails then wait for the answers, not the answers for the emails.
    worker = subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), "db_worker", "--queue-name", "*", "--no-reload", "-v", "0"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        preexec_fn=lambda: os.nice(10),
    )
    try:
        time.sleep(2)  # started and polling before the race
        worker_cpu = server_cpu_seconds(worker.pid)
        outcome = asyncio.run(_rush(port, times=info["rush_times"], clients=clients, run=run, server_pid=server_pid))
        held = outcome["statuses"].get(200, 0)
        waited = time.monotonic() + 60
        while sink.received - mails_before < held and time.monotonic() < waited:
            time.sleep(0.2)
        worker_cpu = server_cpu_seconds(worker.pid) - worker_cpu
    finally:
        worker.terminate()
        worker.wait(timeout=60)
    posts, statuses = outcome["post_s"], outcome["statuses"]
    data = {
        "clients": clients,
        "requests": len(posts),
        "duration_us": outcome["post_wall_s"] * 1e6,
        "rps": len(posts) / outcome["post_wall_s"] if outcome["post_wall_s"] else 0.0,
        "p50_us": _percentile(posts, 0.50) * 1e6,
        "p95_us": _percentile(posts, 0.95) * 1e6,
        "p99_us": _percentile(posts, 0.99) * 1e6,
        "max_us": max(posts, default=0) * 1e6,
        "get_p50_us": _percentile(outcome["get_s"], 0.50) * 1e6,
        "get_p95_us": _percentile(outcome["get_s"], 0.95) * 1e6,
        "floor_p50_us": _percentile(outcome["floor_s"], 0.50) * 1e6,
        "floor_p95_us": _percentile(outcome["floor_s"], 0.95) * 1e6,
        "held": statuses.get(200, 0),
        "taken": statuses.get(409, 0),
        "refused": sum(n for status, n in statuses.items() if 400 <= status < 500 and status != 409),
        "server_errors": sum(n for status, n in statuses.items() if status >= 500 or 0 < status < 200),
        "socket_errors": len(outcome["errors"]),
        "first_error": outcome["errors"][0] if outcome["errors"] else outcome["first_unexpected"],
        "statuses": {str(k): v for k, v in sorted(statuses.items()) if k},
        "client_cpu_s": outcome["post_cpu_s"],
        # The server's CPU per request of the burst: gunicorn and its workers, not the task worker.
        "worker_cpu_s": worker_cpu,  # the task worker from before the floor until the last email arrived
        "server_cpu_ms_per_post": outcome.get("post_server_cpu_s", 0.0) * 1000 / max(len(posts), 1),
        "server_cpu_ms_per_floor": outcome.get("floor_server_cpu_s", 0.0) * 1000 / max(len(outcome["floor_s"]), 1),
        "places": info["rush_places"],
        "day": info["rush_day"],
    }
    # The table's error column: every answer that is neither a hold nor "just taken", and lost requests.
    data["errors"] = data["refused"] + data["server_errors"] + data["socket_errors"]
    data["emails"] = sink.received - mails_before
    data["check"] = verify(env, day=info["rush_day"], run=run, clients=clients)
    check = data["check"]
    data["met"] = (
        data["held"] == check["live_holds"] == check["active"] == data["places"]
        and check["double_booked"] == check["beyond_counters"] == check["waiting_room_overflow"] == 0
        and data["server_errors"] == data["socket_errors"] == 0
    )
    return data


# --- the server side (with the server's settings) ----------------------------------------------------


def _bookable_days(today: datetime.date, last: datetime.date) -> list[datetime.date]:
    import holidays

    hesse = holidays.country_holidays("DE", subdiv="HE", years=range(today.year, last.year + 1))
    days = (today + datetime.timedelta(days=n) for n in range((last - today).days + 1))
    return [day for day in days if day.weekday() < 5 and day not in hesse]


def _office_set_up(location, *, weekdays, opens, closes, counters, slot, capacity, service, minutes) -> None:  # type: ignore[no-untyped-def]
    from amtsweg.appointments.models import BookableService, BookingPolicy, CounterHours
    from amtsweg.catalogue.models import OpeningHours

    BookingPolicy.objects.update_or_create(
        location=location,
        defaults={
            "enabled": True,
            "slot_minutes": slot,
            "waiting_room_capacity": capacity,
            "waiting_minutes": WAITING_MINUTES,
            "horizon_days": HORIZON_DAYS,
            "lead_minutes": 0,
            "release_time": datetime.time(0, 0),
            "emergency_percent": 0,
            "max_active_per_email": 1,
        },
    )
    OpeningHours.objects.filter(location=location).delete()
    OpeningHours.objects.bulk_create(
        OpeningHours(location=location, weekday=day, opens=opens, closes=closes) for day in weekdays
    )
    CounterHours.objects.filter(location=location).delete()
    CounterHours.objects.bulk_create(
        CounterHours(location=location, weekday=day, start=opens, end=closes, counters=counters) for day in weekdays
    )
    BookableService.objects.update_or_create(location=location, service=service, defaults={"duration_minutes": minutes})


def seed_command(*, bookings: int) -> dict:
    from django.db import connection, transaction
    from django.utils import timezone

    from amtsweg.appointments.constants import AppointmentStatus
    from amtsweg.appointments.models import Appointment, free_times_changed
    from amtsweg.catalogue.models import Department, Location, Service

    rng = random.Random(42)
    now = timezone.now()
    today = timezone.localdate(now)
    days = _bookable_days(today, today + datetime.timedelta(days=HORIZON_DAYS))
    offices = [Location.objects.get(slug=slug) for slug in KFZ_OFFICES]
    service = Service.objects.get(slug=SEARCH_SERVICE)
    rush_service = Service.objects.get(slug=RUSH_SERVICE)
    department = Department.objects.get(slug="kfz")
    rush_location, _created = Location.objects.update_or_create(
        slug=RUSH_LOCATION,
        defaults={
            "name_de": "Kfz-Zulassung, Sonderschalter (Benchmark)",
            "name_en": "Vehicle registration, special counter (benchmark)",
            "department": department,
            "published": False,
        },
    )
    with transaction.atomic():
        Appointment.objects.filter(location__in=[*offices, rush_location]).delete()
        for office in offices:
            _office_set_up(office, weekdays=range(5), opens=OPENS, closes=CLOSES, counters=COUNTERS,
                           slot=SLOT_MINUTES, capacity=CAPACITY, service=service, minutes=SLOT_MINUTES)  # fmt: skip
        # The rush: a weekday a week ahead; the location is staffed on that weekday only, the race is for this day.
        rush_day = next(day for day in days if day >= today + datetime.timedelta(days=7))
        _office_set_up(rush_location, weekdays=[rush_day.weekday()], opens=RUSH_OPENS, closes=RUSH_CLOSES,
                       counters=RUSH_COUNTERS, slot=SLOT_MINUTES, capacity=RUSH_CAPACITY, service=rush_service,
                       minutes=SLOT_MINUTES)  # fmt: skip

    def places(day: datetime.date):  # type: ignore[no-untyped-def]
        start = timezone.make_aware(datetime.datetime.combine(day, OPENS))
        end = timezone.make_aware(datetime.datetime.combine(day, CLOSES))
        while start + datetime.timedelta(minutes=SLOT_MINUTES) <= end:
            for counter in range(COUNTERS):
                yield start, counter
            start += datetime.timedelta(minutes=SLOT_MINUTES)

    # Each office is booked out from today for its share of the days; the rest is scattered after that.
    full = [[(o, s, c) for day in days[: int(len(days) * share)] for s, c in places(day)]
            for o, share in zip(offices, BOOKED_OUT, strict=True)]  # fmt: skip
    rest = [(o, s, c) for o, share in zip(offices, BOOKED_OUT, strict=True)
            for day in days[int(len(days) * share):] for s, c in places(day)]  # fmt: skip
    in_full = sum(map(len, full))
    if bookings <= in_full:  # fewer bookings: each office booked out for a shorter stretch, in proportion
        chosen = [p for office in full for p in office[: round(bookings * len(office) / in_full)]][:bookings]
    else:
        chosen = [p for office in full for p in office] + rng.sample(rest, min(len(rest), bookings - in_full))
    duration = datetime.timedelta(minutes=SLOT_MINUTES)
    batch = 5000
    for first in range(0, len(chosen), batch):
        with transaction.atomic():
            Appointment.objects.bulk_create(
                [
                    Appointment(
                        booking_code=f"{BOOKING_CODE_PREFIX}{first + i:010d}",
                        location=office,
                        service=service,
                        starts_at=start,
                        ends_at=start + duration,
                        counter=counter,
                        status=AppointmentStatus.CONFIRMED,
                        confirmed_at=now,
                        name=f"Max Bestand{first + i}",
                        email=f"bestand{first + i}@kfz.bench.example",
                    )
                    for i, (office, start, counter) in enumerate(chosen[first : first + batch])
                ],
                batch_size=1000,
            )
    for location in [*offices, rush_location]:  # bulk_create sends no signals: drop cached answers here
        free_times_changed(location_id=location.pk)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    rush_times = []
    start = timezone.make_aware(datetime.datetime.combine(rush_day, RUSH_OPENS))
    while start + duration <= timezone.make_aware(datetime.datetime.combine(rush_day, RUSH_CLOSES)):
        rush_times.append(start.isoformat())
        start += duration
    return {
        "bookings": len(chosen),
        "bookable_days": len(days),
        "rush_day": rush_day.isoformat(),
        "rush_times": rush_times,
        "rush_places": RUSH_COUNTERS * len(rush_times),
    }


def _earliest():  # type: ignore[no-untyped-def]
    """The search the page makes: each office's next free time (``selectors.earliest_anywhere``, or the
    same loop over ``next_free`` where that selector does not exist)."""
    from amtsweg.appointments import selectors
    from amtsweg.appointments.models import BookableService

    if hasattr(selectors, "earliest_anywhere"):
        return lambda: [
            (place["bookable"].location.slug, place["slot"].start if place["slot"] else None)
            for place in selectors.earliest_anywhere(service_slug=SEARCH_SERVICE)
        ]

    def search():  # type: ignore[no-untyped-def]
        found = []
        for bookable in BookableService.objects.filter(service__slug=SEARCH_SERVICE).select_related("location"):
            slots = selectors.next_free(location=bookable.location, bookable=bookable, count=1)
            found.append((bookable.location.slug, slots[0].start if slots else None))
        return found

    return search


def search_command(*, seconds: float) -> dict:
    """The earliest-time search repeated for ``seconds`` (at least 5, at most 1000 times), and a trivial query."""
    from django.db import connection

    from amtsweg.appointments.models import BookingPolicy, free_times_changed
    from amtsweg.catalogue.models import Location

    search = _earliest()
    db = {"queries": 0, "seconds": 0.0}

    def timed(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            db["queries"] += 1
            db["seconds"] += time.perf_counter() - started

    found = search()  # warm: connection, holiday tables, templates of nothing
    took: list[float] = []
    with connection.execute_wrapper(timed):
        stop = time.perf_counter() + seconds
        while len(took) < 5 or (time.perf_counter() < stop and len(took) < 1000):
            started = time.perf_counter()
            search()
            took.append(time.perf_counter() - started)
    # Cold: the cached earliest times dropped before each search (as after a booking at every office).
    cold: list[float] = []
    cold_db = {"queries": 0, "seconds": 0.0}
    db_warm = dict(db)
    db.update(queries=0, seconds=0.0)
    with connection.execute_wrapper(timed):
        stop = time.perf_counter() + seconds
        while len(cold) < 5 or (time.perf_counter() < stop and len(cold) < 200):
            for slug in KFZ_OFFICES:
                free_times_changed(location_id=Location.objects.get(slug=slug).pk)
            db.update(queries=0, seconds=0.0)
            started = time.perf_counter()
            search()
            cold.append(time.perf_counter() - started)
            cold_db["queries"] += db["queries"]
            cold_db["seconds"] += db["seconds"]
    db.update(db_warm)
    trivial: list[float] = []
    for _ in range(1000):
        started = time.perf_counter()
        BookingPolicy.objects.filter(location__slug=KFZ_OFFICES[0]).values_list("pk", flat=True).first()
        trivial.append(time.perf_counter() - started)
    p50_trivial = statistics.median(trivial)
    return {
        "vendor": connection.vendor,
        "repetitions": len(took),
        "p50_ms": _percentile(took, 0.50) * 1000,
        "p95_ms": _percentile(took, 0.95) * 1000,
        "p99_ms": _percentile(took, 0.99) * 1000,
        "queries_per_search": db["queries"] / len(took),
        "db_ms_per_search": db["seconds"] * 1000 / len(took),
        "trivial_query_p50_ms": p50_trivial * 1000,
        "ratio": _percentile(took, 0.50) / p50_trivial,
        "cold_repetitions": len(cold),
        "cold_p50_ms": _percentile(cold, 0.50) * 1000,
        "cold_p95_ms": _percentile(cold, 0.95) * 1000,
        "cold_queries_per_search": cold_db["queries"] / len(cold),
        "cold_db_ms_per_search": cold_db["seconds"] * 1000 / len(cold),
        "earliest": [[slug, start.isoformat() if start else None] for slug, start in found],
    }


def verify_command(*, day: datetime.date, run: str, clients: int) -> dict:
    """The rush day at the rush location after the race, checked with the engine's rules.

    Then the rush's counters of the views' rate limits are deleted from the cache, so that the
    next run starts from none and the cache keeps no entries of the benchmark.
    """
    from django.core.cache import caches
    from django.core.cache.backends.filebased import FileBasedCache
    from django.utils import timezone

    from amtsweg.appointments import engine, selectors
    from amtsweg.appointments.constants import ACTIVE, AppointmentStatus
    from amtsweg.appointments.models import Appointment, BookingPolicy
    from amtsweg.catalogue.models import Location

    now = timezone.now()
    location = Location.objects.get(slug=RUSH_LOCATION)
    policy = BookingPolicy.objects.get(location=location)
    plan = selectors.day_plan(location=location, policy=policy, day=day, now=now)
    rows = list(Appointment.objects.filter(location=location))
    expired = [r for r in rows if r.status == AppointmentStatus.HELD and r.hold_expires_at <= now]
    live = [r for r in rows if r.status in ACTIVE and r not in expired]
    bookings = [engine.Booking(start=r.starts_at, end=r.ends_at, persons=r.persons, counter=r.counter) for r in live]
    double = sum(
        1
        for i, a in enumerate(bookings)
        for b in bookings[i + 1 :]
        if a.counter == b.counter and a.start < b.end and b.start < a.end
    )
    beyond = sum(1 for b in bookings if b.counter >= engine.counters_at(plan, b.start, b.end))
    waiting = datetime.timedelta(minutes=plan.waiting_minutes)
    peak = max(
        (engine.on_site_peak(bookings, b.start - waiting, b.end, plan.waiting_minutes) for b in bookings), default=0
    )
    cache = caches["default"]
    cache.delete_many(
        [f"appt:ip:{_source(i)}" for i in range(clients)]
        + [f"appt:email:client{i}.{run}@{RUSH_EMAIL_DOMAIN}" for i in range(clients)]
    )
    # With the file cache, every cache write lists all its files (to cull): the rush's cost depends on them.
    files = len(cache._list_cache_files()) if isinstance(cache, FileBasedCache) else -1
    return {
        "appointments": len(rows),
        "active": len(live),
        "live_holds": sum(1 for r in live if r.status == AppointmentStatus.HELD),
        "other_days": sum(1 for r in rows if timezone.localdate(r.starts_at) != day),
        "double_booked": double,
        "beyond_counters": beyond,
        "waiting_room_peak": peak,
        "waiting_room_capacity": plan.capacity,
        "waiting_room_overflow": int(peak > plan.capacity),
        "cache": type(cache).__name__,
        "cache_files": files,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("seed").add_argument("--bookings", type=int, default=100_000)
    commands.add_parser("search").add_argument("--seconds", type=float, default=10)
    check = commands.add_parser("verify")
    check.add_argument("--day", type=datetime.date.fromisoformat, required=True)
    check.add_argument("--run", required=True)
    check.add_argument("--clients", type=int, required=True)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amtsweg.settings.production")
    import django

    django.setup()
    if args.command == "seed":
        result = seed_command(bookings=args.bookings)
    elif args.command == "search":
        result = search_command(seconds=args.seconds)
    else:
        result = verify_command(day=args.day, run=args.run, clients=args.clients)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
