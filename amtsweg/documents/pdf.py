"""PDF documents rendered from Django templates with WeasyPrint.

Stylesheets and fonts come from the project's own static folder only: the URL
fetcher refuses every other URL, so a template (or an answer that ends up in
one) can never make the server fetch something from the network or read a file
elsewhere on disk.
"""

import functools
import ssl
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from amtsweg.applications.models import Submission
from amtsweg.applications.selectors import submission_checklist, submission_notices
from amtsweg.core.i18n import language_or_default

from .selectors import submission_summary_sections


def static_root() -> Path:
    return (Path(settings.PACKAGE_DIR) / "static").resolve()


@functools.cache
def _unused_tls() -> ssl.SSLContext:
    # URLFetcher always builds an HTTPS handler, which without a context loads the system's
    # certificates (about 40 ms per PDF); it is never used (only file: URLs), so one is made once.
    return ssl.create_default_context()


class StaticFilesOnlyFetcher(URLFetcher):
    """Fetches ``file:`` URLs inside ``root`` and refuses everything else (http, https, data, ftp, other files)."""

    def __init__(self, *, root: Path) -> None:
        super().__init__(allowed_protocols=("file",), allow_redirects=False, ssl_context=_unused_tls())
        self.root = root.resolve()

    def fetch(self, url: str, headers: Any = None) -> Any:
        parts = urlsplit(url)
        if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
            raise ValueError(f"refused to fetch {url!r}: only the project's static files may be used")
        path = Path(url2pathname(parts.path)).resolve()
        if self.root not in path.parents:
            raise ValueError(f"refused to fetch {url!r}: outside {self.root}")
        return super().fetch(path.as_uri(), headers)


def render_pdf(*, template_name: str, context: dict[str, Any]) -> bytes:
    """Render a template to a tagged PDF (PDF/UA-1).

    Relative URLs in the template (``vendor/kern/fonts/...``) resolve against
    the static folder. The template must set ``<html lang>`` and a ``<title>``.
    """
    root = static_root()
    html = render_to_string(template_name, context)
    document = HTML(string=html, base_url=root.as_uri() + "/", url_fetcher=StaticFilesOnlyFetcher(root=root))
    return document.write_pdf(pdf_variant="pdf/ua-1")


def submission_summary_pdf(*, submission: Submission) -> bytes:
    """An A4 summary of a submission in the citizen's language: every answer, grouped by step."""
    language = language_or_default(submission.language)
    with translation.override(language):
        service = submission.service
        department = service.department
        context = {
            "language": language,
            "city": settings.PORTAL["city"],
            "hotline": settings.PORTAL.get("hotline", "115"),
            "hotline_local": settings.PORTAL.get("hotline_local", ""),
            "service_name": service.name,
            "department": department,
            "processing_time": service.processing_time,
            "reference": submission.reference,
            "submitted_at": submission.submitted_at,
            "sections": submission_summary_sections(submission=submission),
            "checklist": submission_checklist(submission=submission),
            "notices": submission_notices(submission=submission),
            **_fee_context(submission),
        }
        return render_pdf(template_name="documents/submission_summary.html", context=context)


def _fee_context(submission: Submission) -> dict[str, Any]:
    """The itemised fee as fixed at submission, if the submission had one."""
    from amtsweg.payments.fees import FeeLine
    from amtsweg.payments.models import Payment

    payment = Payment.objects.filter(submission=submission).first()
    if payment is None:
        return {}
    return {"fee_lines": [FeeLine.from_json(item) for item in payment.items], "fee_total": payment.amount_cents}
