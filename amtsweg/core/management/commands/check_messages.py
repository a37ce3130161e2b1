"""Fails when a translatable string has no German translation, or a translation is fuzzy.

It extracts the strings anew (makemessages into a temporary folder), checks
that the committed catalogue contains every one of them (msgcmp) and that the
committed catalogue has no untranslated or fuzzy entries (msgattrib). English
is the source language of the code, so English is complete by construction.
"""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

IGNORE = [".venv", "node_modules", "var", "staticfiles", "tests", "benchmarks"]


class Command(BaseCommand):
    help = "Check that the German message catalogue is complete and not fuzzy."

    def handle(self, *args: Any, **options: Any) -> None:
        for tool in ("msgcmp", "msgattrib", "xgettext"):
            if shutil.which(tool) is None:
                raise CommandError(f"{tool} is missing: install GNU gettext (apt-get install gettext).")
        committed = Path(settings.LOCALE_PATHS[0]) / "de" / "LC_MESSAGES" / "django.po"
        if not committed.exists():
            raise CommandError(f"{committed} is missing: run 'make messages'.")
        problems: list[str] = []
        with tempfile.TemporaryDirectory() as tmp:
            # makemessages writes next to any "locale" folder it walks past, so it
            # runs on a copy of the sources without one, writing into tmp/out.
            source = Path(tmp) / "src"
            shutil.copytree(
                settings.PACKAGE_DIR,
                source / settings.PACKAGE_DIR.name,
                ignore=shutil.ignore_patterns("locale", "static", "__pycache__", "*.pyc"),
            )
            out = Path(tmp) / "out"
            cwd = os.getcwd()
            try:
                os.chdir(source)
                with override_settings(LOCALE_PATHS=[str(out)]):
                    call_command("makemessages", locale=["de"], ignore_patterns=IGNORE, no_location=True, verbosity=0)
            finally:
                os.chdir(cwd)
            fresh = out / "de" / "LC_MESSAGES" / "django.po"
            result = subprocess.run(
                ["msgcmp", "--use-untranslated", str(committed), str(fresh)],
                capture_output=True,
                text=True,
            )
            if result.returncode != 0:
                problems.append("strings missing from the German catalogue:\n" + result.stderr.strip())
        for flag, label in (("--untranslated", "untranslated"), ("--only-fuzzy", "fuzzy")):
            listing = subprocess.run(
                ["msgattrib", flag, "--no-obsolete", str(committed)], capture_output=True, text=True, check=True
            ).stdout
            entries = [line for line in listing.splitlines() if line.startswith("msgid ") and line != 'msgid ""']
            if entries:
                problems.append(f"{len(entries)} {label} German entries:\n" + "\n".join(entries[:20]))
        if problems:
            raise CommandError("\n\n".join(problems) + "\n\nRun 'make messages' and translate amtsweg/locale/de.")
        self.stdout.write("German message catalogue is complete.")
