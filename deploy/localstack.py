"""The production shape on one machine, started from the shipped files: nginx, app servers, workers, scheduler.

    from deploy.localstack import LocalStack

    with LocalStack(app_servers=2, workers=1, env={"SECRET_KEY": ..., "DATABASE_URL": ...}, workdir=tmp) as stack:
        httpx.get(stack.url + "/healthz")      # through nginx
        stack.kill_app(0)                      # SIGKILL one app server (gunicorn and its workers)
        stack.run_scheduler()                  # the timer's run, once

Nothing here repeats the deployment: each process is started with the ``ExecStart`` of its systemd unit in
deploy/systemd (``/srv/amtsweg`` replaced by this checkout, its ``.venv/bin`` by the running interpreter's,
``%i`` by the instance, ``%t`` by a folder in ``workdir``), with the unit's ``Environment=`` lines, then the
environment template deploy/amtsweg.env.example (as ``EnvironmentFile=`` would read it), then the paths of
this stack (static files, private media, var/ and the metrics folders, all in ``workdir``), then ``env``.
nginx runs unprivileged (no root needed, but works as root too) with the rendered deploy/nginx/amtsweg.conf
inside a small main config whose logs, pid and temporary files are in ``workdir``.

App server i listens on a free port (its instance, as in ``amtsweg-app@8001``); ``WEB_CONCURRENCY`` sets the
gunicorn workers per server. Every process gets its own process group and, where the kernel allows, dies with
the thread that started it (so start and restart processes from the main thread); ``stop()`` (and leaving the
``with``) ends all of them, their children included, also when the code inside failed. Logs:
``workdir/logs/<name>.log``.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import shlex
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any, Self
from urllib.parse import urlsplit, urlunsplit

from .render_nginx import render

DEPLOY = Path(__file__).resolve().parent
ROOT = DEPLOY.parent
SYSTEMD = DEPLOY / "systemd"
ENV_TEMPLATE = DEPLOY / "amtsweg.env.example"
INSTALL_ROOT = "/srv/amtsweg"  # where the units expect the checkout
NGINX = os.environ.get("NGINX", "/usr/sbin/nginx")
# What a unit's process inherits here besides its own environment (systemd starts from an empty one).
INHERITED = ("PATH", "HOME", "LANG", "LC_ALL", "TZ", "TMPDIR")


class StackError(RuntimeError):
    """A process of the stack did not start, or a unit file has no usable ``ExecStart``."""


@dataclass(frozen=True)
class Unit:
    """What the launcher takes from a systemd unit: its command and its ``Environment=`` assignments."""

    name: str
    exec_start: str
    environment: dict[str, str] = field(default_factory=dict)
    runtime_directories: tuple[str, ...] = ()

    @classmethod
    def read(cls, path: Path) -> Unit:
        exec_start, environment, runtime = "", {}, []
        section = ""
        for raw in path.read_text().splitlines():
            line = raw.strip()
            if not line or line.startswith(("#", ";")):
                continue
            if line.startswith("["):
                section = line
                continue
            key, _sep, value = line.partition("=")
            if section != "[Service]":
                continue
            if key == "ExecStart":
                exec_start = value.strip()
            elif key == "RuntimeDirectory":
                runtime.extend(value.split())
            elif key == "Environment":
                for assignment in shlex.split(value):
                    name, _eq, setting = assignment.partition("=")
                    environment[name] = setting
        if not exec_start:
            raise StackError(f"{path.name} has no ExecStart")
        return cls(name=path.name, exec_start=exec_start, environment=environment, runtime_directories=tuple(runtime))

    def command(self, place: Place) -> list[str]:
        return shlex.split(place.fill(self.exec_start))

    def env(self, place: Place) -> dict[str, str]:
        return {name: place.fill(value) for name, value in self.environment.items()}


@dataclass(frozen=True)
class Place:
    """Where a unit's instance runs on this machine: what its specifiers and the install root stand for."""

    instance: str
    runtime: Path  # %t
    root: Path  # /srv/amtsweg
    bin_dir: Path  # /srv/amtsweg/.venv/bin

    def fill(self, text: str) -> str:
        """systemd's specifiers used in our units (%i, %t, %%) and the install root replaced for this machine."""
        text = text.replace("%%", "\0").replace("%i", self.instance).replace("%t", str(self.runtime))
        text = text.replace("\0", "%")
        return text.replace(f"{INSTALL_ROOT}/.venv/bin", str(self.bin_dir)).replace(INSTALL_ROOT, str(self.root))


