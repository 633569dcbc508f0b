"""A Stripe double for tests: a small Stripe-compatible server on 127.0.0.1, and webhook helpers.

Why it exists: Stripe's API cannot be reached from the machines the tests run on, and the usual
offline stand-ins do not fit. localstripe has no Checkout Sessions (nor Prices, nor idempotency)
and stripe-mock is a Go program (no Go toolchain here) that forgets every call. So the test-suite
runs the *real* ``stripe`` library against this server::

    with StripeDouble() as stripe_api:
        client = stripe.StripeClient("sk_test_x", base_addresses={"api": stripe_api.url})

Its answers have the fields and nesting of Stripe's own sample objects (``resources[...]`` in
Stripe's openapi ``fixtures3.json``), with the values that matter filled in from the request. It
keeps sessions and refunds in memory, replays idempotency keys as Stripe does, and refuses what
our checkout must never send: a price not taken from the catalogue (a Price id, an amount outside
``line_items[i][price_data][unit_amount]``), a currency other than MAD, a relative URL, an
``expires_at`` outside 30 minutes–24 hours, a locale Stripe lacks (it has no Arabic), a POST
without an Idempotency-Key. Errors are Stripe's JSON error objects, so the library raises its own
exception classes.

Webhooks are not delivered: build an event with ``event_payload`` and sign it with ``signed``
(the library's own signing code), then POST both to the service under test.
"""

from __future__ import annotations

import copy
import json
import re
import secrets
import string
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, cast
from urllib.parse import parse_qsl, urlsplit

import stripe
from stripe.params import RefundCreateParams
from stripe.params.checkout import (
    SessionCreateParams,
    SessionCreateParamsLineItem,
    SessionCreateParamsLineItemPriceData,
    SessionCreateParamsLineItemPriceDataProductData,
)

CHECKOUT_HOST = "https://checkout.stripe.test"
CURRENCY = "mad"
MIN_LIFETIME, MAX_LIFETIME = 30 * 60, 24 * 60 * 60  # Stripe's bounds for expires_at - now

# Parameter names Stripe accepts, read from the library's own request types (minus the request
# options such as api_key, which travel as headers), so a misspelt parameter fails as on Stripe.
_OPTIONS = frozenset(stripe.RequestOptions.__annotations__)
_SESSION_KEYS = frozenset(SessionCreateParams.__annotations__) - _OPTIONS
_LINE_ITEM_KEYS = frozenset(SessionCreateParamsLineItem.__annotations__)
_PRICE_DATA_KEYS = frozenset(SessionCreateParamsLineItemPriceData.__annotations__)
_PRODUCT_DATA_KEYS = frozenset(SessionCreateParamsLineItemPriceDataProductData.__annotations__)
_REFUND_KEYS = frozenset(RefundCreateParams.__annotations__) - _OPTIONS
# Checkout's page languages: the Literal of SessionCreateParams.locale, which the library keeps as
# text ("auto", "fr", "en", "es", "de", "it", "nl", "pt", ... in 16.1.0; no Arabic).
LOCALES = frozenset(re.findall(r"'([\w-]+)'", str(SessionCreateParams.__annotations__["locale"])))

