import json
import os
import threading
from pathlib import Path

import pytest

from amtsweg.accounts.constants import CATALOGUE_EDITORS
from amtsweg.accounts.services import roles_ensure
from amtsweg.catalogue.services import catalogue_load_seed, seed_read

_SEED = None


def kassel_seed() -> dict:
    global _SEED
    if _SEED is None:
        _SEED = seed_read(name="kassel")
    return _SEED


@pytest.fixture
def kassel(db):
    """The Kassel catalogue as `make run` loads it."""
    return catalogue_load_seed(data=kassel_seed())


@pytest.fixture
def forms(kassel):
    """The Kassel catalogue plus the shipped form definitions."""
    from amtsweg.applications.services import form_definitions_load

    form_definitions_load()


@pytest.fixture
def run_tasks():
    """Run the django-tasks-db worker as `manage.py db_worker --batch` does: every ready task, then stop.

    The worker checks its database connection between tasks, as it does in production.
    """
    from django_tasks_db.management.commands.db_worker import Worker

    def run() -> None:
        Worker(
            queue_names=["*"],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id="tests",
            excluded_queue_names=[],
        ).run()

    return run


class DemoServer:
    """A demo service (``core/demo_http.py``) as its own HTTP service on a port of its own, which a test can stop
    and start again (a register that is down, then back) on the same address; ``restart`` reads the data file
    again. ``serve`` is the service's ``serve(data=, token=, port=)``."""

    def __init__(self, *, serve, data: Path, token: str) -> None:  # type: ignore[no-untyped-def]
        self.serve = serve
        self.data = data
        self.token = token
        self.server = None
        self.port = 0

    def start(self) -> None:
        self.server = self.serve(data=self.data, token=self.token, port=self.port)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    def restart(self) -> None:
        self.stop()
        self.start()

    def read(self) -> dict:
        """What the service has written to its data file."""
        return json.loads(self.data.read_text(encoding="utf-8"))

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@pytest.fixture
def demo_register_server(settings, tmp_path):
    """The demo register as a ``DemoServer`` (``.data``, ``.stop()``, ``.start()``), with a fresh data file."""
    from amtsweg.residents.register.contrib.demo.seed import register_persons
    from amtsweg.residents.register.contrib.demo.server import serve

    data = tmp_path / "register.json"
    data.write_text(json.dumps({"persons": register_persons()}, ensure_ascii=False), encoding="utf-8")
    server = DemoServer(serve=serve, data=data, token="test-token")
    server.start()
    settings.RESIDENTS_REGISTER = {
        **settings.RESIDENTS_REGISTER,
        "provider": "demo",
        "providers": {"demo": {"url": server.url, "token": "test-token", "data": str(data)}},
    }
    yield server
    server.stop()


@pytest.fixture
def demo_register(demo_register_server):
    """The demo residents' register as its own HTTP service on a free port, with a fresh data file.

    Yields the data file's path, so that a test can see what the register stored.
    """
    return demo_register_server.data


@pytest.fixture
def demo_vehicle_registry_server(settings, tmp_path):
    """The demo vehicle registry as a ``DemoServer`` (``.data``, ``.read()``, ``.stop()``, ``.start()``,
    ``.restart()``) with a fresh data file from the seed; settings.VEHICLE_REGISTRY points at it."""
    from amtsweg.vehicles.ikfz.contrib.demo.seed import registry_data
    from amtsweg.vehicles.ikfz.contrib.demo.server import serve

    data = tmp_path / "vehicles.json"
    data.write_text(json.dumps(registry_data(), ensure_ascii=False), encoding="utf-8")
    server = DemoServer(serve=serve, data=data, token="test-vehicle-token")
    server.start()
    settings.VEHICLE_REGISTRY = {
        **settings.VEHICLE_REGISTRY,
        "provider": "demo",
        "providers": {
            "demo": {"url": server.url, "token": server.token, "data": str(data), "timeout_seconds": 5.0},
        },
    }
    yield server
    server.stop()


@pytest.fixture
def demo_vehicle_registry(demo_vehicle_registry_server):
    """The demo vehicle registry as its own HTTP service on a free port, with a fresh data file.

    Yields the data file's path, so that a test can see what the registry stored.
    """
    return demo_vehicle_registry_server.data


@pytest.fixture
def editors_group(db):
    return roles_ensure()[CATALOGUE_EDITORS]


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (pages, content version) and empty memos (core.memo)."""
    from django.core.cache import cache, caches

    from amtsweg.core.memo import clear_all

    cache.clear()
    caches["frame"].clear()
    clear_all()
    yield
    cache.clear()


# --- browser fixtures, shared by every browser test (one Playwright per process) ---
# Debian's Chromium driven by Playwright against Django's live server; no
# browser is downloaded (override the binary with CHROMIUM).
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Playwright's sync API runs an event loop in this thread; Django's ORM refuses
# to run inside one unless told that the test thread is not really async.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Debian's chromium is missing at {CHROMIUM}: run 'make deps' (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="de-DE", viewport={"width": 1024, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def mobile_page(browser):
    context = browser.new_context(locale="de-DE", viewport={"width": 375, "height": 740}, is_mobile=True)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language. A request to an English page leaves English active in the
    thread (LocaleMiddleware activates it, nothing deactivates it), and every later test in the same worker
    would read its messages in English."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()
