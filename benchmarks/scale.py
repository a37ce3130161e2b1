"""What a second app server buys: the production shape of deploy/ with one app server, then with two.

`make bench BENCH_ARGS="--only scale"` (on PostgreSQL with Redis: DATABASE_URL and REDIS_URL) starts the stack
of deploy/ (nginx in front of gunicorn app servers, deploy/localstack.py) with one app server, then with two,
each with one gunicorn worker, so that both runs have as many server processes as the machine has cores and
use them the same way. Through nginx it measures the minimal view, the form step and whole submissions. No
task worker runs while it measures: the submissions' PDFs and emails wait in the queue (Redis), as the other
benchmarks leave them for the drain measured on its own.

On two cores the second server cannot double the rate: the load generator, nginx, PostgreSQL and Redis share
the same two cores. What the figures show is whether anything serialises across servers (a lock, a cache
stampede): then two servers would be slower than one, not merely short of twice as fast.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

import redis

from . import flows
from .scenarios import BASELINE, Scenario

# The Redis databases of the stack: the cache and sessions, and the task queue (not the cache's, which tests empty).
CACHE_DB = 8
QUEUE_DB = 9


def available() -> str:
    """Why the scale benchmark cannot run here, or "" when it can."""
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        return "needs PostgreSQL (DATABASE_URL=postgres://...): several app servers do not share SQLite well"
    if not os.environ.get("REDIS_URL"):
        return "needs Redis (REDIS_URL): the app servers share sessions and the cache there, and the task queue"
    return ""


def run(env: dict[str, str], args: argparse.Namespace, *, run_wrk, check_page) -> list[dict]:  # type: ignore[no-untyped-def]
    """One row per stack (1 and 2 app servers): the rates through nginx."""
    from deploy.localstack import LocalStack, redis_db

    stack_env = {
        **env,
        "REDIS_URL": redis_db(os.environ["REDIS_URL"], CACHE_DB),
        "TASKS_BACKEND": "django_tasks_rq.RQBackend",
        "TASKS_REDIS_URL": redis_db(os.environ["REDIS_URL"], QUEUE_DB),
        "TRUSTED_PROXIES": "127.0.0.1",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
    }
    load = {"connections": args.connections, "duration": args.duration, "threads": args.threads}
    queue = redis.Redis.from_url(stack_env["TASKS_REDIS_URL"])
    queue.flushdb()  # the jobs an earlier run left; this run's are emptied at its end
    rows = []
    with tempfile.TemporaryDirectory(prefix="amtsweg-scale-") as tmp:
        for servers in (1, 2):
            workdir = Path(tmp) / f"{servers}-servers"
            with LocalStack(app_servers=servers, workers=0, web_concurrency=1, env=stack_env, workdir=workdir) as stack:
                port = int(stack.url.rsplit(":", 1)[1])
                draft_cookie = flows.citizen_at_measured_step(stack.url).cookie_header()
                form_step = Scenario(
                    "form step page",
                    f"{flows.FORM}schritt/{flows.MEASURED_STEP}/",
                    headers=(draft_cookie,),
                    min_ratio=None,
                    max_p95_ms=None,
                )
                for scenario in (BASELINE, form_step):
                    check_page(port, scenario)
                    run_wrk(port, scenario, connections=4, duration=1, threads=1)  # warm every server up
                baseline = run_wrk(port, BASELINE, **load)
                step = run_wrk(port, form_step, **load)
                submissions = flows.submission_rate(
                    stack.url, clients=args.submit_clients, duration=max(args.duration * 2, 10)
                )
                served = {entry.get("upstream_addr") for entry in stack.access_entries()}
            rows.append(
                {
                    "servers": servers,
                    "baseline": baseline,
                    "form_step": step,
                    "submissions": submissions,
                    "upstreams": len(served - {None, "", "-"}),
                }
            )
    queue.flushdb()
    queue.close()
    return rows


def print_rows(rows: list[dict]) -> None:
    print("\nWhat a second app server buys: deploy/'s nginx in front of gunicorn app servers, 1 worker each")
    header = (
        f"{'app servers':<12} {'minimal req/s':>14} {'form step req/s':>16} {'p95 ms':>8} "
        f"{'submissions/s':>14} {'failed':>7} {'errors':>7}"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        step = row["form_step"]
        print(
            f"{row['servers']:<12} {row['baseline']['rps']:>14.0f} {step['rps']:>16.0f} {step['p95_us'] / 1000:>8.1f} "
            f"{row['submissions']['per_second']:>14.2f} {row['submissions']['failures']:>7} "
            f"{row['baseline']['errors'] + step['errors']:>7}"
        )
    for row in rows:
        if row["submissions"]["first_failure"]:
            print(f"  {row['servers']} app server(s), first failed submission: {row['submissions']['first_failure']}")
    if len(rows) == 2 and rows[0]["form_step"]["rps"]:
        one, two = rows
        step = two["form_step"]["rps"] / one["form_step"]["rps"]
        submissions = (
            two["submissions"]["per_second"] / one["submissions"]["per_second"]
            if one["submissions"]["per_second"]
            else 0.0
        )
        print(
            f"two servers / one: form step {step:.2f}, submissions {submissions:.2f} "
            f"(requests reached {two['upstreams']} app servers). On two cores the goal is no serialisation: "
            f"at least 1.0, never below."
        )
