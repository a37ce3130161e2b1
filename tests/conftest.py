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


# --- the task queue on RQ (Redis), for the tests of the RQ task backend ---


class RQTasks:
    """The RQ task backend on a Redis database of this test process's own, emptied before and after the test.

    ``url`` is that database, for a worker in another process (``TASKS_REDIS_URL``); ``work()`` runs, in this
    process, a worker as `manage.py rqworker --burst --with-scheduler` does: every job that is due, then stop.
    """

    def __init__(self, url: str) -> None:
        self.url = url

    @property
    def queue(self):  # type: ignore[no-untyped-def]
        import django_rq

        return django_rq.get_queue("default")

    def work(self) -> None:
        from django_tasks_rq import Job
        from rq import SimpleWorker

        SimpleWorker([self.queue], connection=self.queue.connection, job_class=Job).work(
            burst=True, with_scheduler=True
        )


@pytest.fixture
def rq_tasks(settings):
    """Switch the Tasks API to RQ (``TASKS_BACKEND=django_tasks_rq.RQBackend``); skipped without ``REDIS_URL``.

    Its Redis databases are 13 and below, one per pytest-xdist process: the cache's are 15 and 14
    (settings/test.py), the test of the production shape has 10 and 11.
    """
    import redis
    from django.utils.module_loading import autodiscover_modules, import_string

    from deploy.localstack import redis_db

    base = os.environ.get("REDIS_URL", "")
    if not base:
        pytest.skip("the RQ task backend needs Redis: set REDIS_URL (as .ci/run does on PostgreSQL)")
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    url = redis_db(base, 13 - int(worker[2:] or 0) % 2)
    # A task is made by the backend configured when its module is first imported (django.tasks.Task on the
    # database backend, the django-tasks backport's Task on RQ), and the database worker runs only the former.
    # Imported here first, every task is the former, which RQ runs too, and the tests after this one still can.
    autodiscover_modules("tasks")
    for path in settings.SCHEDULED_TASKS:  # e.g. the retention job, which lives in cases/retention.py
        import_string(path)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    settings.TASKS_REDIS_URL = url
    settings.RQ_QUEUES = {"default": {"URL": url, "DEFAULT_TIMEOUT": settings.TASKS_RECOVER_AFTER_SECONDS}}
    client = redis.Redis.from_url(url)
    client.flushdb()
    yield RQTasks(url)
    client.flushdb()
    client.close()
