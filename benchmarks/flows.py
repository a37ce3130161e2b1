"""Real HTTP flows for the benchmarks: a staff login, a citizen's draft, whole submissions.

They use only the standard library (urllib with a cookie jar) and go through
CSRF like a browser: the token comes from the page's form.
"""

import datetime
import http.cookiejar
import re
import threading
import time
import urllib.parse
import urllib.request

CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Browser:
    """A browser's cookie jar and CSRF token: it GETs a page, then posts its form.

    Redirects are followed like a browser does, and the page a redirect lands
    on is the page whose form is posted next, so no page is fetched twice.
    """

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.token = ""

    def _remember(self, page: str) -> None:
        found = CSRF_RE.search(page)
        if found:
            self.token = found.group(1)

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=30) as response:
            page = response.read().decode()
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
            return response.geturl()

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
    done: list[float] = []
    failures: list[str] = []
    stop = time.monotonic() + duration

    def worker() -> None:
        while time.monotonic() < stop:
            started = time.monotonic()
            try:
                submit_one(base)
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
        "per_second": len(done) / elapsed,
        "p95_s": p95,
        "failures": len(failures),
        "first_failure": failures[0] if failures else "",
    }