# The keys of resources["checkout.session"], resources["refund"] and resources["item"] in
# fixtures3.json, in its order. Sample values that would mislead a test (a random shipping cost,
# a foreign currency conversion, a customer on an open session) are null or neutral here; the
# rest is filled from the request.
_SESSION: dict[str, Any] = {
    "after_expiration": None,
    "allow_promotion_codes": None,
    "amount_subtotal": None,
    "amount_total": None,
    "automatic_tax": {"enabled": False, "liability": None, "status": None, "provider": None},
    "billing_address_collection": None,
    "cancel_url": None,
    "client_reference_id": None,
    "client_secret": None,
    "consent": None,
    "consent_collection": None,
    "created": None,
    "currency": CURRENCY,
    "custom_fields": [],
    "custom_text": {
        "after_submit": None,
        "shipping_address": None,
        "submit": None,
        "terms_of_service_acceptance": None,
    },
    "customer": None,
    "customer_creation": "if_required",
    "customer_details": None,
    "customer_email": None,
    "expires_at": None,
    "id": None,
    "invoice": None,
    "invoice_creation": {
        "enabled": False,
        "invoice_data": {
            "account_tax_ids": None,
            "custom_fields": None,
            "description": None,
            "footer": None,
            "issuer": None,
            "metadata": {},
            "rendering_options": None,
        },
    },
    "livemode": False,
    "locale": None,
    "metadata": {},
    "mode": "payment",
    "object": "checkout.session",
    "payment_intent": None,
    "payment_link": None,
    "payment_method_collection": "if_required",
    "payment_method_configuration_details": None,
    "payment_method_options": {},
    "payment_method_types": ["card"],
    "payment_status": "unpaid",
    "phone_number_collection": {"enabled": False},
    "recovered_from": None,
    "saved_payment_method_options": None,
    "setup_intent": None,
    "shipping_address_collection": None,
    "shipping_cost": None,
    "shipping_options": [],
    "status": "open",
    "submit_type": None,
    "subscription": None,
    "success_url": None,
    "total_details": {"amount_discount": 0, "amount_shipping": 0, "amount_tax": 0},
    "ui_mode": "hosted_page",
    "url": None,
    "adaptive_pricing": {"enabled": False},
    "discounts": [],
    "collected_information": None,
    "permissions": None,
    "wallet_options": None,
    "origin_context": None,
    "currency_conversion": None,
    "customer_account": None,
    "integration_identifier": None,
    "managed_payments": {"enabled": False},
}
_CUSTOMER_DETAILS: dict[str, Any] = {
    "address": {
        "city": None,
        "country": None,
        "line1": None,
        "line2": None,
        "postal_code": None,
        "state": None,
    },
    "email": None,
    "name": None,
    "phone": None,
    "tax_exempt": "none",
    "tax_ids": [],
    "business_name": None,
    "individual_name": None,
}
_REFUND: dict[str, Any] = {
    "amount": None,
    "balance_transaction": None,
    "charge": None,
    "created": None,
    "currency": CURRENCY,
    "destination_details": {"card": {"type": "refund"}, "type": "card"},
    "id": None,
    "metadata": {},
    "object": "refund",
    "payment_intent": None,
    "reason": None,
    "receipt_number": None,
    "source_transfer_reversal": None,
    "status": "succeeded",
    "transfer_reversal": None,
    "customer": None,
    "customer_account": None,
    "payment_method": None,
}


def _line_item(created: int, quantity: int, price_data: dict[str, Any]) -> dict[str, Any]:
    """A Checkout line item (resources["item"]) with the inline Price Stripe makes for it."""
    unit_amount = int(price_data["unit_amount"])
    return {
        "amount_discount": 0,
        "amount_subtotal": quantity * unit_amount,
        "amount_tax": 0,
        "amount_total": quantity * unit_amount,
        "currency": CURRENCY,
        "description": price_data["product_data"]["name"],
        "id": new_id("li_test_"),
        "object": "item",
        "price": {
            "active": False,
            "billing_scheme": "per_unit",
            "created": created,
            "currency": CURRENCY,
            "custom_unit_amount": None,
            "id": new_id("price_test_"),
            "livemode": False,
            "lookup_key": None,
            "metadata": {},
            "nickname": None,
            "object": "price",
            "product": new_id("prod_test_"),
            "recurring": None,
            "tax_behavior": price_data.get("tax_behavior", "unspecified"),
            "tiers_mode": None,
            "transform_quantity": None,
            "type": "one_time",
            "unit_amount": unit_amount,
            "unit_amount_decimal": str(unit_amount),
        },
        "quantity": quantity,
        "metadata": {},
        "adjustable_quantity": None,
    }


def new_id(prefix: str) -> str:
    """A Stripe-looking id: ``prefix`` and 24 random letters and digits."""
    alphabet = string.ascii_letters + string.digits
    return prefix + "".join(secrets.choice(alphabet) for _ in range(24))


# --- Stripe's form encoding, decoded ---------------------------------------------------------

_NAME = re.compile(r"([^\[\]]+)((?:\[[^\[\]]*\])*)")
_INDEX = re.compile(r"\[([^\[\]]*)\]")


