"""GiroCheckout Payment Page ("Paypage"), the hosted page the Sparkassen offer municipalities.

The protocol, from GiroCheckout's public API documentation:

- Basics, hash, signed replies:   https://api.girocheckout.de/en:girocheckout:general:start
- Payment Page (init, notify, redirect):
                                  https://api.girocheckout.de/en:girocheckout:paypage:start
- Transaction status:             https://api.girocheckout.de/en:tools:transaction_status
- Error codes (``rc``):           https://api.girocheckout.de/en:girocheckout:errorcodes
- Result codes (``gcResultPayment``/``resultPayment``):
                                  https://api.girocheckout.de/en:girocheckout:resultcodes
- Notification answers (200/400/other), as documented for giropay and used by every method:
                                  https://api.girocheckout.de/en:girocheckout:giropay:functions

What those pages say and this module does:

- Every call is an HTTPS POST of form fields (UTF-8) to ``<base_url>/<endpoint>``; the reply is JSON.
- The request carries ``hash``: HMAC-MD5, keyed with the project secret, over the *values* of all
  sent fields concatenated without separators, in the order of the documentation's table
  (merchantId first, projectId second). Fields not sent are left out of the string.
- The reply carries a ``hash`` HTTP header: HMAC-MD5 of the raw reply body with the same secret.
  A reply whose header does not verify is not trusted (``ProviderUnavailable``).
- ``rc`` 0 is success; 5000-5099 are call errors (5000 authentication failed, 5002 invalid hash,
  5034 transaction does not exist, ...).
- ``POST paypage/init`` returns ``reference`` and ``url`` (where the buyer is sent).
- The notification (to ``notifyUrl``) and the browser redirect (to ``successUrl``/``failUrl``) carry
  ``gcPaymethod, gcType, gcProjectId, gcReference, gcMerchantTxId, gcBackendTxId, gcAmount,
  gcCurrency, gcResultPayment`` (+ optional method details) and ``gcHash`` over the values present,
  in that order.
- Result 4000 is a successful payment; 4502 "user aborted" and 4501 "timeout / no user input" are
  read as cancelled; every other result (4900 rejected, 4001-4505, 5xxx) as failed.
- The shop answers a notification with 200 (processed) or 400 (not processed, do not send again);
  any other status makes GiroCheckout repeat it (up to 10 times, every 30 minutes).

Assumptions (the public pages left these open, or could not be read in full):

- Field order of ``paypage/init`` for the fields we send (merchantId, projectId, merchantTxId,
  amount, currency, purpose, type, test, successUrl, backUrl, failUrl, notifyUrl) and of the
  paypage notification was taken from the documentation's tables as mirrored by GiroSolution's own
  PHP SDK (github.com/girosolution/girocheckout_sdk, ``GiroCheckout_SDK_PaypageTransaction``),
  because the current documentation page could only be read in parts. A documented notification
  field we do not know would make the hash fail (the notification is then rejected and logged).
- ``purpose`` is cut to 27 characters: the Paypage page says lengths differ per method and it trims
  itself, giropay's documented limit being 27.
- Refunds go to ``transaction/refund`` with the Paypage's reference and project (fields as
  documented for the credit-card refund: merchantId, projectId, merchantTxId, amount, currency,
  purpose, reference); each refund gets a fresh merchantTxId, as in the SDK's example.
- ``backUrl`` (our cancel URL) may bring the buyer back without any gc* parameters; we then ask
  the status API instead of guessing.
- ``gcReference`` in the Payment Page's notification and redirect is taken to be the reference
  returned by ``paypage/init`` (our ``provider_id``). The status documentation hints that a Payment
  Page can carry several payments with their own references (``txreference``); if GiroCheckout
  sends those, the service rejects the notification as a foreign id and reconciliation, which asks
  by the Payment Page's reference, settles the payment instead.
- ``transaction/status`` answering 5034 (no such transaction yet, e.g. no method chosen) is read as
  pending; result 4500 "unknown payment result" and PayPal's 4152/4154 (not completed) as pending.
- The documentation does not mark any ``rc`` as temporary; every non-zero ``rc`` is raised as
  ``GiroCheckoutError``, a ``ProviderUnavailable`` that carries the code.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import uuid
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import httpx

from ...base import (
    IncomingRequest,
    NotificationRejected,
    PaymentProvider,
    ProviderAnswer,
    ProviderUnavailable,
    ProviderUrls,
    RefundResult,
    StartResult,
)
from ...constants import TransactionStatus
from ...registry import register

if TYPE_CHECKING:
    from ...models import PaymentTransaction

DEFAULT_BASE_URL = "https://payment.girosolution.de/girocheckout/api/v2"
PURPOSE_MAX_LENGTH = 27

# Field orders as documented; the hash is computed over the values in exactly this order.
INIT_FIELDS = (
    "merchantId",
    "projectId",
    "merchantTxId",
    "amount",
    "currency",
    "purpose",
    "type",
    "test",
    "successUrl",
    "backUrl",
    "failUrl",
    "notifyUrl",
)
STATUS_FIELDS = ("merchantId", "projectId", "reference")
REFUND_FIELDS = ("merchantId", "projectId", "merchantTxId", "amount", "currency", "purpose", "reference")
NOTIFY_FIELDS = (
    "gcPaymethod",
    "gcType",
    "gcProjectId",
    "gcReference",
    "gcMerchantTxId",
    "gcBackendTxId",
    "gcAmount",
    "gcCurrency",
    "gcResultPayment",
    "gcPkn",
    "gcCardnumber",
    "gcCardExpDate",
    "gcAccountHolder",
    "gcIban",
)
NOTIFY_REQUIRED = (
    "gcPaymethod",
    "gcType",
    "gcProjectId",
    "gcReference",
    "gcMerchantTxId",
    "gcBackendTxId",
    "gcAmount",
    "gcCurrency",
    "gcResultPayment",
)
NOTIFY_HASH_FIELD = "gcHash"

RC_OK = 0
RC_TRANSACTION_DOES_NOT_EXIST = 5034
RESULT_PAID = 4000
RESULT_CANCELLED = frozenset({4501, 4502})  # timeout / no user input, user aborted
RESULT_PENDING = frozenset({4152, 4154, 4500})  # PayPal post-processing, PayPal not completed, unknown


class GiroCheckoutError(ProviderUnavailable):
    """GiroCheckout answered, signed, with an error code (``rc`` != 0) or a refused refund (``result``)."""

    def __init__(self, endpoint: str, rc: int, msg: str, result: int | None = None) -> None:
        detail = f"rc={rc} {msg}" if result is None else f"result={result} {msg}"
        super().__init__(f"GiroCheckout {endpoint}: {detail}".strip())
        self.endpoint = endpoint
        self.rc = rc
        self.msg = msg
        self.result = result


def hmac_md5(secret: str, message: str | bytes) -> str:
    """GiroCheckout's signature: hex HMAC-MD5 keyed with the project secret."""
    if isinstance(message, str):
        message = message.encode("utf-8")
    return hmac.new(secret.encode("utf-8"), message, hashlib.md5).hexdigest()


