"""Repository-wide pytest hooks: the suite must leave no files behind in the work tree."""

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent


def _untracked() -> set[str] | None:
    if not (ROOT / ".git").exists():
        return None
    out = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all", "--ignored=no"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    return {line[3:] for line in out.stdout.splitlines() if line.startswith("??")}


def pytest_sessionstart(session):  # type: ignore[no-untyped-def]
    session.config._amtsweg_untracked = _untracked()


def pytest_sessionfinish(session, exitstatus):  # type: ignore[no-untyped-def]
    before = getattr(session.config, "_amtsweg_untracked", None)
    if before is None or hasattr(session.config, "workerinput"):
        return
    left = sorted((_untracked() or set()) - before)
    if left:
        print("\nThe tests left files behind in the work tree:\n  " + "\n  ".join(left))
        session.exitstatus = 1
