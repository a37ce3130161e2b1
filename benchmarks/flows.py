"""Real HTTP flows for the benchmarks: a staff login, a citizen's draft, whole submissions.

They use only the standard library (http.client, with the cookies kept by hand) and go
through CSRF like a browser: the token comes from the page's form.
"""

import datetime
import http.client
import re
import threading
import time
import urllib.parse
from collections.abc import Callable

CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Browser:
    """One citizen's browser over plain HTTP: cookies, the CSRF token of the page last seen, redirects.

    It does what a browser does here: every request carries the cookies the site set (by name, for
    the whole site, as Django sets them: path "/", deleted by ``Max-Age=0``), a form is posted with
    the token of the page it is on, a redirect is followed with a GET, and every page is read in full.
    It speaks ``http.client`` directly instead of urllib's opener chain and ``http.cookiejar``, whose
    per-request handlers and cookie policy checks cost the load generator, which shares the machine's
    two cores with the server, more CPU than the requests themselves.
    """

    def __init__(self, base: str) -> None:
        parts = urllib.parse.urlsplit(base)
        if parts.scheme != "http" or not parts.hostname or not parts.port:
            raise ValueError(f"the benchmarks speak plain HTTP to a local port, not {base}")
        self.host, self.port = parts.hostname, parts.port
        self.cookies: dict[str, str] = {}
        self.requests = 0
        self.token = ""
        self.url = ""
        self.page = ""

    def _send(self, method: str, path: str, body: bytes | None = None) -> tuple[int, str, str]:
        """One request; its status, its Location (if any) and its page."""
        headers = {"Host": f"{self.host}:{self.port}", "Connection": "close"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            page = response.read().decode()
            for header in response.headers.get_all("Set-Cookie") or ():
                self._set_cookie(header)
            location = response.headers.get("Location", "")
        finally:
            connection.close()
        self.requests += 1
        return response.status, location, page

    def _set_cookie(self, header: str) -> None:
        pair, _sep, attributes = header.partition(";")
        name, _eq, value = pair.strip().partition("=")
        if "max-age=0" in attributes.lower().replace(" ", ""):
            self.cookies.pop(name, None)
        else:
            self.cookies[name] = value

    def _path(self, url: str) -> str:
        parts = urllib.parse.urlsplit(url)
        if parts.netloc and parts.netloc != f"{self.host}:{self.port}":
            raise RuntimeError(f"redirected away to {url}")
        return parts.path + (f"?{parts.query}" if parts.query else "")

    def _land(self, method: str, path: str, body: bytes | None = None) -> str:
        """Send, then follow redirects with GET as a browser does; the path landed on."""
        status, location, page = self._send(method, path, body)
        while status in (301, 302, 303, 307, 308):
            path = self._path(urllib.parse.urljoin(path, location))
            status, location, page = self._send("GET", path)
        if status >= 400:
            raise RuntimeError(f"{path} answered {status}")
        self.url, self.page = path, page
        found = CSRF_RE.search(page)
        if found:
            self.token = found.group(1)
        return path

    def get(self, path: str) -> str:
        return self._land("GET", path)

    def post(self, path: str, data: dict[str, str]) -> str:
        """Post a form of the page last seen (or of ``path``, fetched first); the path the browser lands on."""
        if not self.token:
            self.get(path)
        return self._land("POST", path, self._form(data))

    def post_to_redirect(self, path: str, data: dict[str, str]) -> str:
        """Post a form of the page last seen and return the path it redirects to, without going there."""
        status, location, _page = self._send("POST", path, self._form(data))
        if status not in (301, 302, 303, 307):
            raise RuntimeError(f"{path} answered {status}, not a redirect")
        return self._path(urllib.parse.urljoin(path, location))

    def _form(self, data: dict[str, str]) -> bytes:
        return urllib.parse.urlencode({**data, "csrfmiddlewaretoken": self.token}).encode()

    def cookie_header(self) -> str:
        return "Cookie: " + "; ".join(f"{name}={value}" for name, value in self.cookies.items())


def staff_cookie(base: str, username: str, password: str) -> str:
    browser = Browser(base)
    landed = browser.post("/intern/anmelden/", {"username": username, "password": password})
    if "/anmelden/" in landed:
        raise SystemExit("benchmark staff login failed")
    return browser.cookie_header()


# A form anyone may send without a login: the Voranzeige eines Sterbefalls. (The Abmeldung einer Nebenwohnung,
# measured here before, needs the eID and asks the residents' register since issue 18.)
FORM = "/antrag/sterbefall-voranzeige/"
# The question page the form-step benchmark loads: a name, two dates, an address and a choice. Version 3 of the
# form asks the place and the death first; a draft that has not answered them is sent back to them.
MEASURED_STEP = "deceased"


def _date(prefix: str, day: datetime.date) -> dict[str, str]:
    return {f"{prefix}-day": str(day.day), f"{prefix}-month": str(day.month), f"{prefix}-year": str(day.year)}


def _address(prefix: str, postcode: str) -> dict[str, str]:
    return {
        f"{prefix}-street": "Wilhelmshöher Allee",
        f"{prefix}-number": "19",
        f"{prefix}-postcode": postcode,
        f"{prefix}-town": "Kassel",
    }


def _steps() -> list[tuple[str, dict[str, str]]]:
    """The question pages of a Voranzeige in order, with a death in a Kassel hospital reported by a relative."""
    died = datetime.date.today() - datetime.timedelta(days=1)
    return [
        ("place", {"death_in_city": "yes"}),
        (
            "death",
            {
                **_date("death_date", died),
                "death_time": "4:15",
                "death_place": "hospital",
                **_address("death_address", "34117"),
            },
        ),
        (
            MEASURED_STEP,
            {
                "deceased_name-given_names": "Erika",
                "deceased_name-family_name": "Muster",
                **_date("deceased_birth_date", datetime.date(1935, 3, 27)),
                **_address("deceased_address", "34119"),
                "family_status": "widowed",
            },
        ),
        (
            "reporter",
            {
                "relationship": "present",
                "reporter_name-given_names": "Jonas",
                "reporter_name-family_name": "Muster",
                "email": "jonas@example.org",
                "phone": "0561 123456",
            },
        ),
        ("certificates", {"free_certificates": "no"}),
    ]


def _answer(browser: Browser, key: str, data: dict[str, str]) -> None:
    path = f"{FORM}schritt/{key}/"
    landed = browser.post(path, {**data, "action": "continue"})
    if landed.endswith(path) or landed.endswith(f"{FORM}schritt/place/"):
        raise RuntimeError(f"step {key} was refused")


def citizen_with_draft(base: str) -> Browser:
    browser = Browser(base)
    browser.get(FORM)  # the form's start page
    browser.post(FORM, {})  # "Jetzt starten": lands on the first question page
    return browser


def citizen_at_measured_step(base: str) -> Browser:
    """A citizen whose draft has reached ``MEASURED_STEP``: its cookie loads that page, not a redirect."""
    browser = citizen_with_draft(base)
    for key, data in _steps():
        if key == MEASURED_STEP:
            return browser
        _answer(browser, key, data)
    raise AssertionError(f"{MEASURED_STEP} is not a step of {FORM}")


def submit_one(base: str) -> None:
    """A whole Voranzeige as a browser makes it: 17 requests (the start page, 8 posts and the 8 pages they lead
    to: five question pages, the checklist's documents page, the check page and the confirmation)."""
    browser = citizen_with_draft(base)
    for key, data in _steps():
        _answer(browser, key, data)
    # The checklist's documents page, reached by the last step: nothing uploaded, everything is brought.
    if not browser.post(f"{FORM}unterlagen/", {}).endswith(f"{FORM}pruefen/"):
        raise RuntimeError("the documents page was refused")
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
