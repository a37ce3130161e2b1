"""The two commands set themselves up; these guard the parts that can be tested quickly."""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from amtsweg.accounts.models import User
from amtsweg.catalogue.models import Department

ROOT = Path(__file__).resolve().parents[1]


def test_find_python_fails_with_a_clear_message_when_no_interpreter_is_found(tmp_path):
    env = {"PATH": str(tmp_path), "HOME": str(tmp_path), "PYENV_ROOT": str(tmp_path)}
    out = subprocess.run(["/bin/bash", str(ROOT / "scripts/find-python")], env=env, capture_output=True, text=True)
    if out.returncode == 0 and out.stdout.startswith(("/usr/", "/usr/local/")):
        pytest.skip("this machine has a system Python 3.12/3.13, which find-python rightly accepts")
    assert out.returncode == 1
    assert "needs Python 3.13 or 3.12" in out.stderr


def test_find_python_skips_a_broken_shim(tmp_path):
    shim = tmp_path / "python3.13"
    shim.write_text("#!/bin/sh\necho 'pyenv: python3.13: command not found' >&2\nexit 127\n")
    shim.chmod(0o755)
    env = {**os.environ, "PATH": f"{tmp_path}:{os.environ['PATH']}"}
    out = subprocess.run(["/bin/bash", str(ROOT / "scripts/find-python")], env=env, capture_output=True, text=True)
    assert out.stdout.strip() != str(shim)


def test_make_run_prints_a_login_for_every_department_and_role(kassel, settings, capsys):
    settings.DEMO_MODE = True
    call_command("create_demo_staff")
    printed = capsys.readouterr().out
    for department in Department.objects.all():
        worker = User.objects.get(username=department.slug)
        assert list(worker.departments.all()) == [department]
        assert f"demo-{department.slug}-2026" in printed
        lead = User.objects.get(username=f"{department.slug}-leitung")
        assert list(lead.departments.all()) == [department]
        assert lead.has_perm("statistics.view_figures") and not lead.has_perm("statistics.record_counter")
        assert worker.has_perm("statistics.record_counter") and not worker.has_perm("statistics.view_figures")
    assert User.objects.get(username="leitung").has_perm("statistics.view_figures")
    assert {"zuwanderung", "kfz"} <= set(Department.objects.values_list("slug", flat=True))
    for username, group in [("leitung", "Leitung"), ("kasse", "Stadtkasse"), ("termine", "Terminverwaltung")]:
        assert User.objects.get(username=username).groups.filter(name=group).exists()
        assert f"demo-{username}-2026" in printed
    assert User.objects.get(username="admin").is_superuser


def _system_packages(tmp_path, *, tools, as_nobody=False, profile="test"):
    """Run scripts/system-packages with only ``tools`` on PATH (plus bash and coreutils) and a recording apt-get."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    for name in ("bash", "env"):
        (bin_dir / name).symlink_to(
            subprocess.check_output(["/bin/bash", "-c", f"command -v {name}"], text=True).strip()
        )
    for name in tools:
        (bin_dir / name).write_text("#!/bin/sh\nexit 0\n")
        (bin_dir / name).chmod(0o755)
    log = tmp_path / "apt.log"
    apt = bin_dir / "apt-get"
    apt.write_text(f'#!/bin/sh\necho "$@" >> {log}\n')
    apt.chmod(0o755)
    env = {
        "PATH": str(bin_dir),
        "CHROMIUM": str(tmp_path / "no-chromium"),
        "FONTS_DEJAVU": str(tmp_path / "no-font"),
        "NGINX": str(tmp_path / "no-nginx"),
    }
    command = [str(bin_dir / "bash"), str(ROOT / "scripts/system-packages"), profile]
    if as_nobody:
        command = [shutil.which("setpriv") or "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *command]
    out = subprocess.run(command, env=env, capture_output=True, text=True)
    return out, (log.read_text() if log.exists() else "")


needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="runs the script as root and as another user")


@needs_root
def test_make_test_installs_the_missing_debian_packages_as_root(tmp_path):
    out, apt_calls = _system_packages(tmp_path, tools=["msgfmt", "xmlsec1", "npm"])
    # The stand-in apt-get installs nothing, so the script then finds the packages still missing.
    assert "still not found" in out.stderr
    assert apt_calls.splitlines()[0] == "update -qq"
    assert apt_calls.splitlines()[1] == "install -y -qq chromium fonts-dejavu-core poppler-utils zbar-tools nginx-light"


@needs_root
def test_without_root_it_stops_with_the_one_command_to_run():
    with tempfile.TemporaryDirectory(prefix="amtsweg-setup-") as folder:  # pytest's own is root's alone
        Path(folder).chmod(0o755)
        out, apt_calls = _system_packages(Path(folder), tools=["xmlsec1"], as_nobody=True, profile="run")
    assert out.returncode == 1
    assert "sudo apt-get install -y gettext fonts-dejavu-core" in out.stderr
    assert apt_calls == ""


def test_nothing_is_installed_when_everything_is_there(tmp_path):
    font = tmp_path / "DejaVuSans.ttf"
    font.write_text("")
    chromium = tmp_path / "chromium"
    chromium.write_text("#!/bin/sh\n")
    chromium.chmod(0o755)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name in ("msgfmt", "xmlsec1", "pdftotext", "pdfinfo", "pdffonts", "zbarimg", "npm"):
        target = bin_dir / name
        target.write_text("#!/bin/sh\necho 0\n")
        target.chmod(0o755)
    env = {
        "PATH": f"{bin_dir}:/usr/bin:/bin",
        "CHROMIUM": str(chromium),
        "NGINX": str(chromium),  # any executable file stands for it
        "FONTS_DEJAVU": str(font),
        "APT_GET": "false",
    }
    out = subprocess.run(["/bin/bash", str(ROOT / "scripts/system-packages"), "test"], env=env, capture_output=True)
    assert out.returncode == 0, out.stderr


def test_demo_staff_are_created_in_demo_mode_only(kassel, settings):
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="demo mode"):
        call_command("create_demo_staff")
    assert not User.objects.filter(username="redaktion").exists()
    settings.DEMO_MODE = True
    call_command("create_demo_staff")
    call_command("create_demo_staff")  # idempotent
    editor = User.objects.get(username="redaktion")
    assert editor.groups.filter(name="Katalogredaktion").exists()
    assert User.objects.get(username="standesamt").departments.get().slug == "standesamt"


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_make_runs_development_server_shows_the_portals_own_404_and_serves_static_files(tmp_path):
    """`make run` starts runserver with the base settings and no DEBUG: a city looking at the demo sees our pages."""
    import time
    import urllib.error
    import urllib.request

    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DEBUG", "DATABASE_URL"}}
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env={**env, "AMTSWEG_VAR_DIR": str(tmp_path)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/static/css/amtsweg.css", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/static/css/amtsweg.css", timeout=5) as answer:
            assert answer.status == 200
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/gibt-es-nicht/", timeout=5)
        page = missing.value.read().decode()
        assert missing.value.code == 404
        assert "Seite nicht gefunden" in page
        assert "URLconf" not in page and "DEBUG = True" not in page
    finally:
        server.terminate()
        server.wait(timeout=10)
