"""Fails when a translatable string has no translation, or a translation is fuzzy.

German: it extracts every string of the code anew (makemessages into a temporary folder), checks that the
committed catalogue contains every one of them (msgcmp) and that it has no untranslated or fuzzy entries
(msgattrib). English is the source language of the code, so English is complete by construction.

Further languages (Turkish, Arabic, Ukrainian, Russian): the same for the strings of their pages
(``core.catalogues.FURTHER_LANGUAGE_SOURCES``), and each email of the journey has its templates.
"""

import shutil
import subprocess
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.template import TemplateDoesNotExist
from django.template.loader import get_template

from amtsweg.core.catalogues import FURTHER_LANGUAGE_EMAILS, extracted
from amtsweg.core.i18n import further_language_codes

NAMES = {"de": "German", "tr": "Turkish", "ar": "Arabic", "uk": "Ukrainian", "ru": "Russian"}


def _catalogue_problems(language: str, committed: Path, fresh: Path) -> list[str]:
    name = NAMES.get(language, language)
    if not committed.exists():
        return [f"{committed} is missing"]
    problems = []
    result = subprocess.run(
        ["msgcmp", "--use-untranslated", str(committed), str(fresh)], capture_output=True, text=True
    )
    if result.returncode != 0:
        problems.append(f"strings missing from the {name} catalogue:\n" + result.stderr.strip())
    for flag, label in (("--untranslated", "untranslated"), ("--only-fuzzy", "fuzzy")):
        listing = subprocess.run(
            ["msgattrib", flag, "--no-obsolete", str(committed)], capture_output=True, text=True, check=True
        ).stdout
        entries = _msgids(listing)
        if entries:
            problems.append(f"{len(entries)} {label} {name} entries:\n" + "\n".join(entries[:20]))
    return problems


def _msgids(listing: str) -> list[str]:
    """The msgids of a msgattrib listing, without the header; a long or multi-line msgid is written as
    ``msgid ""`` followed by its lines, so it is joined from them."""
    msgids: list[str] = []
    lines = listing.splitlines()
    for index, line in enumerate(lines):
        if not line.startswith("msgid "):
            continue
        parts = [line[len("msgid ") :]]
        for following in lines[index + 1 :]:
            if not following.startswith('"'):
                break
            parts.append(following)
        text = "".join(part.strip()[1:-1] for part in parts)
        if text:  # the header's msgid is empty
            msgids.append(f"msgid {text!r}")
    return msgids


def _email_problems(language: str) -> list[str]:
    missing = []
    templates = [f"header.{language}.html", f"footer.{language}.html", f"footer.{language}.txt"]
    for email in FURTHER_LANGUAGE_EMAILS:
        templates += [f"{email}.{language}.txt", f"{email}.{language}.html", f"{email}_subject.{language}.txt"]
    for template in templates:
        try:
            get_template(f"notifications/{template}")
        except TemplateDoesNotExist:
            missing.append(template)
    if not missing:
        return []
    return [f"{len(missing)} email templates missing in {NAMES.get(language, language)}: " + ", ".join(missing)]


class Command(BaseCommand):
    help = "Check that the German catalogue and the further languages' catalogues are complete and not fuzzy."

    def handle(self, *args: Any, **options: Any) -> None:
        for tool in ("msgcmp", "msgattrib", "xgettext"):
            if shutil.which(tool) is None:
                raise CommandError(f"{tool} is missing: install GNU gettext (apt-get install gettext).")
        locale = Path(settings.LOCALE_PATHS[0])
        problems: list[str] = []
        with extracted(["de"], scoped=False) as out:
            problems += _catalogue_problems("de", locale / "de/LC_MESSAGES/django.po", out / "de/LC_MESSAGES/django.po")
        further = further_language_codes()
        with extracted(further, scoped=True) as out:
            for language in further:
                problems += _catalogue_problems(
                    language, locale / f"{language}/LC_MESSAGES/django.po", out / f"{language}/LC_MESSAGES/django.po"
                )
        for language in further:
            problems += _email_problems(language)
        if problems:
            raise CommandError(
                "\n\n".join(problems) + "\n\nRun 'make messages' and translate the catalogues in amtsweg/locale "
                "(and the email templates in amtsweg/templates/notifications); see docs/languages.md."
            )
        self.stdout.write("German message catalogue is complete.")
        if further:
            self.stdout.write(f"The catalogues of {', '.join(further)} are complete for their pages.")
