"""The production shape (deploy/) started for a test: nginx, two app servers, an RQ worker, the scheduler.

Only on PostgreSQL with Redis, as in production. One stack at a time on this machine (a file lock): it uses
Redis databases 10 (cache and sessions) and 11 (the task queue), which no other test touches, and empties them.
"""

from __future__ import annotations

import fcntl
import os
import re
import secrets
import shutil
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import httpx
import pytest
import redis
from django.db import connection

from deploy.localstack import NGINX, LocalStack, redis_db
from tests.databases import database_url
from tests.fakes.smtp import FakeSMTPServer

CACHE_DB, QUEUE_DB = 10, 11
LOCK = Path("/tmp/amtsweg-production-stack.lock")  # noqa: S108 - one stack per machine, across checkouts


def skip_unless_production_services() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the production shape runs on PostgreSQL only: set DATABASE_URL=postgres://...")
    if not os.environ.get("REDIS_URL"):
        pytest.skip("the production shape needs Redis (cache, sessions, task queue): set REDIS_URL")
    if not shutil.which(NGINX):
        pytest.fail(f"the production shape needs nginx at {NGINX}: apt-get install nginx-light (make deps)")


def flush(url: str) -> None:
    client = redis.Redis.from_url(url)
    try:
        client.flushdb()
    finally:
        client.close()


@pytest.fixture
def production_services() -> None:
    skip_unless_production_services()


@pytest.fixture
def smtp(production_services) -> Iterator[FakeSMTPServer]:
    server = FakeSMTPServer().start()
    yield server
    server.stop()


@pytest.fixture
def stack_env(smtp) -> dict[str, str]:
    """What an operator's environment file would say, for demo mode over plain HTTP on this machine."""
    base = os.environ["REDIS_URL"]
    return {
        "DATABASE_URL": database_url(),
        "REDIS_URL": redis_db(base, CACHE_DB),
        "TASKS_BACKEND": "django_tasks_rq.RQBackend",
        "TASKS_REDIS_URL": redis_db(base, QUEUE_DB),
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "TRUSTED_PROXIES": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "SECURE_HSTS_SECONDS": "0",
        "STAFF_2FA_REQUIRED": "0",
        "AMTSWEG_DEMO_MODE": "1",
        "IDENTITY_PROVIDERS": "bundid,email",
        "IDENTITY_DEMO_IDP": "1",
        "PAYMENT_PROVIDER": "demo",
        "PAYMENT_DEMO_SECRET": secrets.token_urlsafe(32),
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp.port),
        "EMAIL_USE_TLS": "0",
        "EMAIL_TIMEOUT_SECONDS": "30",
        # The proof of work as cheap as in settings/test.py: the no-JavaScript path without its wait.
        "ALTCHA_COST": "1",
        "ALTCHA_MAX_COUNTER": "50",
        "APPOINTMENTS_FALLBACK_WAIT_SECONDS": "0",
        "APPOINTMENTS_FALLBACK_HOLDS_PER_IP": "1000",
        "WEB_CONCURRENCY": "2",
        "LOG_LEVEL": "WARNING",
    }


@pytest.fixture
def stack_lock() -> Iterator[None]:
    """One stack at a time on this machine: pytest-xdist workers and other checkouts share Redis 10 and 11."""
    with LOCK.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


@pytest.fixture
def start_stack(production_services, transactional_db, stack_lock, stack_env, tmp_path) -> Iterator[Any]:
    """Starts the stack when the test has its data in place; stopped (every process) at the end."""
    started: list[LocalStack] = []

    def start(**options: Any) -> LocalStack:
        for db in (CACHE_DB, QUEUE_DB):
            flush(redis_db(os.environ["REDIS_URL"], db))
        stack = LocalStack(env=stack_env, workdir=tmp_path / "stack", **options)
        started.append(stack)
        stack.start()
        return stack

    yield start
    for stack in started:
        stack.stop()
    for db in (CACHE_DB, QUEUE_DB):
        flush(redis_db(os.environ["REDIS_URL"], db))


# --- a browser without JavaScript ------------------------------------------------------------------