def decode_form(text: str) -> dict[str, Any]:
    """Undo the library's encoding (``stripe._encode._api_encode``): ``a[b][0][c]=1`` gives
    ``{"a": {"b": [{"c": "1"}]}}``. Lists are sent with explicit indexes (``expand[]`` also
    works); leaves stay strings, as on the wire (``true``/``false`` for booleans)."""
    root: dict[str, Any] = {}
    for name, value in parse_qsl(text, keep_blank_values=True, strict_parsing=bool(text)):
        match = _NAME.fullmatch(name)
        if match is None:
            raise ValueError(f"malformed parameter name {name!r}")
        *parents, leaf = [match[1], *_INDEX.findall(match[2])]
        node = root
        for part in parents:
            node = node.setdefault(part, {})
            if not isinstance(node, dict) or part == "":
                raise ValueError(f"parameter {name!r} conflicts with another")
        if isinstance(node.get(leaf), dict):
            raise ValueError(f"parameter {name!r} conflicts with another")
        node[leaf if leaf else str(len(node))] = value
    return cast(dict[str, Any], _lists(root))


def _lists(node: Any, name: str = "") -> Any:
    """Turn every dict keyed "0".."n-1" into a list (but not metadata, whose keys are free)."""
    if not isinstance(node, dict):
        return node
    node = {key: _lists(value, key) for key, value in node.items()}
    if node and name != "metadata" and set(node) == {str(i) for i in range(len(node))}:
        return [node[str(i)] for i in range(len(node))]
    return node


# --- The server ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RecordedRequest:
    """One request the double received. ``params`` is the decoded form body of a POST or the
    query of a GET; ``headers`` looks names up case-insensitively (``headers["Authorization"]``)."""

    method: str
    path: str
    params: dict[str, Any]
    headers: Message
    body: str

    @property
    def idempotency_key(self) -> str | None:
        return self.headers.get("Idempotency-Key")


