"""Rendering an email from its templates, one set per language.

``notifications/<name>.<lang>.txt`` is the plain text, ``<name>.<lang>.html``
the HTML alternative and ``<name>_subject.<lang>.txt`` the subject. German and
English have every email; a further language (docs/languages.md) has the emails
of the services that offer it, and any other email is sent in English. Whole
templates per language (rather than gettext) keep each email readable and
editable as one text. Plain-text parts are rendered without HTML escaping.
"""

from dataclasses import dataclass
from typing import Any

from django.core.mail import EmailMultiAlternatives
from django.template import Context, TemplateDoesNotExist
from django.template.loader import get_template, render_to_string

from amtsweg.core.i18n import language_or_default


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str
    html: str

    def message(self, *, to: str) -> EmailMultiAlternatives:
        """The email to send: the text with its HTML alternative, marked as sent automatically."""
        message = EmailMultiAlternatives(
            subject=self.subject, body=self.text, to=[to], headers={"Auto-Submitted": "auto-generated"}
        )
        message.attach_alternative(self.html, "text/html")
        return message


def _render_text(template_name: str, context: dict[str, Any]) -> str:
    template = get_template(template_name)
    return template.template.render(Context(context, autoescape=False))  # type: ignore[attr-defined]


def email_language(*, name: str, language: str) -> str:
    """The language the email ``name`` is written in for ``language``: a further language (Turkish, ...) has
    its own templates only for the services that offer it; without them the email is in English."""
    language = language_or_default(language)
    try:
        get_template(f"notifications/{name}.{language}.txt")
    except TemplateDoesNotExist:
        return "en"
    return language


def email_render(*, name: str, language: str, context: dict[str, Any]) -> RenderedEmail:
    language = email_language(name=name, language=language)
    context = {**context, "language": language}
    subject = " ".join(_render_text(f"notifications/{name}_subject.{language}.txt", context).split())
    context["subject"] = subject
    text = _render_text(f"notifications/{name}.{language}.txt", context).strip() + "\n"
    html = render_to_string(f"notifications/{name}.{language}.html", context)
    return RenderedEmail(subject=subject, text=text, html=html)
