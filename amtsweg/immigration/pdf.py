"""The receipt of an extension request (Eingangsbestätigung) as a PDF, in the citizen's language.

It is made on request from the submission (its time of receipt, reference and answers), never stored, so
retention has nothing to delete besides the submission itself.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import translation

from amtsweg.applications.formengine.registry import field_types
from amtsweg.applications.selectors import definition_of
from amtsweg.core.i18n import language_or_default
from amtsweg.documents.pdf import render_pdf

from .selectors import Receipt


def topic_label(*, submission: Any) -> str:
    """The topic as the citizen chose it, in the active language (from the form version it was sent with)."""
    definition = definition_of(form_version=submission.form_version)
    spec = definition.field("topic")
    return field_types.get(spec.type).display(spec, submission.answers.get("topic"))


def receipt_pdf(*, submission: Any, receipt: Receipt) -> bytes:
    """The receipt as a tagged A4 PDF whose text can be read out and copied."""
    language = language_or_default(submission.language)
    with translation.override(language):
        department = submission.service.department
        return render_pdf(
            template_name="immigration/pdf/receipt.html",
            context={
                "language": language,
                "city": settings.PORTAL["city"],
                "department": department,
                "receipt": receipt,
                "topic": topic_label(submission=submission),
                "applicant_name": submission.applicant_name,
            },
        )