class _Refused(Exception):
    """Refused, answered in Stripe's shape: ``{"error": {"type", "message", "param", "code"}}``."""

    def __init__(
        self,
        message: str,
        param: str | None = None,
        *,
        status: int = 400,
        type: str = "invalid_request_error",
        code: str | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        error: dict[str, Any] = {"type": type, "message": message}
        if param is not None:
            error["param"] = param
        if code is not None:
            error["code"] = code
        self.body = {"error": error}


@dataclass
class _Saved:
    """The first answer to an idempotency key, with what it answered."""

    path: str
    params: dict[str, Any]
    body: bytes


@dataclass
class _Answer:
    status: int
    body: bytes
    headers: dict[str, str]


def _json(value: Any) -> bytes:
    return json.dumps(value, indent=2, ensure_ascii=False).encode()


class StripeDouble:
    """A Stripe API on 127.0.0.1 that the real ``stripe`` library can talk to; see the module doc.

    ``now`` is the double's clock (seconds since the epoch): it stamps ``created``, checks
    ``expires_at`` and expires open sessions whose time has come when they are next read.
    """

    def __init__(self, now: Callable[[], float] = time.time) -> None:
        self.now = now
        self.requests: list[RecordedRequest] = []
        self.sessions: dict[str, dict[str, Any]] = {}
        self.refunds: dict[str, dict[str, Any]] = {}
        self._line_items: dict[str, list[dict[str, Any]]] = {}
        self._charges: dict[str, tuple[str, str]] = {}  # payment intent -> (session, charge)
        self._saved: dict[str, _Saved] = {}
        self._failures = 0
        self._retryable = True
        self._lock = threading.Lock()
        self._server = _Server(self)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()

    def __enter__(self) -> StripeDouble:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def stop(self) -> None:
        """Stop serving and close the listening socket; safe to call twice."""
        if self._thread.is_alive():
            self._server.shutdown()
            self._thread.join()
        self._server.server_close()

    # --- controls for tests ---

    def fail_next(self, count: int = 1, *, retryable: bool = True) -> None:
        """Answer the next ``count`` session creations with a 500 ``api_error`` (Stripe down).
        Nothing is saved under their idempotency keys, so a later retry can succeed. The
        library retries a 500 by itself (``max_network_retries``, after a back-off sleep) and
        each attempt uses one failure; ``retryable=False`` adds ``Stripe-Should-Retry: false``,
        so that one failure reaches the caller at once."""
        with self._lock:
            self._failures = count
            self._retryable = retryable

    def complete(self, session_id: str, paid: bool = True) -> dict[str, Any]:
        """The buyer went through the payment page: the session becomes ``complete`` with a
        payment intent, ``paid`` or, for a delayed method, ``unpaid`` (set ``payment_status``
        to "paid" later to model the async success). Returns the stored session."""
        with self._lock:
            session = self._session(session_id)
            if session["status"] != "open":
                raise ValueError(f"session {session_id} is {session['status']}, not open")
            intent = new_id("pi_test_")
            self._charges[intent] = (session_id, new_id("ch_test_"))
            details = copy.deepcopy(_CUSTOMER_DETAILS)
            details["email"] = session["customer_email"] or "buyer@example.com"
            session.update(
                status="complete",
                payment_status="paid" if paid else "unpaid",
                payment_intent=intent,
                customer_details=details,
                url=None,
            )
            return session

    def expire(self, session_id: str) -> dict[str, Any]:
        """Stripe let the session lapse (as when ``expires_at`` passed). Returns it."""
        with self._lock:
            return self._expire(session_id)

    # --- the HTTP side ---

    def _handle(self, method: str, target: str, headers: Message, body: str) -> _Answer:
        """Record one request and compute Stripe's answer to it (called by the handler)."""
        split = urlsplit(target)
        with self._lock:
            try:
                params = decode_form(body if method == "POST" else split.query)
            except ValueError as error:
                params = {}
                problem: _Refused | None = _Refused(f"Invalid request: {error}")
            else:
                problem = None
            self.requests.append(RecordedRequest(method, split.path, params, headers, body))
            extra = {"Request-Id": new_id("req_"), "Stripe-Version": stripe.api_version}
            try:
                if problem is not None:
                    raise problem
                self._authorize(headers.get("Authorization"))
                if method != "POST":
                    return _Answer(200, _json(self._route(method, split.path, params)), extra)
                key = headers.get("Idempotency-Key")
                if not key:
                    raise _Refused("The Stripe double needs an Idempotency-Key on every POST.")
                extra["Idempotency-Key"] = key
                return self._post(key, split.path, params, extra)
            except _Refused as error:
                return _Answer(error.status, _json(error.body), extra)
            except Exception as error:  # a bug in the double: say so rather than hang up
                failure = _Refused(f"Stripe double: {error!r}", status=500, type="api_error")
                extra["Stripe-Should-Retry"] = "false"
                return _Answer(500, _json(failure.body), extra)

    def _post(self, key: str, path: str, params: dict[str, Any], extra: dict[str, str]) -> _Answer:
        if path == "/v1/checkout/sessions" and self._failures:
            self._failures -= 1
            if not self._retryable:
                extra["Stripe-Should-Retry"] = "false"
            raise _Refused(
                "An unknown error occurred (the Stripe double was told to fail).",
                status=500,
                type="api_error",
            )
        saved = self._saved.get(key)
        if saved is not None:
            if (saved.path, saved.params) != (path, params):
                raise _Refused(
                    "Keys for idempotent requests can only be used with the same parameters "
                    f"they were first used with. Try using a key other than '{key}' if you "
                    "meant to execute a different request.",
                    type="idempotency_error",
                )
            return _Answer(200, saved.body, extra | {"Idempotent-Replayed": "true"})
        body = _json(self._route("POST", path, params))
        # Like Stripe, keep only answers of requests that ran: a refused request can be fixed
        # and sent again under the same key.
        self._saved[key] = _Saved(path, params, body)
        return _Answer(200, body, extra)

    def _authorize(self, header: str | None) -> None:
        if not header or not header.startswith("Bearer "):
            raise _Refused(
                "You did not provide an API key. Provide it as a Bearer token.",
                status=401,
            )
        key = header.removeprefix("Bearer ")
        if not key.startswith("sk_test_"):
            raise _Refused(
                f"Invalid API Key provided: {key[:8]}***; the Stripe double takes test "
                "secret keys (sk_test_...) only.",
                status=401,
            )

    def _route(self, method: str, path: str, params: dict[str, Any]) -> dict[str, Any]:
        parts = path.strip("/").split("/")
        match method, parts:
            case "POST", ["v1", "checkout", "sessions"]:
                return self._create_session(params)
            case "GET", ["v1", "checkout", "sessions", session_id]:
                return self._retrieve(session_id, params)
            case "GET", ["v1", "checkout", "sessions", session_id, "line_items"]:
                return self._list_line_items(session_id, params)
            case "POST", ["v1", "checkout", "sessions", session_id, "expire"]:
                return self._expire(session_id)
            case "POST", ["v1", "refunds"]:
                return self._create_refund(params)
        raise _Refused(
            f"Unrecognized request URL ({method}: {path}). The Stripe double serves Checkout "
            "Sessions and Refunds only.",
            status=404,
        )

    # --- Checkout Sessions ---

    def _create_session(self, params: dict[str, Any]) -> dict[str, Any]:
        now = self.now()
        _known(params, _SESSION_KEYS, "")
        if params.get("mode") != "payment":
            raise _required_or_invalid(params, "mode", "The Stripe double takes mode=payment only.")
        items = params.get("line_items")
        if not isinstance(items, list) or not 1 <= len(items) <= 100:
            raise _Refused("line_items must hold 1 to 100 items.", "line_items")
        lines = [_check_line(item, f"line_items[{i}]") for i, item in enumerate(items)]
        _check_amounts_and_metadata(params, ())
        if params.get("currency", CURRENCY) != CURRENCY:
            raise _Refused(f"The Stripe double takes currency {CURRENCY!r} only.", "currency")
        for name in ("success_url", "cancel_url"):
            _check_url(params, name)
        reference = params.get("client_reference_id")
        if not isinstance(reference, str) or not 1 <= len(reference) <= 200:
            raise _required_or_invalid(
                params, "client_reference_id", "client_reference_id must be 1 to 200 characters."
            )
        expires_at = _check_expires_at(params.get("expires_at"), now)
        locale = params.get("locale")
        if locale is not None and locale not in LOCALES:
            raise _Refused(f"Invalid locale: {locale!r} is not one of Checkout's.", "locale")
        email = params.get("customer_email")
        if email is not None and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
            raise _Refused(f"Invalid email address: {email}", "customer_email")

        session_id = new_id("cs_test_")
        created = int(now)
        line_items = [_line_item(created, quantity, data) for quantity, data in lines]
        total = sum(item["amount_total"] for item in line_items)
        session = copy.deepcopy(_SESSION)
        session.update(
            id=session_id,
            url=f"{CHECKOUT_HOST}/c/pay/{session_id}",
            created=created,
            expires_at=expires_at if expires_at is not None else created + MAX_LIFETIME,
            amount_subtotal=total,
            amount_total=total,
            client_reference_id=reference,
            metadata=params.get("metadata") or {},
            success_url=params["success_url"],
            cancel_url=params["cancel_url"],
            locale=locale,
            customer_email=email,
            allow_promotion_codes=_flag(params.get("allow_promotion_codes")),
        )
        if "shipping_address_collection" in params:
            session["shipping_address_collection"] = params["shipping_address_collection"]
        phone = params.get("phone_number_collection")
        if isinstance(phone, dict):
            session["phone_number_collection"] = {"enabled": phone.get("enabled") == "true"}
        self.sessions[session_id] = session
        self._line_items[session_id] = line_items
        return session

    def _session(self, session_id: str) -> dict[str, Any]:
        session = self.sessions.get(session_id)
        if session is None:
            raise _Refused(
                f"No such checkout.session: '{session_id}'",
                "session",
                status=404,
                code="resource_missing",
            )
        if session["status"] == "open" and self.now() >= session["expires_at"]:
            session.update(status="expired", url=None)
        return session

    def _retrieve(self, session_id: str, params: dict[str, Any]) -> dict[str, Any]:
        session = self._session(session_id)
        if "line_items" in params.get("expand", []):
            return session | {"line_items": self._list_line_items(session_id, {"limit": "100"})}
        return session

    def _list_line_items(self, session_id: str, params: dict[str, Any]) -> dict[str, Any]:
        self._session(session_id)
        items = self._line_items[session_id]
        limit = params.get("limit", "10")
        if not isinstance(limit, str) or not limit.isdigit() or not 1 <= int(limit) <= 100:
            raise _Refused("limit must be an integer from 1 to 100.", "limit")
        after = params.get("starting_after")
        if after is not None:
            ids = [item["id"] for item in items]
            if after not in ids:
                raise _Refused(f"No such line item: '{after}'", "starting_after")
            items = items[ids.index(after) + 1 :]
        return {
            "object": "list",
            "data": items[: int(limit)],
            "has_more": len(items) > int(limit),
            "url": f"/v1/checkout/sessions/{session_id}/line_items",
        }

    def _expire(self, session_id: str) -> dict[str, Any]:
        session = self._session(session_id)
        if session["status"] != "open":
            raise _Refused(
                'Only Checkout Sessions with a status in ["open"] can be expired; '
                f"this one is {session['status']!r}."
            )
        session.update(status="expired", url=None)
        return session

    # --- Refunds ---

    def _create_refund(self, params: dict[str, Any]) -> dict[str, Any]:
        _known(params, _REFUND_KEYS, "")
        intent = params.get("payment_intent")
        if intent is None:
            raise _Refused(
                "Missing required param: payment_intent.",
                "payment_intent",
                code="parameter_missing",
            )
        if intent not in self._charges:
            raise _Refused(
                f"No such payment_intent: '{intent}'", "payment_intent", code="resource_missing"
            )
        session_id, charge = self._charges[intent]
        session = self.sessions[session_id]
        if session["payment_status"] != "paid":
            raise _Refused(
                f"This PaymentIntent ({intent}) does not have a successful charge to refund."
            )
        refunded = sum(r["amount"] for r in self.refunds.values() if r["payment_intent"] == intent)
        left = session["amount_total"] - refunded
        if left <= 0:
            raise _Refused(
                f"Charge {charge} has already been refunded.", code="charge_already_refunded"
            )
        amount = _integer(params.get("amount", str(left)), "amount")
        if amount <= 0 or amount > left:
            raise _Refused(
                f"Refund amount ({amount}) must be from 1 to the unrefunded amount ({left}).",
                "amount",
                code="amount_too_large" if amount > left else None,
            )
        refund = copy.deepcopy(_REFUND)
        refund.update(
            id=new_id("re_test_"),
            amount=amount,
            charge=charge,
            created=int(self.now()),
            payment_intent=intent,
            metadata=params.get("metadata") or {},
            reason=params.get("reason"),
        )
        self.refunds[refund["id"]] = refund
        return refund


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, double: StripeDouble) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.double = double


