"""The production shape as shipped in deploy/: Debian's nginx in front of two gunicorn app servers, an RQ
worker and the scheduler, on PostgreSQL and Redis, started from the unit files by deploy/localstack.py.

One stack, one test, its steps in order; a failure names its step:

a) a citizen's Kirchenaustritt whose requests alternate between the two app servers (session, CSRF, draft,
   eID login with the demo identity provider, payment with the demo provider): one case, one confirmation
   email, sent by the RQ worker;
b) a fee changed in the admin on one server is shown by the other at once;
c) a booking rush through nginx: exactly the capacity is held;
d) an app server killed mid-rush: only the requests it had in hand fail, and only POSTs (nginx retries the
   rest); then the worker killed while it sends an email: the scheduler puts the job back, it is sent once.
"""

from __future__ import annotations

import contextlib
import datetime
import itertools
import re
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import httpx
import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.utils import timezone

from amtsweg.accounts.models import User
from amtsweg.applications.models import Submission
from amtsweg.appointments.constants import AppointmentStatus
from amtsweg.appointments.models import Appointment, BookableService, BookingPolicy, CounterHours
from amtsweg.catalogue.models import Department, Fee, Location, OpeningHours, Service
from amtsweg.notifications.constants import NotificationKind
from amtsweg.notifications.models import Notification
from tests.fakes.smtp import FakeSMTPServer

from .conftest import Browser

pytestmark = [pytest.mark.production, pytest.mark.django_db(transaction=True)]

WAIT_SECONDS = 90
# RQ notices a killed worker's job only when the job's heartbeat expires: the monitoring interval (30 s)
# plus 60 s. The scheduler runs until then and a little longer.
RECOVERY_SECONDS = 180
ADMIN_PASSWORD = "correct-horse-battery-staple"


@contextlib.contextmanager
def step(name: str, stack) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """A failure inside is reported as this step's, with the end of the stack's logs."""
    try:
        yield
    except AssertionError as error:
        pytest.fail(f"step {name}: {error}\n\n{stack.logs()}", pytrace=True)
    except Exception as error:
        pytest.fail(f"step {name}: {type(error).__name__}: {error}\n\n{stack.logs()}", pytrace=True)


def wait_for(condition: Callable[[], bool], *, what: str, seconds: float = WAIT_SECONDS) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {seconds:.0f} seconds")
        time.sleep(0.2)


def _booking_location(slug: str, *, day: datetime.date, opens: datetime.time, closes: datetime.time, counters: int):  # type: ignore[no-untyped-def]
    """A location staffed on ``day``'s weekday only, with ``counters`` counters and 20-minute times."""
    location = Location.objects.create(
        slug=slug,
        name_de=f"Zulassungsstelle {slug}",
        name_en=f"Registration office {slug}",
        department=Department.objects.get(slug="kfz"),
        published=False,
    )
    BookingPolicy.objects.update_or_create(
        location=location,
        defaults={
            "enabled": True,
            "slot_minutes": 20,
            "waiting_room_capacity": 2 * counters,
            "waiting_minutes": 10,
            "horizon_days": 60,
            "lead_minutes": 0,
            "release_time": datetime.time(0, 0),
            "emergency_percent": 0,
            "max_active_per_email": 1,
        },
    )
    OpeningHours.objects.create(location=location, weekday=day.weekday(), opens=opens, closes=closes)
    CounterHours.objects.create(location=location, weekday=day.weekday(), start=opens, end=closes, counters=counters)
    service = Service.objects.get(slug="kfz-wiederzulassung")
    BookableService.objects.create(location=location, service=service, duration_minutes=20)
    return location


def _rush_day() -> datetime.date:
    import holidays

    today = timezone.localdate()
    hesse = holidays.country_holidays("DE", subdiv="HE", years=[today.year, today.year + 1])
    day = today + datetime.timedelta(days=7)
    while day.weekday() >= 5 or day in hesse:
        day += datetime.timedelta(days=1)
    return day


def _times(day: datetime.date, opens: datetime.time, count: int) -> list[str]:
    start = timezone.make_aware(datetime.datetime.combine(day, opens))
    return [(start + datetime.timedelta(minutes=20 * n)).isoformat() for n in range(count)]


