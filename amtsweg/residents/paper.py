"""The Meldebescheinigung on paper in the back office: the case page of a paid paper order offers to print the
certificate (``services.meldebescheinigung_print``), which staff sign, stamp and post. Registered in
``apps.ResidentsConfig.ready``.

The print is a form on the case page (POST, it numbers a document and reads the register); the view is a back
office page like the case page itself: ``staff_required`` and the case page's own department check
(``cases.selectors.case_get_for_staff``). A refusal is a ``CaseError``, shown on the case page.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_http_methods

from amtsweg.accounts.decorators import staff_required
from amtsweg.cases import selectors as case_selectors
from amtsweg.cases.constants import CLOSED_STATUSES
from amtsweg.cases.hooks import CasePanel, case_hooks

from . import meldebescheinigung as certificate
from . import services


@case_hooks.staff_panel
def paper_order_panel(*, case: Any, user: Any) -> CasePanel | None:
    """What was ordered and the button that prints it; nothing is read from the register until it is pressed."""
    order = services.meldebescheinigung_paper_order(case=case)
    if order is None:
        return None
    return CasePanel(
        template="residents/_case_paper_order.html",
        context={
            "case": case,
            "title": certificate.title(order.kind),
            "copies": order.copies,
            "closed": case.status in CLOSED_STATUSES,
        },
    )


@staff_required
@require_http_methods(["POST"])
def certificate_print(request: HttpRequest, uuid: Any) -> HttpResponse:
    """ "Meldebescheinigung drucken": the certificate of a paper order as one PDF, each copy ordered in it."""
    case = case_selectors.case_get_for_staff(user=request.user, uuid=uuid)
    if services.meldebescheinigung_paper_order(case=case) is None:
        raise Http404("No paper order of a Meldebescheinigung.")
    _issuer, lines = services.document_issuer(service=case.service)
    printed = services.meldebescheinigung_print(case=case, actor=request.user, issuer_lines=lines)
    response = HttpResponse(printed.pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="meldebescheinigung-{printed.number}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
