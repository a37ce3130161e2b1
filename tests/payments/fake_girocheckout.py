"""A fake GiroCheckout that speaks the Payment Page protocol over real HTTP, for tests.

It is written from GiroCheckout's documentation (the sources are listed in
``amtsweg.payments.contrib.girocheckout.plugin``), not from the plugin: field orders are
spelled out here again, so a plugin that signs in the wrong order is refused with rc 5002,
as the real service would.

What it does:

- ``POST <api_url>/paypage/init``, ``/transaction/status``, ``/transaction/refund``: checks
  merchantId/projectId (5000), mandatory fields (5003) and the request ``hash`` (5002), keeps its
  own books, answers JSON signed with a ``hash`` header.
- ``GET <url>/pay/<reference>``: the pay page, a form with "Bezahlen", "Abbrechen", "Fehlschlag".
  ``POST`` there (or ``fake.pay(...)``) books the outcome, sends the signed notification to the
  ``notifyUrl`` (unless withheld) and redirects: success to ``successUrl`` and failure to ``failUrl``
  with signed gc* parameters; cancel to ``backUrl`` without parameters (the back link).
- ``<url>/shop/notify``: a stand-in for our notification endpoint that records what it receives
  (``fake.sink_received``) and answers ``fake.sink_status``.
- ``fake.down = True`` answers 503 everywhere; ``fake.stop()`` closes the port;
  ``fake.bad_response_hash = True`` signs replies wrongly; ``fake.delay_seconds`` delays API replies.
"""

from __future__ import annotations

import hashlib
import hmac
import html
import json
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import httpx

from tests.fakes.server import FakeServer

API_PREFIX = "/girocheckout/api/v2"

# The documented parameter tables, in order (Payment Page init including the optional fields).
INIT_ORDER = (
    "merchantId",
    "projectId",
    "merchantTxId",
    "amount",
    "currency",
    "purpose",
    "description",
    "pagetype",
    "expirydate",
    "single",
    "type",
    "locale",
    "paymethods",
    "payprojects",
    "organization",
    "freeamount",
    "fixedvalues",
    "minamount",
    "maxamount",
    "orderid",
    "projectlist",
    "pkn",
    "test",
    "successUrl",
    "backUrl",
    "failUrl",
    "notifyUrl",
)
INIT_REQUIRED = ("merchantId", "projectId", "merchantTxId", "amount", "currency", "purpose", "test")
STATUS_ORDER = ("merchantId", "projectId", "reference", "txreference")
STATUS_REQUIRED = ("merchantId", "projectId", "reference")
REFUND_ORDER = ("merchantId", "projectId", "merchantTxId", "amount", "currency", "purpose", "reference")
REFUND_REQUIRED = ("merchantId", "projectId", "merchantTxId", "amount", "currency", "reference")

RESULTS = {"success": 4000, "cancel": 4502, "fail": 4900}
PAYMETHOD_CREDIT_CARD = "11"


def hmac_md5(secret: str, message: str | bytes) -> str:
    if isinstance(message, str):
        message = message.encode("utf-8")
    return hmac.new(secret.encode("utf-8"), message, hashlib.md5).hexdigest()


def with_query(url: str, params: dict[str, str]) -> str:
    if not params:
        return url
    return url + ("&" if urlsplit(url).query else "?") + urlencode(params)


class CallRefused(Exception):
    def __init__(self, rc: int, msg: str) -> None:
        super().__init__(f"{rc} {msg}")
        self.rc = rc
        self.msg = msg


@dataclass
class FakeTransaction:
    reference: str
    merchant_tx_id: str
    amount: int
    currency: str
    purpose: str
    type: str
    test: str
    success_url: str
    back_url: str
    fail_url: str
    notify_url: str
    result: int | None = None  # gcResultPayment once the buyer is done
    backend_tx_id: str = ""
    refunded: int = 0
    refunds: list[dict[str, Any]] = field(default_factory=list)