class _Handler(BaseHTTPRequestHandler):
    # HTTP/1.0: one request per connection, so no idle keep-alive socket outlives a test.

    def do_GET(self) -> None:
        self._reply("GET")

    def do_POST(self) -> None:
        self._reply("POST")

    def do_DELETE(self) -> None:
        self._reply("DELETE")

    def _reply(self, method: str) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode() if length else ""
        double = cast(_Server, self.server).double
        answer = double._handle(method, self.path, self.headers, body)
        self.send_response(answer.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer.body)))
        for name, value in answer.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(answer.body)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the double's requests are in ``StripeDouble.requests``."""


# --- Parameter checks ------------------------------------------------------------------------


def _param(path: tuple[str, ...]) -> str:
    return path[0] + "".join(f"[{part}]" for part in path[1:])


def _known(params: dict[str, Any], allowed: frozenset[str], at: str) -> None:
    for name in params:
        if name not in allowed:
            full = f"{at}[{name}]" if at else name
            raise _Refused(f"Received unknown parameter: {full}", full, code="parameter_unknown")


def _required_or_invalid(params: dict[str, Any], name: str, message: str) -> _Refused:
    if name not in params:
        return _Refused(f"Missing required param: {name}.", name, code="parameter_missing")
    return _Refused(message, name)


