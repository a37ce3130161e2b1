"""The citizen's side of paying: choose a method, go to the provider, come back; and the provider's notifications."""

from __future__ import annotations

from django.conf import settings
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from amtsweg.applications.access import status_access_has
from amtsweg.applications.after_sending import redirect_after_sending
from amtsweg.core.trustgate import public

from . import selectors, services
from .base import IncomingRequest, ProviderUrls
from .constants import PAYABLE, PaymentStatus

MAX_NOTIFICATION_BYTES = 64 * 1024


def _notify_path(provider: str) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return reverse("payments:notify", args=[provider])


def _urls_for(request: HttpRequest):  # type: ignore[no-untyped-def]
    def build(tx) -> ProviderUrls:  # type: ignore[no-untyped-def]
        payment_uuid = tx.payment.uuid
        return ProviderUrls(
            return_url=request.build_absolute_uri(reverse("payments:return", args=[payment_uuid, tx.uuid])),
            cancel_url=request.build_absolute_uri(reverse("payments:cancelled", args=[payment_uuid, tx.uuid])),
            notify_url=request.build_absolute_uri(_notify_path(tx.provider)),
        )

    return build


@public
@never_cache
@require_http_methods(["GET", "POST"])
def pay(request: HttpRequest, uuid: str) -> HttpResponse:
    """Show what is owed and send the citizen to the provider ("Bezahlen")."""
    payment = selectors.payment_for_citizen(session=request.session, uuid=uuid)
    if payment.status in (PaymentStatus.PAID, PaymentStatus.REFUNDED, PaymentStatus.PARTLY_REFUNDED):
        return redirect("applications:confirmation", uuid=payment.submission.uuid)
    methods = selectors.payment_methods()
    error = ""
    if request.method == "POST" and payment.status in PAYABLE | {PaymentStatus.PENDING}:
        method = request.POST.get("method", "")
        if methods and method not in {m.code for m in methods}:
            error = _("Choose how you want to pay")
        else:
            tx = services.payment_start(
                payment=payment,
                method=method,
                urls_for=_urls_for(request),
                purpose=f"{payment.submission.reference} {payment.submission.service.name}"[:200],
            )
            return redirect(tx.redirect_url)
    return render(
        request,
        "payments/pay.html",
        {
            "payment": payment,
            "submission": payment.submission,
            "service": payment.submission.service,
            "lines": selectors.payment_lines(payment=payment),
            "methods": methods,
            "error": error,
            "chosen": request.POST.get("method", ""),
            "payable": payment.status in PAYABLE | {PaymentStatus.PENDING},
        },
        status=400 if error else 200,
    )


def _incoming(request: HttpRequest) -> IncomingRequest:
    params = {**request.GET.dict(), **(request.POST.dict() if request.method == "POST" else {})}
    body = request.body[:MAX_NOTIFICATION_BYTES] if request.method == "POST" else b""
    return IncomingRequest(method=request.method or "GET", params=params, body=body, headers=dict(request.headers))


@public
@never_cache
def provider_return(request: HttpRequest, uuid: str, tx_uuid: str) -> HttpResponse:
    """The browser comes back from the provider: confirm with the provider, then say how it went."""
    tx = selectors.transaction_for_return(payment_uuid=uuid, tx_uuid=tx_uuid)
    outcome = services.payment_return_handle(tx=tx, request=_incoming(request))
    # The payment as the answer left it: read under its lock if the answer changed it, else as read with
    # the transaction just now (a repeated answer, e.g. "paid" after the notification). Only a refused
    # answer reads it again.
    payment = outcome.payment
    if payment is None:
        payment = selectors.payment_refreshed(pk=tx.payment_id)
    elif payment is not tx.payment:
        payment.submission = tx.payment.submission
    allowed = status_access_has(session=request.session, submission_uuid=payment.submission.uuid)
    if payment.status == PaymentStatus.PAID and allowed:
        return redirect_after_sending(request, payment.submission)
    return render(
        request,
        "payments/result.html",
        {"payment": payment, "submission": payment.submission if allowed else None, "allowed": allowed},
    )


@public
@csrf_exempt
@require_http_methods(["GET", "POST"])
def notify(request: HttpRequest, provider: str) -> HttpResponse:
    """Server-to-server notification from a provider. Verified by the plugin; answered as the provider expects."""
    if int(request.headers.get("Content-Length") or 0) > MAX_NOTIFICATION_BYTES:
        return HttpResponse("too large", status=413, content_type="text/plain")
    status, body = services.payment_notification_handle(provider=provider[:40], request=_incoming(request))
    return HttpResponse(body, status=status, content_type="text/plain")


@public
def receipt(request: HttpRequest, uuid: str) -> HttpResponse | FileResponse:
    from .receipts import payment_receipt_store

    payment = selectors.payment_for_citizen(session=request.session, uuid=uuid)
    if payment.status not in (PaymentStatus.PAID, PaymentStatus.REFUNDED, PaymentStatus.PARTLY_REFUNDED):
        return render(request, "payments/result.html", {"payment": payment, "allowed": True}, status=404)
    from amtsweg.documents.storage import private_file_path

    name = payment_receipt_store(payment=payment)
    return FileResponse(
        private_file_path(name).open("rb"),
        content_type="application/pdf",
        as_attachment=True,
        filename=f"quittung-{payment.kassenzeichen}.pdf",
    )
