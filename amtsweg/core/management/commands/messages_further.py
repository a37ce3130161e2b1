"""Writes the catalogues of the further languages (Turkish, Arabic, ...) from the strings of their pages.

``make messages`` runs it after the German catalogue: the strings of ``core.catalogues.FURTHER_LANGUAGE_SOURCES``
are extracted, merged into each committed catalogue (translations are kept, strings no longer used dropped) and
written back to ``amtsweg/locale/<language>/``. Translate the new entries there.
"""

import shutil
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from amtsweg.core.catalogues import extracted
from amtsweg.core.i18n import further_language_codes


class Command(BaseCommand):
    help = "Update the message catalogues of the further languages from the strings of their pages."

    def handle(self, *args: Any, **options: Any) -> None:
        locale = Path(settings.LOCALE_PATHS[0])
        languages = further_language_codes()
        with extracted(languages, scoped=True, keep=locale) as out:
            for language in languages:
                target = locale / language / "LC_MESSAGES"
                target.mkdir(parents=True, exist_ok=True)
                shutil.copy(out / language / "LC_MESSAGES" / "django.po", target / "django.po")
                self.stdout.write(f"updated {target / 'django.po'}")
