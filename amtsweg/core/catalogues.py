"""The message catalogues: which strings each language must translate, and extracting them.

German translates every string of the code (English is the source language). A further language (Turkish,
Arabic, Ukrainian, Russian: ``core.i18n.further_language_codes``) translates the strings of the pages of the
services that offer it: the page frame, the service page, the form journey with its errors, checklist,
confirmation and status page, the summary PDF, and the service family's own code (``FURTHER_LANGUAGE_SOURCES``;
a form's own texts are in its definition, checked when it is loaded).
Its emails are whole templates per language (``FURTHER_LANGUAGE_EMAILS``, notifications/emails.py).
``make messages`` writes the catalogues (``messages_update``), ``check_messages`` checks them
(docs/languages.md).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.test.utils import override_settings

IGNORE = [".venv", "node_modules", "var", "staticfiles", "tests", "benchmarks"]

# The sources of the pages a further language covers, as globs below the package folder. A service family
# that offers further languages adds its folders (its staff pages stay German and English).
FURTHER_LANGUAGE_SOURCES = (
    "templates/base.html",
    "templates/includes/*.html",
    "templates/404.html",
    "templates/500.html",
    "templates/403_csrf.html",
    "templates/catalogue/service_detail.html",
    "templates/catalogue/_hours.html",
    "catalogue/constants.py",
    "templates/applications/*.html",
    "templates/applications/fields/*.html",
    "templates/documents/submission_summary.html",
    "applications/formengine/*.py",
    "applications/views.py",
    "applications/files.py",
    "applications/errors.py",
    "core/forms.py",
    "cases/selectors.py",
    "immigration/*.py",
    "templates/immigration/*.html",
    "templates/immigration/pdf/*.html",
)

# The staff side of a family in those folders stays German and English: its modules are left out. The immigration
# office's triage writes its messages to the citizen in ``triage_messages.py``, which stays in.
FURTHER_LANGUAGE_STAFF_ONLY = (
    "immigration/apps.py",
    "immigration/models.py",
    "immigration/staff_*.py",
    "immigration/triage.py",
    "immigration/triage_constants.py",
    "immigration/triage_forms.py",
    "immigration/triage_selectors.py",
)

# The emails of a service's journey; a further language has each as a whole template (text, HTML, subject).
FURTHER_LANGUAGE_EMAILS = (
    "submission_confirmation",
    "case_message",
    "case_documents_requested",
    "case_status_changed",
    "case_completed",
    "case_rejected",
)


def _scoped_files() -> list[Path]:
    package = settings.PACKAGE_DIR
    staff = {path for pattern in FURTHER_LANGUAGE_STAFF_ONLY for path in package.glob(pattern)}
    return sorted(
        {
            path
            for pattern in FURTHER_LANGUAGE_SOURCES
            for path in package.glob(pattern)
            if path.is_file() and path not in staff
        }
    )


@contextmanager
def extracted(languages: Sequence[str], *, scoped: bool, keep: Path | None = None) -> Iterator[Path]:
    """Extract the strings for ``languages`` into a temporary locale folder, which is yielded: every string of
    the code, or (``scoped``) those of ``FURTHER_LANGUAGE_SOURCES``. With ``keep`` (a locale folder), its
    catalogues are merged in first, so their translations are kept."""
    with tempfile.TemporaryDirectory() as tmp:
        # makemessages writes next to any "locale" folder it walks past, so it runs on a copy of the sources
        # without one, writing into tmp/out.
        source = Path(tmp) / "src"
        package = settings.PACKAGE_DIR
        if scoped:
            for path in _scoped_files():
                target = source / package.name / path.relative_to(package)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(path, target)
        else:
            shutil.copytree(
                package,
                source / package.name,
                ignore=shutil.ignore_patterns("locale", "static", "__pycache__", "*.pyc"),
            )
        out = Path(tmp) / "out"
        for language in languages:
            if keep is not None and (keep / language / "LC_MESSAGES" / "django.po").exists():
                (out / language / "LC_MESSAGES").mkdir(parents=True)
                shutil.copy(keep / language / "LC_MESSAGES" / "django.po", out / language / "LC_MESSAGES")
        (source / package.name).mkdir(parents=True, exist_ok=True)
        cwd = os.getcwd()
        try:
            os.chdir(source)
            with override_settings(LOCALE_PATHS=[str(out)]):
                call_command(
                    "makemessages",
                    locale=list(languages),
                    ignore_patterns=IGNORE,
                    no_location=True,
                    no_obsolete=True,
                    verbosity=0,
                )
        finally:
            os.chdir(cwd)
        yield out
