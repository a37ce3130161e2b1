"""The two commands set themselves up; these guard the parts that can be tested quickly."""

import os
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from amtsweg.accounts.models import User

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