def _live_holds(location: Location) -> int:
    return Appointment.objects.filter(
        location=location, status__in=[AppointmentStatus.HELD, AppointmentStatus.CONFIRMED]
    ).count()


@dataclass
class Attempt:
    method: str
    started: float
    address: str  # the client's own, in nginx's log as remote_addr
    status: int = 0  # 0: no HTTP answer
    request_id: str = ""
    error: str = ""


_addresses = itertools.count(1)


def _client_address() -> str:
    """A loopback address of its own per client, so that the per-address limits count each one apart."""
    n = next(_addresses)
    return f"127.3.{n // 250}.{n % 250 + 1}"


def hold_once(base: str, path: str, zeit: str, email: str, attempts: list[Attempt], lock: threading.Lock) -> None:
    """One citizen: open the details page through nginx, then ask for the hold (no JavaScript)."""
    address = _client_address()
    transport = httpx.HTTPTransport(local_address=address)
    with httpx.Client(base_url=base, transport=transport, timeout=60.0) as client:
        for method in ("GET", "POST"):
            attempt = Attempt(method=method, started=time.monotonic(), address=address)
            try:
                if method == "GET":
                    response = client.get(path, params={"zeit": zeit})
                    form = dict(re.findall(r'name="(csrfmiddlewaretoken|start)" value="([^"]*)"', response.text))
                else:
                    response = client.post(
                        path,
                        data={**form, "zeit": zeit, "name": "Erika Ansturm", "email": email, "phone": ""},
                    )
                attempt.status = response.status_code
                attempt.request_id = response.headers.get("x-request-id", "")
            except httpx.HTTPError as error:
                attempt.error = f"{type(error).__name__}: {error}"
            with lock:
                attempts.append(attempt)
            if attempt.status != 200:
                return