class _Forms(HTMLParser):
    """Every form with the values a browser would send: inputs, checked boxes, selected options, textareas."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict[str, Any]] = []
        self._select: tuple[str, bool] | None = None
        self._option: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {name: value or "" for name, value in attrs}
        if tag == "form":
            self.forms.append({"action": a.get("action", ""), "method": a.get("method", "get"), "fields": []})
            return
        if not self.forms:
            return
        fields = self.forms[-1]["fields"]
        name = a.get("name")
        if tag == "input" and name and "disabled" not in a:
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    fields.append((name, a.get("value", "on")))
            elif kind not in ("submit", "button", "image", "file", "reset"):
                fields.append((name, a.get("value", "")))
        elif tag == "select" and name:
            self._select = (name, "multiple" in a)
        elif tag == "option" and self._select and "selected" in a:
            fields.append((self._select[0], a.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea = name
            fields.append((name, ""))

    def handle_data(self, data: str) -> None:
        if self._textarea and self.forms:
            name, value = self.forms[-1]["fields"][-1]
            self.forms[-1]["fields"][-1] = (name, value + data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea and self.forms:
            name, value = self.forms[-1]["fields"][-1]
            # A browser drops the one newline right after <textarea>.
            self.forms[-1]["fields"][-1] = (name, value[1:] if value.startswith("\n") else value)
            self._textarea = None


def page_forms(html: str) -> list[dict[str, Any]]:
    parser = _Forms()
    parser.feed(html)
    return parser.forms


class Browser:
    """One citizen's browser without JavaScript whose requests go to the given servers in turn.

    Each request goes to the next server, with one cookie jar and the Host of the portal (``host``), as
    nginx would pass it: so a session, a CSRF token, a SAML exchange and a payment go across servers.
    ``served`` records the server of each request.
    """

    def __init__(self, servers: list[str], *, host: str) -> None:
        self.servers = servers
        self.host = host
        self.client = httpx.Client(follow_redirects=False, timeout=60.0)
        self.served: list[str] = []
        self.page: httpx.Response | None = None
        self.path = ""

    def close(self) -> None:
        self.client.close()

    def _local(self, url: str) -> str:
        parts = urlsplit(url)
        if parts.netloc and parts.netloc != self.host:
            raise AssertionError(f"sent away to {url}")
        return parts.path + (f"?{parts.query}" if parts.query else "")

    def request(self, method: str, path: str, data: Any = None) -> httpx.Response:
        server = self.servers[len(self.served) % len(self.servers)]
        self.served.append(server)
        headers = {"Host": self.host}
        body = None
        if data is not None:  # a form's fields in order, a name possibly more than once (a multiple select)
            body = urlencode(list(data.items()) if isinstance(data, dict) else data).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        return self.client.request(method, server + path, content=body, headers=headers)

    def go(self, method: str, path: str, data: Any = None) -> httpx.Response:
        """A request and the redirects after it, each to the next server; the page landed on."""
        path = self._local(path)
        response = self.request(method, path, data)
        while response.status_code in (301, 302, 303, 307, 308):
            path = self._local(str(httpx.URL(f"http://{self.host}{path}").join(response.headers["location"])))
            response = self.request("GET", path)
        self.page, self.path = response, path
        return response

    def get(self, path: str) -> httpx.Response:
        return self.go("GET", path)

    def submit(self, marker: str = "csrfmiddlewaretoken", *, to: str = "", **data: str) -> httpx.Response:
        """Send the form of the page last seen that has a field ``marker`` (and whose action contains
        ``to``), with ``data`` over its values."""
        assert self.page is not None
        for form in page_forms(self.page.text):
            names = {name for name, _value in form["fields"]}
            if (marker in names or marker in data) and to in form["action"]:
                values = [(n, v) for n, v in form["fields"] if n not in data]
                values += list(data.items())
                action = form["action"] or self.path
                action = self._local(str(httpx.URL(f"http://{self.host}{self.path}").join(action)))
                return self.go(form["method"].upper() or "POST", action, values)
        raise AssertionError(f"no form with {marker!r} on {self.path}:\n{self.page.text[:3000]}")

    def text(self) -> str:
        assert self.page is not None
        return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", self.page.text))
