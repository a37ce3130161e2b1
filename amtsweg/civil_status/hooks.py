"""How the Standesamt's fulfilment hooks into the back office (see ``amtsweg.cases.hooks``)."""

from typing import Any

from django.utils.translation import gettext, ngettext, pgettext

from amtsweg.applications.formengine.hooks import Notice, service_notices
from amtsweg.cases.hooks import CasePanel, case_hooks

from . import death_notice
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


# --- the Voranzeige eines Sterbefalls (death_notice.py) -------------------------------------------------


@service_notices.register(death_notice.SLUG)
def death_notice_notices(answers: dict[str, Any], *, sent_on: Any = None) -> list[Notice]:
    """The deadline of § 28 PStG (a warning once it has passed) and the reporter's duty under § 29/§ 30 PStG."""
    notices = []
    deadline = death_notice.deadline_text(answers, sent_on=sent_on)
    if deadline is not None:
        text, late = deadline
        title = gettext("The notice is late") if late else gettext("Deadline for the notice")
        notices.append(Notice(key="deadline", title=title, text=text, warning=late))
    duty = death_notice.reporter_duty(answers)
    if duty is not None:
        notices.append(
            Notice(key="duty", title=gettext("Who must report the death"), text=death_notice.duty_text(duty))
        )
    purposes = death_notice.free_purposes(answers)
    if purposes:
        notices.append(
            Notice(
                key="certificates",
                title=gettext("Your free death certificates"),
                text=ngettext(
                    "Once the death is registered, the registry office posts you %(count)d free death certificate "
                    "(%(purposes)s). You get a separate reference number for it by email.",
                    "Once the death is registered, the registry office posts you %(count)d free death certificates "
                    "(%(purposes)s). You get a separate reference number for them by email.",
                    len(purposes),
                )
                % {
                    "count": len(purposes),
                    "purposes": ", ".join(death_notice.FREE_PURPOSES[purpose] for purpose in purposes),
                },
            )
        )
    return notices


@case_hooks.staff_panel
def death_notice_panel(*, case: Any, user: Any) -> CasePanel | None:
    """The deadline (late or not), the reporter's duty, the undertaker and the free certificates' order."""
    if case.service.slug != death_notice.SLUG:
        return None
    from django.utils import timezone

    from .selectors import death_notice_certificate_case

    answers = case.submission.answers or {}
    sent_on = timezone.localdate(case.submission.submitted_at)
    return CasePanel(
        template="civil_status/_death_notice_panel.html",
        context={
            "notices": death_notice_notices(answers, sent_on=sent_on),
            "deadline": death_notice.deadline_of(answers),
            "late": death_notice.is_late(answers, on=sent_on),
            "certificate_case": death_notice_certificate_case(case=case),
            "purposes": [death_notice.FREE_PURPOSES[p] for p in death_notice.free_purposes(answers)],
        },
    )


@case_hooks.on_status
def death_notice_certificates(*, case: Any, from_status: str, to_status: str, actor: Any) -> None:
    """When the Standesamt completes a death notice (the death is registered), the free certificates asked for
    enter the certificate fulfilment as an order of their own (``services.death_notice_certificates_order``)."""
    from amtsweg.cases.constants import CaseStatus

    if case.service.slug != death_notice.SLUG or to_status != CaseStatus.COMPLETED:
        return
    from .services import death_notice_certificates_order

    death_notice_certificates_order(case=case, actor=actor)