def test_the_production_shape(start_stack, smtp, forms):
    day = _rush_day()
    rush = _booking_location(
        "ansturm-eins", day=day, opens=datetime.time(8, 0), closes=datetime.time(8, 20), counters=3
    )
    killed_rush = _booking_location(
        "ansturm-zwei", day=day, opens=datetime.time(9, 0), closes=datetime.time(10, 0), counters=4
    )
    quiet = _booking_location("ruhig", day=day, opens=datetime.time(11, 0), closes=datetime.time(12, 0), counters=2)
    hasher = PBKDF2PasswordHasher()  # what production checks; the tests' own hasher is MD5
    User.objects.create(
        username="betrieb",
        is_staff=True,
        is_superuser=True,
        password=hasher.encode(ADMIN_PASSWORD, hasher.salt()),
    )
    started = time.monotonic()
    stack = start_stack(app_servers=2, workers=1)
    host = stack.url.removeprefix("http://")
    timings = {"start": time.monotonic() - started}

    with step("a) citizen journey alternating between the app servers", stack):
        browser = Browser(stack.app_urls, host=host)
        browser.get("/antrag/kirchenaustritt/")
        browser.submit()  # "Jetzt starten": the service needs a login, the answer offers it
        assert browser.page.status_code == 401 and "/anmelden/bundid/start/" in browser.page.text, browser.path
        browser.submit(to="bundid/start")  # "Mit BundID anmelden": the page that posts our AuthnRequest
        browser.submit("SAMLRequest")
        browser.submit(person="kassel-adult")  # at the demo identity provider
        browser.submit("SAMLResponse")  # back to our ACS, then to the form
        assert "/antrag/kirchenaustritt/" in browser.path, browser.path
        browser.submit()  # "Jetzt starten" again, logged in now
        browser.submit(for_whom="self", action="continue")
        assert "Mustermann" in browser.page.text
        browser.submit(action="continue")  # the ID's data, locked
        browser.submit(community="roman_catholic", baptism_place="Fulda", action="continue")
        assert "30,00" in browser.text(), browser.path
        browser.submit(declaration="yes")  # "Antrag absenden"
        assert re.search(r"/zahlung/[0-9a-f-]{36}/$", browser.path), browser.path
        browser.submit(method="card")  # "Jetzt bezahlen": the demo provider's page
        assert "/demo-zahlung/" in browser.path, browser.path
        browser.submit(outcome="paid")  # the provider sends the browser back; the return asks its books
        assert browser.page.status_code == 200, (browser.path, browser.page.status_code)
        [submission] = Submission.objects.filter(form_version__service__slug="kirchenaustritt")
        assert submission.reference in browser.text(), browser.path
        assert set(browser.served) == set(stack.app_urls)
        assert len(browser.served) >= 15
        assert Submission.objects.count() == 1
        assert submission.case is not None

        confirmation = Notification.objects.get(kind=NotificationKind.SUBMISSION_CONFIRMATION)
        wait_for(
            lambda: any(str(confirmation.uuid) in m.message["Message-ID"] for m in smtp.messages),
            what="the confirmation email sent by the RQ worker",
        )
        time.sleep(2)  # a second copy would arrive now
        copies = [m for m in smtp.messages if str(confirmation.uuid) in m.message["Message-ID"]]
        assert len(copies) == 1, len(copies)
        assert copies[0].rcpt_to == ("erika.mustermann@example.org",)
        browser.close()
        timings["a"] = time.monotonic() - started

    with step("b) a fee changed in the admin on one server, shown by the other at once", stack):
        first, second = stack.app_urls
        page = "/leistungen/kirchenaustritt/"
        reader = Browser([second], host=host)
        assert "30,00" in reader.get(page).text
        admin = Browser([first], host=host)
        admin.get("/intern/admin/login/?next=/intern/admin/")
        admin.submit(username="betrieb", password=ADMIN_PASSWORD)
        assert admin.path == "/intern/admin/", admin.path
        service = Service.objects.get(slug="kirchenaustritt")
        fee = Fee.objects.get(service=service, code="declaration")
        admin.get(f"/intern/admin/catalogue/service/{service.pk}/change/")
        form_index = [f.pk for f in service.fees.order_by("order", "pk")].index(fee.pk)
        # Django's inline prefix is the related name "fees"; the hidden id tells which row is which.
        assert f'name="fees-{form_index}-id" value="{fee.pk}"' in admin.page.text
        admin.submit("fees-TOTAL_FORMS", **{f"fees-{form_index}-amount_cents": "3500", "_save": "Sichern"})
        assert admin.path == "/intern/admin/catalogue/service/", (
            admin.path,
            re.findall(r"errorlist.{0,300}", admin.page.text),
        )
        fee.refresh_from_db()
        assert fee.amount_cents == 3500
        shown = reader.get(page).text
        assert "35,00" in shown and "30,00" not in shown
        reader.close()
        admin.close()
        timings["b"] = time.monotonic() - started

    with step("c) a booking rush through nginx against both servers: exactly the capacity held", stack):
        path = "/termin/ansturm-eins/kfz-wiederzulassung/angaben/"
        [zeit] = _times(day, datetime.time(8, 0), 1)
        attempts: list[Attempt] = []
        lock = threading.Lock()
        clients = 24
        with ThreadPoolExecutor(max_workers=clients) as pool:
            list(
                pool.map(
                    lambda n: hold_once(stack.url, path, zeit, f"rush{n}@example.org", attempts, lock), range(clients)
                )
            )
        statuses = sorted(a.status for a in attempts if a.method == "POST")
        assert [a for a in attempts if a.error or a.status >= 500] == []
        assert statuses.count(200) == 3, statuses
        assert set(statuses) <= {200, 409}, statuses
        assert _live_holds(rush) == 3
        served = {e["upstream_addr"] for e in stack.access_entries() if "/ansturm-eins/" in e["uri"]}
        assert served == {url.removeprefix("http://") for url in stack.app_urls}, served
        timings["c"] = time.monotonic() - started

    with step("d1) an app server killed mid-rush: only POSTs it had in hand fail, capacity exact", stack):
        path = "/termin/ansturm-zwei/kfz-wiederzulassung/angaben/"
        times = _times(day, datetime.time(9, 0), 3)
        attempts = []
        lock = threading.Lock()
        stop = threading.Event()
        emails = itertools.count()

        def citizen() -> None:
            while not stop.is_set():
                n = next(emails)
                hold_once(stack.url, path, times[n % len(times)], f"kill{n}@example.org", attempts, lock)

        with ThreadPoolExecutor(max_workers=12) as pool:
            running = [pool.submit(citizen) for _ in range(12)]
            time.sleep(3)
            kill_started = time.monotonic()
            killed = stack.kill_app(0)
            kill_done = time.monotonic()
            time.sleep(4)
            stop.set()
            for future in running:
                future.result()
        assert len(killed) >= 3, killed  # gunicorn and its two workers
        killed_addr = stack.app_urls[0].removeprefix("http://")
        log = {(e["remote_addr"], e["method"]): e for e in stack.access_entries() if "/ansturm-zwei/" in e["uri"]}
        after = [a for a in attempts if a.started > kill_done]
        assert len(after) > 20, len(after)
        assert all(a.status and a.status < 500 for a in after), [a for a in after if not a.status or a.status >= 500]
        failed = [a for a in attempts if a.error or a.status >= 500]
        for attempt in failed:
            entry = log.get((attempt.address, attempt.method), {})
            # Only a request that nginx had passed to the killed server before it was gone, and that nginx
            # could not send to the other one: a POST (502: nginx never sends a POST twice), or any request
            # whose answer had begun (cut off: nginx cannot take back what it passed on). Every GET that the
            # killed server had not begun to answer went to the other server.
            assert attempt.started < kill_done, (attempt, kill_started, kill_done, entry)
            assert entry.get("upstream_addr") == killed_addr, (attempt, entry)
            if attempt.status:
                assert (attempt.method, attempt.status) == ("POST", 502), (attempt, entry)
            else:
                assert entry.get("upstream_status") == "200", (attempt, entry)
        assert len(failed) <= 12, failed  # at most one per client
        retried = [e for e in log.values() if e["upstream_addr"].startswith(killed_addr + ", ")]
        timings["d1_failed"] = len(failed)
        timings["d1_retried"] = len(retried)
        assert _live_holds(killed_rush) == 4 * 3
        stack.start_app(0)
        timings["d1"] = time.monotonic() - started

    with step("d2) the worker killed mid-send: the scheduler puts the job back, the email goes out once", stack):
        held = FakeSMTPServer(hold_first=True).start()
        try:
            stack.stop_worker()
            stack.start_worker(EMAIL_PORT=str(held.port))
            attempts = []
            [zeit] = _times(day, datetime.time(11, 0), 1)
            hold_once(
                stack.url, "/termin/ruhig/kfz-wiederzulassung/angaben/", zeit, "gerettet@example.org", attempts, lock
            )
            assert [a.status for a in attempts] == [200, 200], attempts
            assert held.held.wait(WAIT_SECONDS), "the worker never connected to the mail server"
            killed = stack.kill_worker()
            assert len(killed) >= 2, killed  # the worker and its work-horse (a process group of its own)
            held.release()
            stack.start_worker(EMAIL_PORT=str(held.port))
            timings["d2_killed"] = time.monotonic() - started

            def delivered() -> int:
                return sum("gerettet@example.org" in m.rcpt_to for m in held.messages)

            # The contract of core.taskrecovery.tasks_recover for RQ: after run_scheduled, a job whose worker
            # died is in the queue again and a worker runs it.
            deadline = time.monotonic() + RECOVERY_SECONDS
            runs = []
            while not delivered() and time.monotonic() < deadline:
                runs.append(stack.run_scheduler())
                assert runs[-1].returncode == 0, runs[-1].stderr
                with contextlib.suppress(AssertionError):
                    wait_for(lambda: delivered() > 0, what="the email", seconds=10)
            assert delivered() == 1, (
                "the job of the killed worker was not put back by run_scheduled (core.taskrecovery.tasks_recover "
                f"for RQ) within {RECOVERY_SECONDS} s; last run said:\n{runs[-1].stdout if runs else ''}"
            )
            stack.run_scheduler()
            time.sleep(3)
            assert delivered() == 1  # once, also after another run
            assert _live_holds(quiet) == 1
        finally:
            held.stop()
        timings["d2"] = time.monotonic() - started
    print(f"production shape timings (s since start): { {k: round(v, 1) for k, v in timings.items()} }")