def _integer(value: Any, param: str) -> int:
    if not isinstance(value, str) or not re.fullmatch(r"-?\d+", value):
        raise _Refused(f"Invalid integer: {value}", param, code="parameter_invalid_integer")
    return int(value)


def _flag(value: Any) -> bool | None:
    return None if value is None else value == "true"


def _check_line(item: Any, at: str) -> tuple[int, dict[str, Any]]:
    """One line item: a positive quantity and inline MAD ``price_data`` with a product name."""
    if not isinstance(item, dict):
        raise _Refused("Invalid object", at)
    _known(item, _LINE_ITEM_KEYS, at)
    if "price" in item:
        raise _Refused(
            "The Stripe double refuses Price ids: prices come from our catalogue, as price_data.",
            f"{at}[price]",
        )
    if "quantity" not in item:
        raise _Refused(f"Missing required param: {at}[quantity].", f"{at}[quantity]")
    quantity = _integer(item["quantity"], f"{at}[quantity]")
    if quantity < 1:
        raise _Refused("Quantity must be greater than 0.", f"{at}[quantity]")
    data = item.get("price_data")
    if not isinstance(data, dict):
        raise _Refused(f"Missing required param: {at}[price_data].", f"{at}[price_data]")
    here = f"{at}[price_data]"
    _known(data, _PRICE_DATA_KEYS, here)
    if data.get("currency") != CURRENCY:
        raise _Refused(f"The Stripe double takes currency {CURRENCY!r} only.", f"{here}[currency]")
    if "unit_amount" not in data:
        raise _Refused(f"Missing required param: {here}[unit_amount].", f"{here}[unit_amount]")
    if _integer(data["unit_amount"], f"{here}[unit_amount]") < 0:
        raise _Refused("unit_amount must be 0 or more.", f"{here}[unit_amount]")
    if "recurring" in data:
        raise _Refused(
            "You specified `payment` mode but passed a recurring price.", f"{here}[recurring]"
        )
    product = data.get("product_data")
    if not isinstance(product, dict) or "product" in data:
        raise _Refused(
            "The Stripe double needs product_data (and no product id).", f"{here}[product_data]"
        )
    _known(product, _PRODUCT_DATA_KEYS, f"{here}[product_data]")
    if not str(product.get("name", "")).strip():
        raise _Refused(
            f"Missing required param: {here}[product_data][name].", f"{here}[product_data][name]"
        )
    return quantity, data


