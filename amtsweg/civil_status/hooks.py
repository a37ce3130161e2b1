"""How the Standesamt's fulfilment hooks into the back office (see ``amtsweg.cases.hooks``)."""

from typing import Any

from django.utils.translation import pgettext

from amtsweg.cases.hooks import case_hooks

from .constants import OrderStatus


@case_hooks.on_open
def queue_certificate_order(*, case: Any) -> None:
    """A certificate service's case enters the fulfilment queue when it opens (after payment)."""
    from .services import certificate_order_open

    certificate_order_open(case=case)


@case_hooks.citizen_status
def certificate_sent_status(*, case: Any) -> str | None:
    """The citizen sees "sent" (versendet) once the certificate is in the post."""
    from .models import CertificateOrder

    order = CertificateOrder.objects.filter(case_id=case.pk).only("status").first()
    if order is not None and order.status == OrderStatus.SENT:
        return pgettext("certificate order", "Sent")
    return None


@case_hooks.closed_elsewhere
def certificate_closing(*, case: Any) -> str | None:
    """An open certificate order is sent or rejected in the certificate queue, where a rejection refunds
    the fee; the case page does not end it."""
    from django.utils.translation import gettext

    from .models import CertificateOrder
    from .selectors import order_is_open

    order = CertificateOrder.objects.filter(case_id=case.pk).select_related("case").first()
    if order is None or not order_is_open(order):
        return None
    return gettext(
        "This is a certificate order: send or reject it in the certificate orders queue, where a rejection "
        "also refunds the fee."
    )


@case_hooks.staff_panel
def naturalisation_self_check_panel(*, case: Any, user: Any) -> Any:
    """A Voranfrage zur Einbürgerung: the self-check as the citizen saw it on the day it was sent, criterion by
    criterion, so the Standesamt sees at once what is unclear or not met and can answer in writing."""
    from django.utils import timezone

    from amtsweg.cases.hooks import CasePanel

    from . import naturalisation

    submission = case.submission
    if submission.service.slug != naturalisation.SERVICE:
        return None
    criteria = naturalisation.self_check(submission.answers, today=timezone.localdate(submission.submitted_at))
    return CasePanel(
        template="civil_status/_case_naturalisation.html",
        context={"criteria": criteria, "verdict": naturalisation.verdict(criteria)},
    )


# --- notice of marriage: the partner's own link (marriage.py) -----------------------------------------


@case_hooks.on_open
def send_partner_link(*, case: Any) -> None:
    """A notice of marriage that leaves Person 2's part to the partner sends the partner their link when the
    case opens (the email is queued with the case's transaction)."""
    from .marriage import partner_link_send, partner_waits

    if partner_waits(case.submission) and not hasattr(case.submission, "partner_link"):
        partner_link_send(submission=case.submission)


@case_hooks.citizen_panel
def partner_citizen_panel(*, case: Any, submission: Any) -> Any:
    """The applicant's status page says whether the partner has confirmed, with a button for a new link."""
    from amtsweg.cases.hooks import CasePanel

    from .marriage import partner_state

    state = partner_state(submission=submission)
    if not state:
        return None
    return CasePanel(
        template="civil_status/partner/_citizen_panel.html",
        context={"state": state, "submission": submission, "closed": bool(case and case.closed_at)},
    )


@case_hooks.staff_panel
def partner_staff_panel(*, case: Any, user: Any) -> Any:
    """The case page shows "Partner: bestätigt / ausstehend" and when the link was sent."""
    from amtsweg.cases.hooks import CasePanel

    from .marriage import partner_answer_rows, partner_state
    from .models import PartnerLink

    state = partner_state(submission=case.submission)
    if not state:
        return None
    link = PartnerLink.objects.filter(submission=case.submission).first()
    answers = partner_answer_rows(submission=case.submission) if state == "confirmed" else []
    return CasePanel(
        template="civil_status/partner/_staff_panel.html", context={"state": state, "link": link, "answers": answers}
    )


@case_hooks.inbox_lines
def partner_inbox_lines(*, cases: Any) -> dict[str, str]:
    """ "Partner: bestätigt" or "Partner: ausstehend" under a notice of marriage whose partner has a link."""
    from .models import PartnerLink

    uuids = [row.uuid for row in cases]
    links = PartnerLink.objects.filter(submission__case__uuid__in=uuids).values_list(
        "submission__case__uuid", "confirmed_at"
    )
    return {
        str(uuid): pgettext("partner", "Partner: confirmed") if confirmed else pgettext("partner", "Partner: pending")
        for uuid, confirmed in links
    }