def read_env_file(path: Path, *, root: Path) -> dict[str, str]:
    """``KEY=value`` lines as systemd's ``EnvironmentFile=`` reads them (comments, optional quotes)."""
    values = {}
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")) or "=" not in line:
            continue
        name, _eq, value = line.partition("=")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[name.strip()] = value.replace(INSTALL_ROOT, str(root))
    return values


def redis_db(url: str, db: int) -> str:
    """``url`` (``redis://host:port/n``) with the database number ``db``: the stack's cache and queue get their own."""
    return urlunsplit(urlsplit(url)._replace(path=f"/{db}"))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _die_with_parent() -> None:
    """In the child before exec: its own process group, and SIGKILL when the launching process dies."""
    os.setpgrp()
    with contextlib.suppress(OSError):  # not Linux: stop() still ends everything
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def process_tree(pid: int) -> list[int]:
    """``pid`` and all its descendants (from /proc), parents first; also children in other process groups,
    such as RQ's work-horse."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(parent, []).append(int(entry.name))
    tree, todo = [], [pid]
    while todo:
        current = todo.pop(0)
        tree.append(current)
        todo.extend(children.get(current, []))
    return tree


def _signal_all(pids: list[int], sig: int) -> None:
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, sig)


@dataclass
class Process:
    name: str
    command: list[str]
    env: dict[str, str]
    log: Path
    popen: subprocess.Popen[bytes] | None = None

    def start(self, cwd: Path) -> None:
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with self.log.open("ab") as log:
            log.write(f"--- start: {shlex.join(self.command)}\n".encode())
            log.flush()
            self.popen = subprocess.Popen(
                self.command,
                cwd=cwd,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                preexec_fn=_die_with_parent,  # only setpgrp and prctl: safe with threads
            )

    @property
    def running(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def kill_tree(self) -> list[int]:
        """SIGKILL the process and every descendant at once, as a power cut would; the pids killed."""
        if self.popen is None:
            return []
        pids = process_tree(self.popen.pid) if self.running else []
        _signal_all(pids, signal.SIGKILL)
        self.popen.wait(timeout=30)
        return pids

    def stop(self, *, sig: int = signal.SIGTERM, timeout: float = 20) -> None:
        """End the process (``sig``, then SIGKILL after ``timeout``) and whatever of its tree is left."""
        if self.popen is None:
            return
        pids = process_tree(self.popen.pid) if self.running else []
        if self.running:
            self.popen.send_signal(sig)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.popen.wait(timeout=timeout)
        _signal_all(pids, signal.SIGKILL)  # children that outlived their parent (a work-horse, a worker)
        if self.popen.poll() is None:
            self.popen.wait(timeout=10)

    def tail(self, chars: int = 4000) -> str:
        try:
            return self.log.read_text(errors="replace")[-chars:]
        except OSError:
            return ""


class LocalStack:
    """nginx, ``app_servers`` gunicorn app servers, ``workers`` RQ workers; the scheduler on demand."""

    def __init__(
        self,
        *,
        env: Mapping[str, str],
        workdir: Path,
        app_servers: int = 2,
        workers: int = 1,
        web_concurrency: int | None = None,
        collectstatic: bool = True,
        ready_seconds: float = 90,
        root: Path = ROOT,
    ) -> None:
        self.workdir = Path(workdir)
        self.root = Path(root)
        self.bin_dir = Path(sys.executable).parent
        self.ready_seconds = ready_seconds
        self.collect = collectstatic
        self.runtime = self.workdir / "run"
        self.logs_dir = self.workdir / "logs"
        self.nginx_dir = self.workdir / "nginx"
        self.app_unit = Unit.read(SYSTEMD / "amtsweg-app@.service")
        self.worker_unit = Unit.read(SYSTEMD / "amtsweg-worker@.service")
        self.scheduler_unit = Unit.read(SYSTEMD / "amtsweg-scheduler.service")
        self.app_ports = [free_port() for _ in range(app_servers)]
        self.nginx_port = free_port()
        self.url = f"http://127.0.0.1:{self.nginx_port}"
        self.app_urls = [f"http://127.0.0.1:{port}" for port in self.app_ports]
        self.env = self._environment(env, web_concurrency)
        self.apps = [self._process(self.app_unit, str(port), f"app-{port}") for port in self.app_ports]
        self.workers: list[Process] = []
        self._worker_count = workers
        self.nginx: Process | None = None

    # --- environment --------------------------------------------------------------------------------

    def _environment(self, env: Mapping[str, str], web_concurrency: int | None) -> dict[str, str]:
        """The environment file's values for this stack: the template, this stack's folders, then ``env``."""
        values = {name: os.environ[name] for name in INHERITED if name in os.environ}
        values.update(read_env_file(ENV_TEMPLATE, root=self.root))
        values.update(
            {
                "STATIC_ROOT": str(self.workdir / "static"),
                "PRIVATE_MEDIA_ROOT": str(self.workdir / "private"),
                "AMTSWEG_VAR_DIR": str(self.workdir / "var"),
                "AMTSWEG_BASE_URL": self.url,
                "PYTHONUNBUFFERED": "1",
            }
        )
        if web_concurrency is not None:
            values["WEB_CONCURRENCY"] = str(web_concurrency)
        values.update(env)
        return values

    def _process(self, unit: Unit, instance: str, name: str, **extra_env: str) -> Process:
        place = Place(instance=instance, runtime=self.runtime, root=self.root, bin_dir=self.bin_dir)
        # systemd: Environment= first, EnvironmentFile= overrides it; RuntimeDirectory= made before the start.
        env = {**unit.env(place), **self.env, **extra_env}
        for folder in unit.runtime_directories:
            (self.runtime / place.fill(folder)).mkdir(parents=True, exist_ok=True)
        return Process(name=name, command=unit.command(place), env=env, log=self.logs_dir / f"{name}.log")

    # --- starting and stopping ----------------------------------------------------------------------

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        self.stop()

    def start(self) -> None:
        try:
            for folder in (self.runtime, self.logs_dir, self.nginx_dir, self.workdir / "var"):
                folder.mkdir(parents=True, exist_ok=True)
            if self.collect:
                self.manage("collectstatic", "--noinput", "-v", "0")
            for index in range(len(self.apps)):
                self.start_app(index, wait=False)
            for index in range(len(self.apps)):
                self._wait_app(index)
            for _ in range(self._worker_count):
                self.start_worker()
            self._start_nginx()
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        """End every process of the stack, nginx first (no new requests), then the app servers and workers."""
        processes = [p for p in (self.nginx, *self.apps, *self.workers) if p is not None]
        for process in processes:
            try:
                process.stop(sig=signal.SIGQUIT if process is self.nginx else signal.SIGTERM)
            except Exception:  # go on with the others, then kill what is left
                process.kill_tree()

    # --- app servers ----------------------------------------------------------------------------------

    def start_app(self, index: int, *, wait: bool = True) -> None:
        app = self.apps[index]
        if app.running:
            raise StackError(f"{app.name} runs already")
        app.start(self.root)
        if wait:
            self._wait_app(index)

    def kill_app(self, index: int) -> list[int]:
        """SIGKILL app server ``index``: the gunicorn master and its workers at once; the pids killed.

        Returns once the port refuses connections: until the last of its processes is gone, the kernel
        still takes connections into the listening socket's queue, which then fail unanswered."""
        pids = self.apps[index].kill_tree()
        deadline = time.monotonic() + 10
        while _accepts(self.app_ports[index]):
            if time.monotonic() > deadline:
                raise StackError(f"{self.apps[index].name} still takes connections after SIGKILL")
            time.sleep(0.005)
        return pids

    def _wait_app(self, index: int) -> None:
        app = self.apps[index]
        self._wait(f"{app.name} (/healthz)", app, lambda: _healthy(self.app_urls[index] + "/healthz"))

    # --- workers and the scheduler ------------------------------------------------------------------

    def start_worker(self, **env: str) -> Process:
        """Start one more RQ worker (its unit's ExecStart; ``env`` added to its environment) and wait until it
        has registered with Redis."""
        number = len(self.workers) + 1
        worker = self._process(self.worker_unit, str(number), f"worker-{number}", **env)
        self.workers.append(worker)
        worker.start(self.root)
        self._wait(worker.name, worker, lambda: self._worker_registered(worker))
        return worker

    def kill_worker(self, index: int = -1) -> list[int]:
        """SIGKILL a worker (the last started by default) with its work-horse, which has its own process group;
        the pids killed."""
        return self.workers[index].kill_tree()

    def stop_worker(self, index: int = -1) -> None:
        """Stop a worker as systemd does (SIGTERM to the control group: warm shutdown)."""
        self.workers[index].stop()

    def _worker_registered(self, worker: Process) -> bool:
        import redis

        assert worker.popen is not None
        client = redis.Redis.from_url(self.env["TASKS_REDIS_URL"])
        try:
            for key in client.smembers("rq:workers"):
                if client.hget(key, "pid") == str(worker.popen.pid).encode():
                    return True
        finally:
            client.close()
        return False

    def run_scheduler(self, *, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        """One run of the timer's service: its ExecStart, to the end; its output in the result."""
        process = self._process(self.scheduler_unit, "", "scheduler")
        return self._run(process.command, env=process.env, timeout=timeout)

    def manage(self, *args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
        """``manage.py`` with the stack's environment (as an operator's shell with the environment file)."""
        process = self._process(self.scheduler_unit, "", "manage")
        result = self._run([str(self.bin_dir / "python"), "manage.py", *args], env=process.env, timeout=timeout)
        if result.returncode:
            raise StackError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
        return result

    def _run(self, command: list[str], *, env: dict[str, str], timeout: float) -> subprocess.CompletedProcess[str]:
        """A command in the checkout, to its end, with its output in the result."""
        return subprocess.run(
            command, cwd=self.root, env=env, capture_output=True, text=True, timeout=timeout, check=False
        )

    # --- nginx ----------------------------------------------------------------------------------------

    @property
    def access_log(self) -> Path:
        return self.nginx_dir / "amtsweg.access.log"

    def access_entries(self) -> list[dict[str, Any]]:
        """nginx's access log so far, one dict a request (the JSON log format of the shipped config)."""
        if not self.access_log.exists():
            return []
        return [json.loads(line) for line in self.access_log.read_text().splitlines() if line.strip()]

    def _start_nginx(self) -> None:
        site = self.nginx_dir / "amtsweg.conf"
        site.write_text(
            render(
                listen=f"127.0.0.1:{self.nginx_port}",
                server_name="_",
                app_servers=[f"127.0.0.1:{port}" for port in self.app_ports],
                static_root=self.env["STATIC_ROOT"],
                log_dir=self.nginx_dir,
            )
        )
        temp = self.nginx_dir / "temp"
        temp.mkdir(exist_ok=True)
        # As root, nginx would hand its workers to "nobody", who cannot read a private workdir.
        user = "user root;\n" if os.geteuid() == 0 else ""
        main = self.nginx_dir / "nginx.conf"
        main.write_text(
            f"{user}worker_processes 2;\n"
            f"error_log {self.nginx_dir / 'error.log'} warn;\n"
            "events { worker_connections 1024; }\n"
            "http {\n"
            "    include /etc/nginx/mime.types;\n"
            "    default_type application/octet-stream;\n"
            "    sendfile on;\n"
            + "".join(
                f"    {kind}_temp_path {temp / kind};\n"
                for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
            )
            + f"    include {site};\n"
            "}\n"
        )
        self.nginx = Process(
            name="nginx",
            command=[
                NGINX,
                "-p",
                str(self.nginx_dir),
                "-c",
                str(main),
                "-e",
                str(self.nginx_dir / "error.log"),
                "-g",
                f"daemon off; pid {self.nginx_dir / 'nginx.pid'};",
            ],
            env={name: os.environ[name] for name in INHERITED if name in os.environ},
            log=self.logs_dir / "nginx.log",
        )
        self.nginx.start(self.workdir)
        self._wait("nginx", self.nginx, lambda: _healthy(self.url + "/healthz"))

    # --- helpers --------------------------------------------------------------------------------------

    def _wait(self, what: str, process: Process, ready: Any) -> None:
        deadline = time.monotonic() + self.ready_seconds
        while not ready():
            if not process.running:
                raise StackError(f"{what} ended while starting:\n{process.tail()}")
            if time.monotonic() > deadline:
                raise StackError(f"{what} not ready within {self.ready_seconds:.0f} s:\n{process.tail()}")
            time.sleep(0.2)

    def processes(self) -> Iterator[Process]:
        yield from (p for p in (self.nginx, *self.apps, *self.workers) if p is not None)

    def logs(self, chars: int = 3000) -> str:
        """The end of every process's log, for a failure message."""
        parts = [f"--- {p.name}\n{p.tail(chars)}" for p in self.processes()]
        error_log = self.nginx_dir / "error.log"
        if error_log.exists():
            parts.append(f"--- nginx error.log\n{error_log.read_text(errors='replace')[-chars:]}")
        return "\n".join(parts)


def _accepts(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def _healthy(url: str) -> bool:
    """Up with its database: 200, or a 503 that still says the database answers (e.g. no task probe yet)."""
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - our own http:// address
            return bool(response.status == 200)
    except urllib.error.HTTPError as error:
        try:
            return bool(json.loads(error.read() or b"{}").get("database") == "ok")
        except ValueError:
            return False
    except OSError:
        return False