def sign_values(secret: str, values: Iterable[str]) -> str:
    """The ``hash`` of a call or ``gcHash`` of a notification: the values concatenated in documented order."""
    return hmac_md5(secret, "".join(values))


def status_from_result(code: Any) -> TransactionStatus:
    """Map a ``gcResultPayment``/``resultPayment`` to our status; no result yet means pending."""
    if code is None or str(code).strip() == "":
        return TransactionStatus.PENDING
    value = _as_int(code)
    if value is None:
        return TransactionStatus.FAILED
    if value == RESULT_PAID:
        return TransactionStatus.PAID
    if value in RESULT_CANCELLED:
        return TransactionStatus.CANCELLED
    if value in RESULT_PENDING:
        return TransactionStatus.PENDING
    return TransactionStatus.FAILED


@register("girocheckout")
class GiroCheckoutProvider(PaymentProvider):
    verbose_name = "GiroCheckout"

    # --- configuration ------------------------------------------------------

    @property
    def _base_url(self) -> str:
        return str(self.config.get("base_url") or DEFAULT_BASE_URL).rstrip("/")

    @property
    def _merchant_id(self) -> str:
        return str(self.config.get("merchant_id") or "").strip()

    @property
    def _project_id(self) -> str:
        return str(self.config.get("project_id") or "").strip()

    @property
    def _secret(self) -> str:
        return str(self.config.get("secret") or "")

    @property
    def _timeout(self) -> float:
        return float(self.config.get("timeout_seconds") or 10.0)

    def check_configuration(self, *, production: bool) -> list[str]:
        problems = []
        for key in ("merchant_id", "project_id", "secret"):
            if not str(self.config.get(key) or "").strip():
                problems.append(f"GiroCheckout: {key} is not set.")
        if production:
            if not self._base_url.startswith("https://"):
                problems.append("GiroCheckout: base_url must use https in production.")
            if self.config.get("test_mode"):
                problems.append("GiroCheckout: test_mode is on; no real money would be collected.")
        return problems

    # --- the API calls -------------------------------------------------------

    def _call(self, endpoint: str, fields: list[tuple[str, str]]) -> dict[str, Any]:
        """POST signed form fields; return the verified JSON reply. Raises ProviderUnavailable."""
        payload = dict(fields)
        payload["hash"] = sign_values(self._secret, (value for _, value in fields))
        try:
            response = httpx.post(f"{self._base_url}/{endpoint}", data=payload, timeout=self._timeout)
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            raise ProviderUnavailable(f"GiroCheckout {endpoint}: {exc.__class__.__name__}: {exc}") from exc
        if response.status_code != 200:
            raise ProviderUnavailable(f"GiroCheckout {endpoint}: HTTP {response.status_code}")
        body = response.content
        received = response.headers.get("hash", "").strip().lower()
        if not received or not _same(received, hmac_md5(self._secret, body)):
            raise ProviderUnavailable(
                f"GiroCheckout {endpoint}: the reply's hash does not verify{_claimed_rc(body)}; check the secret"
            )
        try:
            data = json.loads(body)
            rc = int(data["rc"])
        except (ValueError, KeyError, TypeError) as exc:
            raise ProviderUnavailable(f"GiroCheckout {endpoint}: unreadable reply") from exc
        if not isinstance(data, dict):
            raise ProviderUnavailable(f"GiroCheckout {endpoint}: unreadable reply")
        if rc != RC_OK:
            raise GiroCheckoutError(endpoint, rc, str(data.get("msg") or ""))
        return data

    def start(self, *, transaction: PaymentTransaction, method: str, purpose: str, urls: ProviderUrls) -> StartResult:
        values = {
            "merchantId": self._merchant_id,
            "projectId": self._project_id,
            "merchantTxId": str(transaction.uuid),
            "amount": str(int(transaction.amount_cents)),
            "currency": transaction.payment.currency,
            "purpose": purpose.strip()[:PURPOSE_MAX_LENGTH],
            "type": "SALE",
            "test": "1" if self.config.get("test_mode") else "0",
            # Both outcomes come back to our return view, which reads the signed result;
            # backUrl is the page's "back to the shop" link.
            "successUrl": urls.return_url,
            "backUrl": urls.cancel_url,
            "failUrl": urls.return_url,
            "notifyUrl": urls.notify_url,
        }
        data = self._call("paypage/init", [(name, values[name]) for name in INIT_FIELDS])
        reference, url = str(data.get("reference") or ""), str(data.get("url") or "")
        if not reference or not url:
            raise ProviderUnavailable("GiroCheckout paypage/init: reply without reference or url")
        return StartResult(provider_id=reference, redirect_url=url)

    def query_status(self, *, transaction: PaymentTransaction) -> ProviderAnswer:
        ours = str(transaction.uuid)
        if not transaction.provider_id:
            return ProviderAnswer(merchant_reference=ours, status=TransactionStatus.PENDING)
        fields = [
            ("merchantId", self._merchant_id),
            ("projectId", self._project_id),
            ("reference", transaction.provider_id),
        ]
        try:
            data = self._call("transaction/status", fields)
        except GiroCheckoutError as exc:
            if exc.rc != RC_TRANSACTION_DOES_NOT_EXIST:
                raise
            return ProviderAnswer(
                merchant_reference=ours,
                status=TransactionStatus.PENDING,
                provider_id=transaction.provider_id,
                raw={"rc": exc.rc, "msg": exc.msg},
            )
        return ProviderAnswer(
            merchant_reference=str(data.get("merchantTxId") or ours),
            status=status_from_result(data.get("resultPayment")),
            # The reference we asked about: for a Payment Page the reply's own reference may name the
            # payment made through it (see ``txreference`` in the status documentation); it stays in raw.
            provider_id=transaction.provider_id,
            amount_cents=_as_int(data.get("amount")),
            currency=str(data["currency"]) if data.get("currency") else None,
            raw=data,
        )

    def refund(self, *, transaction: PaymentTransaction, amount_cents: int, reason: str) -> RefundResult:
        if amount_cents <= 0 or amount_cents > transaction.amount_cents:
            raise ValueError("a refund is more than nothing and at most the amount paid")
        values = {
            "merchantId": self._merchant_id,
            "projectId": self._project_id,
            "merchantTxId": uuid.uuid4().hex,
            "amount": str(int(amount_cents)),
            "currency": transaction.payment.currency,
            "purpose": (reason.strip() or "Erstattung")[:PURPOSE_MAX_LENGTH],
            "reference": transaction.provider_id,
        }
        data = self._call("transaction/refund", [(name, values[name]) for name in REFUND_FIELDS])
        status = status_from_result(data.get("resultPayment"))
        if status in (TransactionStatus.FAILED, TransactionStatus.CANCELLED):
            result = _as_int(data.get("resultPayment"))
            raise GiroCheckoutError("transaction/refund", RC_OK, "refund refused", result=result)
        return RefundResult(
            provider_refund_id=str(data.get("reference") or ""), completed=status == TransactionStatus.PAID
        )

    # --- what comes back ----------------------------------------------------------

    def _read_signed(self, params: Mapping[str, str]) -> ProviderAnswer:
        """Verify ``gcHash`` over the documented gc* fields and read them. Raises NotificationRejected."""
        received = str(params.get(NOTIFY_HASH_FIELD) or "").strip().lower()
        if not received:
            raise NotificationRejected("GiroCheckout: gcHash is missing")
        missing = [name for name in NOTIFY_REQUIRED if name not in params]
        if missing:
            raise NotificationRejected(f"GiroCheckout: missing {', '.join(missing)}")
        if not self._secret:
            raise NotificationRejected("GiroCheckout: no secret configured to verify with")
        values = (str(params[name]) for name in NOTIFY_FIELDS if name in params)
        if not _same(received, sign_values(self._secret, values)):
            raise NotificationRejected("GiroCheckout: gcHash does not verify")
        try:
            amount = int(params["gcAmount"])
        except ValueError as exc:
            raise NotificationRejected("GiroCheckout: gcAmount is not a number") from exc
        return ProviderAnswer(
            merchant_reference=str(params["gcMerchantTxId"]),
            status=status_from_result(params["gcResultPayment"]),
            provider_id=str(params["gcReference"]),
            amount_cents=amount,
            currency=str(params["gcCurrency"]),
            raw=dict(params),
        )

    def handle_notification(self, *, request: IncomingRequest) -> ProviderAnswer:
        return self._read_signed(request.params)

    def notification_ack(self, *, accepted: bool) -> tuple[int, str]:
        # 200: processed. 400: not processed and not to be sent again (a notification that fails
        # verification will not verify on a retry either). Anything else makes GiroCheckout retry.
        return (200, "OK") if accepted else (400, "Bad Request")

    def handle_return(self, *, transaction: PaymentTransaction, request: IncomingRequest) -> ProviderAnswer:
        params = request.params
        if not any(name.startswith("gc") for name in params):
            # The page's back link (backUrl) carries no result: ask GiroCheckout what happened.
            return self.query_status(transaction=transaction)
        answer = self._read_signed(params)
        if answer.merchant_reference != str(transaction.uuid):
            raise NotificationRejected("GiroCheckout: the return is about another transaction")
        if answer.status != TransactionStatus.PAID:
            return answer
        # A signed "paid" in the browser's address bar is still only the browser's word: confirm.
        return self.query_status(transaction=transaction)


def _same(received: str, expected: str) -> bool:
    """Constant-time comparison; bytes, because compare_digest refuses non-ASCII str (sent by anyone)."""
    return hmac.compare_digest(received.encode("utf-8"), expected.encode("utf-8"))


def _as_int(value: Any) -> int | None:
    try:
        return int(str(value).strip())
    except ValueError:
        return None


def _claimed_rc(body: bytes) -> str:
    """For the log only: the rc an unverified reply claims (a wrong secret shows as 5002 there)."""
    try:
        data = json.loads(body)
        return f" (unverified, it claims rc={int(data['rc'])}: {data.get('msg', '')})"
    except (ValueError, KeyError, TypeError):
        return ""
