"""The instant Meldebescheinigung, issued and sealed: `make bench BENCH_ARGS="--only meldebescheinigung"`.

Measured in-process, in a subprocess with the bench server's settings (production, demo mode) and its
database: the service call the check page makes (``residents.services.meldebescheinigung_issue``) for
Erika Mustermann, one simple electronic certificate after the other. Each issue does what it does for a
citizen: the self-lookup and the household check at the demo register (its own HTTP service, started here
on a free port), a document number, the audited register read, the PDF (WeasyPrint), the seal (pyHanko,
the demo key: P-256), the § 18a record, the fingerprints and the files in the private store. The seal's
share is the time spent in ``documents.seal.seal_pdf``, timed around it.

Prints documents per second, p50 and p95 per document, and the seal's share; the files it made are
deleted afterwards. With the server's environment (the harness runs this as a subprocess):

    python -m benchmarks.meldebescheinigung SECONDS
"""

import argparse
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WARMUP = 3


def run(env: dict[str, str], *, seconds: float) -> dict:
    """The measurement in a subprocess with the bench server's environment; its figures."""
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks.meldebescheinigung", str(seconds)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def measure(seconds: float) -> dict:
    import datetime

    from django.conf import settings
    from django.utils import timezone

    from amtsweg.documents import seal
    from amtsweg.documents.services import sealed_documents_prune
    from amtsweg.identity.contrib.demo.views import person_identity
    from amtsweg.identity.demo_idp.idp import person
    from amtsweg.residents.register.contrib.demo.seed import register_persons
    from amtsweg.residents.register.contrib.demo.server import serve
    from amtsweg.residents.services import meldebescheinigung_issue

    folder = Path(tempfile.mkdtemp(prefix="amtsweg-bench-register-"))
    data = folder / "register.json"
    data.write_text(json.dumps({"persons": register_persons()}, ensure_ascii=False), encoding="utf-8")
    token = secrets.token_urlsafe(16)
    server = serve(data=data, token=token)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    host, port = server.server_address[:2]
    settings.RESIDENTS_REGISTER = {
        **settings.RESIDENTS_REGISTER,
        "provider": "demo",
        "providers": {"demo": {"url": f"http://{host}:{port}", "token": token, "data": str(data)}},
    }

    sealing: list[float] = []
    original = seal.seal_pdf

    def timed_seal(**kwargs):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        try:
            return original(**kwargs)
        finally:
            sealing.append(time.perf_counter() - started)

    seal.seal_pdf = timed_seal  # type: ignore[assignment]
    identity = person_identity(person("kassel-adult"))

    def one() -> None:
        meldebescheinigung_issue(
            identity=identity,
            account=None,
            person_id="P-0001",
            kind="simple",
            issuer="Stadt Kassel, Bürgerbüro",
            issuer_lines=["Bürgerbüro", "Obere Königsstraße 8", "34117 Kassel"],
        )

    try:
        for _ in range(WARMUP):  # the key loaded, the fonts read, the connections open
            one()
        sealing.clear()
        times = []
        started = time.perf_counter()
        while time.perf_counter() - started < seconds:
            begun = time.perf_counter()
            one()
            times.append(time.perf_counter() - begun)
        elapsed = time.perf_counter() - started
    finally:
        seal.seal_pdf = original  # type: ignore[assignment]
        server.shutdown()
        server.server_close()
        sealed_documents_prune(now=timezone.now() + datetime.timedelta(days=10 * 365))
        data.unlink(missing_ok=True)
        folder.rmdir()
    quantiles = statistics.quantiles(times, n=20) if len(times) > 1 else times * 19
    return {
        "documents": len(times),
        "elapsed_s": elapsed,
        "per_second": len(times) / elapsed,
        "p50_ms": statistics.median(times) * 1000,
        "p95_ms": quantiles[18] * 1000,
        "seal_share": sum(sealing) / sum(times) if times else 0.0,
        "seal_p50_ms": statistics.median(sealing) * 1000 if sealing else 0.0,
    }


def print_result(data: dict) -> None:
    print(
        f"\ninstant Meldebescheinigung (issue and seal, in-process, one after the other; register, PDF, seal, "
        f"§ 18a record, files): {data['per_second']:.1f} documents/s over {data['documents']} documents, "
        f"p50 {data['p50_ms']:.0f} ms, p95 {data['p95_ms']:.0f} ms per document; the seal "
        f"{data['seal_share']:.0%} of the time (p50 {data['seal_p50_ms']:.1f} ms)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("seconds", type=float)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amtsweg.settings.production")
    import django

    django.setup()
    print(json.dumps(measure(args.seconds)))


if __name__ == "__main__":
    main()