def _check_amounts_and_metadata(node: Any, path: tuple[str, ...]) -> None:
    """No amount may come from anywhere but ``line_items[i][price_data][unit_amount]``, and no
    price or shipping rate id either; metadata keeps to Stripe's limits."""
    children = enumerate(node) if isinstance(node, list) else node.items()
    for key, value in children:
        here = (*path, str(key))
        name = str(key)
        if name == "metadata":
            _check_metadata(value, _param(here))
            continue
        unit_amount = here[0] == "line_items" and here[2:] == ("price_data", "unit_amount")
        if not unit_amount and ("amount" in name or name in ("price", "shipping_rate")):
            raise _Refused(
                f"The Stripe double refuses {_param(here)}: amounts come from our catalogue, "
                "as line_items[i][price_data][unit_amount] only.",
                _param(here),
            )
        if isinstance(value, dict | list):
            _check_amounts_and_metadata(value, here)


def _check_metadata(value: Any, param: str) -> None:
    if value == "":  # Stripe's way of unsetting metadata
        return
    if not isinstance(value, dict) or len(value) > 50:
        raise _Refused("Metadata must be a hash of at most 50 keys.", param)
    for key, text in value.items():
        if len(key) > 40 or not isinstance(text, str) or len(text) > 500:
            raise _Refused(
                "Metadata keys are at most 40 characters and values at most 500 characters.",
                f"{param}[{key}]",
            )


def _check_url(params: dict[str, Any], name: str) -> None:
    value = params.get(name)
    if value is None:
        raise _Refused(f"Missing required param: {name}.", name, code="parameter_missing")
    split = urlsplit(value)
    if split.scheme not in ("http", "https") or not split.netloc:
        raise _Refused("Not a valid URL", name, code="url_invalid")


def _check_expires_at(value: Any, now: float) -> int | None:
    if value is None:
        return None
    expires_at = _integer(value, "expires_at")
    if expires_at - now < MIN_LIFETIME:
        raise _Refused(
            "The `expires_at` timestamp must be at least 30 minutes from Checkout Session "
            "creation.",
            "expires_at",
        )
    if expires_at - now > MAX_LIFETIME:
        raise _Refused(
            "The `expires_at` timestamp must be less than 24 hours from Checkout Session creation.",
            "expires_at",
        )
    return expires_at


# --- Webhooks --------------------------------------------------------------------------------


def event_payload(
    event_type: str,
    session: dict[str, Any],
    event_id: str | None = None,
    created: int | None = None,
) -> bytes:
    """The body Stripe would POST for ``event_type`` about ``session`` (resources["event"]),
    pretty-printed as Stripe sends it."""
    event = {
        "api_version": stripe.api_version,
        "created": int(time.time()) if created is None else created,
        "data": {"object": session},
        "id": event_id or new_id("evt_test_"),
        "livemode": False,
        "object": "event",
        "pending_webhooks": 1,
        "request": {"id": None, "idempotency_key": None},
        "type": event_type,
    }
    return _json(event)


def signed(payload: bytes, secret: str, timestamp: int | None = None) -> str:
    """The ``Stripe-Signature`` header for ``payload``, made by the library's own code (which
    takes the body as text; verification decodes bytes the same way)."""
    header: str = stripe.WebhookSignature.generate_signature_header(
        payload.decode("utf-8"), secret, timestamp=timestamp
    )
    return header
