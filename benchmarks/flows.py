"""Real HTTP flows for the benchmarks: a staff login, a citizen's draft, whole submissions.

They use only the standard library (urllib with a cookie jar) and go through
CSRF like a browser: the token comes from the page's form.
"""

import datetime
import http.cookiejar
import re
import ssl
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable

CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


# Made once: urllib's default HTTPS handler loads the system's certificates for every opener (about
# 20 ms of the load generator's CPU per browser), though the benchmarks speak plain HTTP.
_TLS = ssl.create_default_context()


class _Counter(urllib.request.BaseHandler):
    """Counts every request a browser sends, redirects followed included."""

    def __init__(self) -> None:
        self.requests = 0

    def http_request(self, request: urllib.request.Request) -> urllib.request.Request:
        self.requests += 1
        return request


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None  # the 30x comes back as an HTTPError, with its Location


class Browser:
    """A browser's cookie jar and CSRF token: it GETs a page, then posts its form.

    Redirects are followed like a browser does, and the page a redirect lands
    on is the page whose form is posted next, so no page is fetched twice.
    ``requests`` counts what was sent, ``url`` is the address last landed on.
    """

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.counter = _Counter()
        cookies = urllib.request.HTTPCookieProcessor(self.jar)
        self.opener = urllib.request.build_opener(cookies, self.counter, urllib.request.HTTPSHandler(context=_TLS))
        self.stay = urllib.request.build_opener(
            cookies, self.counter, _NoRedirect(), urllib.request.HTTPSHandler(context=_TLS)
        )
        self.token = ""
        self.url = ""
        self.page = ""

    @property
    def requests(self) -> int:
        return self.counter.requests

    def _remember(self, page: str) -> None:
        self.page = page
        found = CSRF_RE.search(page)
        if found:
            self.token = found.group(1)

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=30) as response:
            page = response.read().decode()
            self.url = response.geturl()
        self._remember(page)
        return page

    def post(self, path: str, data: dict[str, str]) -> str:
        """Post a form of the page last seen; return the address the browser lands on."""
        if not self.token:
            self.get(path)
        payload = {**data, "csrfmiddlewaretoken": self.token}
        request = urllib.request.Request(self.base + path, data=urllib.parse.urlencode(payload).encode())
        with self.opener.open(request, timeout=30) as response:
            self._remember(response.read().decode())
            self.url = response.geturl()
            return self.url

    def post_to_redirect(self, path: str, data: dict[str, str]) -> str:
        """Post a form of the page last seen and return where it redirects to, without going there."""
        payload = {**data, "csrfmiddlewaretoken": self.token}
        request = urllib.request.Request(self.base + path, data=urllib.parse.urlencode(payload).encode())
        try:
            with self.stay.open(request, timeout=30) as response:
                raise RuntimeError(f"{path} answered {response.status}, not a redirect")
        except urllib.error.HTTPError as answer:
            if answer.code not in (301, 302, 303, 307):
                raise
            return urllib.parse.urljoin(self.base + path, answer.headers["Location"])

    def cookie_header(self) -> str:
        return "Cookie: " + "; ".join(f"{c.name}={c.value}" for c in self.jar)


def staff_cookie(base: str, username: str, password: str) -> str:
    browser = Browser(base)
    landed = browser.post("/intern/anmelden/", {"username": username, "password": password})
    if "/anmelden/" in landed:
        raise SystemExit("benchmark staff login failed")
    return browser.cookie_header()


FORM = "/antrag/nebenwohnung-abmelden/"


def _date(prefix: str, day: datetime.date) -> dict[str, str]:
    return {f"{prefix}-day": str(day.day), f"{prefix}-month": str(day.month), f"{prefix}-year": str(day.year)}


def _address(prefix: str, postcode: str) -> dict[str, str]:
    return {
        f"{prefix}-street": "Wilhelmshöher Allee",
        f"{prefix}-number": "19",
        f"{prefix}-postcode": postcode,
        f"{prefix}-town": "Kassel",
    }


def citizen_with_draft(base: str) -> Browser:
    browser = Browser(base)
    browser.get(FORM)  # the form's start page
    browser.post(FORM, {})  # "Jetzt starten": lands on the first question page
    return browser


def submit_one(base: str) -> None:
    """A whole Abmeldung as a browser makes it: 13 requests (the start page, 6 posts and the 6 pages they lead to)."""
    browser = citizen_with_draft(base)
    moved = datetime.date.today() - datetime.timedelta(days=2)
    steps = [
        (
            "person",
            {
                "name-given_names": "Erika",
                "name-family_name": "Muster",
                **_date("birth_date", datetime.date(1985, 3, 27)),
            },
        ),
        ("secondary", {**_address("secondary_address", "34117"), **_date("moved_out_on", moved)}),
        ("main", _address("main_address", "34119")),
        ("contact", {"email": "erika@example.org", "phone": ""}),
    ]
    for key, data in steps:
        path = f"{FORM}schritt/{key}/"
        landed = browser.post(path, {**data, "action": "continue"})
        if landed.endswith(path):
            raise RuntimeError(f"step {key} was refused")
    landed = browser.post(f"{FORM}pruefen/", {"declaration": "yes"})  # from the check page reached by the last step
    if "/antrag/eingereicht/" not in landed:
        raise RuntimeError("submission was refused")


def submission_rate(base: str, *, clients: int, duration: float) -> dict[str, float]:
    rate = flow_rate(lambda: submit_one(base), clients=clients, duration=duration)
    del rate["results"]
    return rate


def flow_rate(one: Callable[[], object], *, clients: int, duration: float) -> dict:
    """``clients`` threads each repeat ``one`` (a whole flow) for ``duration`` seconds; what they returned, rates.

    A flow that raises counts as a failure; ``results`` are the returns of those that did not.
    """
    done: list[float] = []
    results: list[object] = []
    failures: list[str] = []
    stop = time.monotonic() + duration

    def worker() -> None:
        while time.monotonic() < stop:
            started = time.monotonic()
            try:
                results.append(one())
                done.append(time.monotonic() - started)
            except Exception as error:
                failures.append(repr(error))

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began
    done.sort()
    p95 = done[int(len(done) * 0.95) - 1] if done else 0.0
    return {
        "submissions": len(done),
        "results": results,
        "elapsed_s": elapsed,
        "per_second": len(done) / elapsed,
        "p95_s": p95,
        "failures": len(failures),
        "first_failure": failures[0] if failures else "",
    }