class FakeGiroCheckout(FakeServer):
    name = "fake-girocheckout"

    def __init__(self, *, merchant_id: str, project_id: str, secret: str):
        super().__init__()
        self.merchant_id = merchant_id
        self.project_id = project_id
        self.secret = secret
        self.transactions: dict[str, FakeTransaction] = {}
        self.calls: list[dict[str, Any]] = []  # every API call: endpoint, params, rc
        self.notifications_sent: list[dict[str, Any]] = []  # url, params, status (None: not reachable)
        self.sink_received: list[dict[str, str]] = []
        self.sink_status = 200
        self.down = False
        self.bad_response_hash = False
        self.delay_seconds = 0.0  # before answering an API call, to provoke timeouts
        self._lock = threading.Lock()

    # --- life cycle ---------------------------------------------------------

    def handler_class(self) -> type[BaseHTTPRequestHandler]:
        return _handler_for(self)

    @property
    def api_url(self) -> str:
        return self.url + API_PREFIX

    @property
    def sink_url(self) -> str:
        return self.url + "/shop/notify"

    # --- what a test does as the buyer ----------------------------------------------

    def pay(self, reference: str, outcome: str = "success", *, notify: bool = True) -> str:
        """The buyer finishes on the pay page; returns where the browser is redirected to."""
        if outcome not in RESULTS:
            raise ValueError(f"outcome is one of {sorted(RESULTS)}")
        with self._lock:
            tx = self.transactions[reference]
            if tx.result is not None:
                raise ValueError(f"{reference} is already finished with {tx.result}")
            tx.result = RESULTS[outcome]
            if outcome == "success":
                tx.backend_tx_id = uuid.uuid4().hex[:16]
        if notify:
            self.notify(reference)
        if outcome == "cancel":
            return tx.back_url
        return with_query(tx.success_url if outcome == "success" else tx.fail_url, self.signed_params(reference))

    def signed_params(self, reference: str, result: int | None = None) -> dict[str, str]:
        """The gc* parameters of a notification or redirect, signed; ``result`` overrides the books."""
        tx = self.transactions[reference]
        result = tx.result if result is None else result
        params = {
            "gcPaymethod": PAYMETHOD_CREDIT_CARD,
            "gcType": tx.type or "SALE",
            "gcProjectId": self.project_id,
            "gcReference": tx.reference,
            "gcMerchantTxId": tx.merchant_tx_id,
            "gcBackendTxId": tx.backend_tx_id,
            "gcAmount": str(tx.amount),
            "gcCurrency": tx.currency,
            "gcResultPayment": "" if result is None else str(result),
        }
        params["gcHash"] = hmac_md5(self.secret, "".join(params.values()))
        return params

    def notify(self, reference: str) -> int | None:
        """Send (or send again, as GiroCheckout retries) the notification; returns the HTTP status."""
        tx = self.transactions[reference]
        params = self.signed_params(reference)
        try:
            status: int | None = httpx.get(tx.notify_url, params=params, timeout=5).status_code
        except httpx.HTTPError:
            status = None
        self.notifications_sent.append({"url": tx.notify_url, "params": params, "status": status})
        return status

    # --- the API ------------------------------------------------------------

    def _check(self, params: dict[str, str], order: tuple[str, ...], required: tuple[str, ...]) -> None:
        if params.get("merchantId") != self.merchant_id or params.get("projectId") != self.project_id:
            raise CallRefused(5000, "authentication failed")
        missing = [name for name in required if not params.get(name)]
        if missing:
            raise CallRefused(5003, f"mandatory field not specified: {', '.join(missing)}")
        expected = hmac_md5(self.secret, "".join(params[name] for name in order if name in params))
        if not hmac.compare_digest(params.get("hash", ""), expected):
            raise CallRefused(5002, "invalid hash")

    def _init(self, params: dict[str, str]) -> dict[str, Any]:
        self._check(params, INIT_ORDER, INIT_REQUIRED)
        if not params["amount"].isdigit() or int(params["amount"]) <= 0:
            raise CallRefused(5030, "invalid amount")
        if len(params["purpose"]) > 27:
            raise CallRefused(5023, "invalid purpose")
        reference = str(uuid.uuid4())
        with self._lock:
            self.transactions[reference] = FakeTransaction(
                reference=reference,
                merchant_tx_id=params["merchantTxId"],
                amount=int(params["amount"]),
                currency=params["currency"],
                purpose=params["purpose"],
                type=params.get("type", "SALE"),
                test=params["test"],
                success_url=params.get("successUrl", ""),
                back_url=params.get("backUrl", ""),
                fail_url=params.get("failUrl", ""),
                notify_url=params.get("notifyUrl", ""),
            )
        return {"rc": 0, "msg": "", "reference": reference, "url": f"{self.url}/pay/{reference}"}

    def _status(self, params: dict[str, str]) -> dict[str, Any]:
        self._check(params, STATUS_ORDER, STATUS_REQUIRED)
        tx = self.transactions.get(params["reference"])
        if tx is None:
            raise CallRefused(5034, "transaction does not exist")
        reply: dict[str, Any] = {
            "rc": 0,
            "msg": "",
            "reference": tx.reference,
            "merchantTxId": tx.merchant_tx_id,
            "backendTxId": tx.backend_tx_id,
            "amount": tx.amount,
            "currency": tx.currency,
        }
        if tx.result is not None:
            reply["resultPayment"] = tx.result
        return reply

    def _refund(self, params: dict[str, str]) -> dict[str, Any]:
        self._check(params, REFUND_ORDER, REFUND_REQUIRED)
        with self._lock:
            tx = self.transactions.get(params["reference"])
            if tx is None:
                raise CallRefused(5034, "transaction does not exist")
            if tx.result != 4000:
                raise CallRefused(5004, "invalid call: transaction not paid")
            amount = int(params["amount"]) if params["amount"].isdigit() else 0
            if amount <= 0 or tx.refunded + amount > tx.amount:
                raise CallRefused(5030, "invalid amount")
            tx.refunded += amount
            refund = {
                "reference": str(uuid.uuid4()),
                "merchantTxId": params["merchantTxId"],
                "amount": amount,
                "purpose": params.get("purpose", ""),
            }
            tx.refunds.append(refund)
        return {
            "rc": 0,
            "msg": "",
            "reference": refund["reference"],
            "referenceParent": tx.reference,
            "merchantTxId": params["merchantTxId"],
            "backendTxId": uuid.uuid4().hex[:16],
            "amount": amount,
            "currency": tx.currency,
            "resultPayment": 4000,
        }

    def api(self, endpoint: str, params: dict[str, str]) -> dict[str, Any]:
        handlers = {"paypage/init": self._init, "transaction/status": self._status, "transaction/refund": self._refund}
        try:
            reply = handlers[endpoint](params)
        except CallRefused as refused:
            reply = {"rc": refused.rc, "msg": refused.msg}
        self.calls.append({"endpoint": endpoint, "params": params, "rc": reply["rc"]})
        return reply

    def pay_page(self, reference: str) -> str:
        tx = self.transactions[reference]
        amount = f"{tx.amount // 100},{tx.amount % 100:02d} {html.escape(tx.currency)}"
        return (
            "<!doctype html><html lang='de'><head><meta charset='utf-8'><title>GiroCheckout (Test)</title></head>"
            f"<body><h1>Bezahlen</h1><p>{html.escape(tx.purpose)}: {amount}</p>"
            f"<form method='post' action='/pay/{html.escape(reference)}'>"
            "<label><input type='checkbox' name='notify' value='1' checked> Benachrichtigung senden</label>"
            "<button name='outcome' value='success'>Bezahlen</button>"
            "<button name='outcome' value='cancel'>Abbrechen</button>"
            "<button name='outcome' value='fail'>Fehlschlag</button>"
            "</form></body></html>"
        )


def _handler_for(fake: FakeGiroCheckout) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _form(self) -> dict[str, str]:
            length = int(self.headers.get("Content-Length") or 0)
            return dict(parse_qsl(self.rfile.read(length).decode("utf-8"), keep_blank_values=True))

        def _send(self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def _unavailable(self) -> None:
            self._send(503, b"Service Unavailable", "text/plain")

        def do_GET(self) -> None:
            path, _, query = self.path.partition("?")
            if path == "/shop/notify":
                return self._sink(dict(parse_qsl(query, keep_blank_values=True)))
            if fake.down:
                return self._unavailable()
            if path.startswith("/pay/") and path[5:] in fake.transactions:
                return self._send(200, fake.pay_page(path[5:]).encode(), "text/html; charset=utf-8")
            self._send(404, b"Not Found", "text/plain")

        def do_POST(self) -> None:
            path = self.path.partition("?")[0]
            form = self._form()
            if path == "/shop/notify":
                return self._sink(form)
            if fake.down:
                return self._unavailable()
            if path.startswith(API_PREFIX + "/"):
                time.sleep(fake.delay_seconds)
                endpoint = path[len(API_PREFIX) + 1 :]
                if endpoint not in ("paypage/init", "transaction/status", "transaction/refund"):
                    return self._send(404, b"Not Found", "text/plain")
                body = json.dumps(fake.api(endpoint, form)).encode()
                signature = hmac_md5(fake.secret, body)
                if fake.bad_response_hash:
                    signature = hmac_md5("not-" + fake.secret, body)
                return self._send(200, body, "application/json", {"hash": signature})
            if path.startswith("/pay/") and path[5:] in fake.transactions:
                try:
                    location = fake.pay(path[5:], form.get("outcome", ""), notify=form.get("notify") == "1")
                except ValueError as exc:
                    return self._send(409, str(exc).encode(), "text/plain")
                return self._send(302, b"", "text/plain", {"Location": location})
            self._send(404, b"Not Found", "text/plain")

        def _sink(self, params: dict[str, str]) -> None:
            fake.sink_received.append(params)
            self._send(fake.sink_status, b"", "text/plain")

    return Handler
