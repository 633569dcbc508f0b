"""What the service does, apart from HTTP: price and place an order, open its payment, answer
its status, apply Stripe's events, release lapsed reservations, follow new catalogues.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from typing import Any

from sqlalchemy import Engine

from .catalogue import CatalogueSource
from .database import seed_stock, token_key
from .errors import ApiError
from .messages import money
from .payments import SESSION_EVENTS, PaymentUnavailable, StripeCheckout, session_params
from .pricing import Quote, quote
from .refunds import refund_order
from .requests import parse_order
from .settings import Settings
from .store import (
    Clock,
    IdempotencyConflict,
    OrderStore,
    OutOfStock,
    utc_now,
)

log = logging.getLogger("taawun.checkout")
PUBLIC_ORDER_FIELDS = ("id", "status", "payment", "lang", "currency")


@dataclass(frozen=True)
class Taken:
    """An order stored, and what opening its card payment needs."""

    view: dict[str, Any]  # the answer, as the buyer sees it
    order: dict[str, Any]
    quote: Quote
    token: str
    email: str | None
    site_url: str
    needs_payment: bool


class CheckoutService:
    def __init__(
        self,
        settings: Settings,
        engine: Engine,
        catalogue: CatalogueSource,
        payments: StripeCheckout | None = None,
        clock: Clock = utc_now,
    ) -> None:
        self.settings = settings
        self.engine = engine
        self.catalogue = catalogue
        self.payments = payments
        self.clock = clock
        self.store = OrderStore(engine, token_key(engine), clock)
        self._refresh_lock = threading.Lock()
        seed_stock(engine, catalogue.current, clock())

    @property
    def site_url(self) -> str:
        return (self.settings.site_url or self.catalogue.current.base_url).rstrip("/")

    # -- orders ---------------------------------------------------------------------------
    def place_order(
        self, data: object, idempotency_key: str | None, site_url: str | None = None
    ) -> dict[str, Any]:
        """Take the order and, for a card, open its payment: the 201 answer's body."""
        taken = self.take_order(data, idempotency_key, site_url)
        return self.open_payment(taken) if taken.needs_payment else taken.view

    def take_order(
        self, data: object, idempotency_key: str | None, site_url: str | None = None
    ) -> Taken:
        """Everything up to the stored order, without calling Stripe (the app runs the two
        steps under different limits: Stripe can take seconds, the database must not wait)."""
        catalogue = self.catalogue.current
        request = parse_order(data, self.settings.max_lines)
        priced = quote(catalogue, request, card_payments=self.payments is not None)
        if request.expected_total is not None and request.expected_total != priced.total:
            raise ApiError(
                409,
                "prices_changed",
                "expected_total",
                total=partial(money, priced.total),
                seen=partial(money, request.expected_total),
            )
        if idempotency_key is not None and not 1 <= len(idempotency_key) <= 100:
            raise ApiError(400, "invalid", "Idempotency-Key", key="bad_idempotency_key")
        digest = hashlib.sha256(
            json.dumps(data, sort_keys=True, ensure_ascii=False).encode()
        ).hexdigest()
        card = request.payment == "card"
        reserve_for = timedelta(minutes=self.settings.reservation_minutes + 1) if card else None
        try:
            placed = self.store.place(
                priced,
                request.buyer,
                request.payment,
                catalogue.hash,
                client_key=idempotency_key,
                request_digest=digest,
                reserve_for=reserve_for,
            )
        except OutOfStock as gone:
            line = next(line for line in priced.lines if line.sku.sku == gone.sku)
            raise ApiError(
                409,
                "out_of_stock",
                f"lines[{line.index}].qty",
                key="out_of_stock" if gone.available else "none_left",
                product=line.sku.name,
                left=gone.available,
            ) from None
        except IdempotencyConflict:
            raise ApiError(409, "idempotency_key_reused") from None
        order = placed.record or self.store.load(placed.id)
        assert order is not None
        return Taken(
            view=self.public_view(order, placed.token),
            order=order,
            quote=priced,
            token=placed.token,
            email=request.buyer.email,
            site_url=site_url or self.site_url,
            needs_payment=card and not placed.replayed,
        )

    def open_payment(self, taken: Taken) -> dict[str, Any]:
        """Open the Stripe Checkout Session of a card order just taken: the answer's body."""
        assert self.payments is not None
        order = taken.order
        expires = order["reserved_until"]
        params = session_params(
            taken.quote, order["id"], taken.token, taken.site_url, expires, taken.email
        )
        try:
            session = self.payments.create_session(params, order["id"])
        except PaymentUnavailable as error:
            log.warning("order %s: Stripe refused the session: %s", order["id"], error)
            self.store.fail_before_payment(order["id"], f"Stripe: {error}")
            raise ApiError(502, "payment_unavailable", "payment") from None
        self.store.attach_session(order["id"], session.id, session.url, expires)
        return {**taken.view, "payment_url": session.url}

    def order_status(self, order_id: str, token: str) -> dict[str, Any]:
        # The same answer for an unknown id and a wrong token: nothing to learn by trying.
        order = self.store.load(order_id) if len(order_id) <= 20 else None
        if order is None or not token or not self.store.token_matches(order_id, token):
            raise ApiError(404, "not_found")
        return self.public_view(order, None)

    def public_view(self, order: dict[str, Any], token: str | None) -> dict[str, Any]:
        catalogue = self.catalogue.current
        lang = order["lang"]
        view: dict[str, Any] = {key: order[key] for key in PUBLIC_ORDER_FIELDS}
        if token is not None:
            view["token"] = token
        view["created"] = order["created_at"].isoformat()
        view["totals"] = {
            "items": order["items_total"],
            "delivery": order["delivery_total"],
            "total": order["total"],
            "currency": order["currency"],
        }
        view["buyer"] = {"name": order["buyer_name"], "city": order["buyer_city"]}
        view["suborders"] = []
        for sub in order["suborders"]:
            coop = catalogue.cooperatives.get(sub["cooperative"])
            view["suborders"].append(
                {
                    "number": sub["number"],
                    "cooperative": sub["cooperative"],
                    "cooperative_name": coop.name(lang) if coop else sub["cooperative"],
                    "status": sub["status"],
                    "items": sub["items_total"],
                    "delivery": sub["delivery_fee"],
                    "total": sub["total"],
                    "lines": [
                        {
                            "sku": line["sku"],
                            "name": line["name"],
                            "qty": line["qty"],
                            "unit_price": line["unit_price"],
                            "total": line["line_total"],
                        }
                        for line in order["lines"]
                        if line["suborder"] == sub["number"]
                    ],
                }
            )
        view["history"] = [
            {
                "at": entry["at"].isoformat(),
                "status": entry["to_status"],
                "suborder": entry["suborder"],
            }
            for entry in order["history"]
        ]
        if order["status"] == "awaiting_payment" and order["payment_url"]:
            view["payment_url"] = order["payment_url"]
        return view

    # -- Stripe ---------------------------------------------------------------------------
    def stripe_event(self, payload: bytes, signature: str | None) -> dict[str, Any]:
        if self.payments is None:
            raise ApiError(404, "not_found", key="no_card_payments")
        if not signature:
            raise ApiError(400, "bad_signature")
        try:
            event = self.payments.verify(payload, signature)
        except Exception:  # ValueError (not JSON) or stripe.SignatureVerificationError
            raise ApiError(400, "bad_signature") from None
        if event.type not in SESSION_EVENTS:
            return {"received": True, "outcome": "ignored"}
        session = event.data.object.to_dict()
        outcome, order_id = self.store.record_event(event.id, event.type, session)
        log.info("stripe event %s %s → %s (order %s)", event.id, event.type, outcome, order_id)
        if outcome == "refund_due" and order_id is not None:
            # Paid, but the goods were sold meanwhile: give the money back at once.
            log.info("%s", refund_order(self.store, self.payments, order_id))
        return {"received": True, "outcome": outcome}

    # -- upkeep ---------------------------------------------------------------------------
    def stock(self, skus: list[str]) -> dict[str, int | None]:
        catalogue = self.catalogue.current
        known = [s for s in dict.fromkeys(skus) if s in catalogue.skus]
        counted = self.store.available(s for s in known if catalogue.skus[s].stock is not None)
        result: dict[str, int | None] = {}
        for sku in known:
            entry = catalogue.skus[sku]
            if entry.availability == "sold_out":
                result[sku] = 0
            else:
                result[sku] = counted.get(sku, 0) if entry.stock is not None else None
        return result

    def release_lapsed(self) -> list[str]:
        """Release the card reservations that lapsed with no webhook; run every minute."""
        released = self.store.release_expired(
            timedelta(minutes=self.settings.release_grace_minutes)
        )
        for order_id in released:
            log.info("order %s: reservation timed out; stock returned", order_id)
        return released

    def refresh_catalogue(self) -> bool:
        with self._refresh_lock:
            fresh = self.catalogue.changed()
            if fresh is None:
                return False
            # Seed first: an order priced from the new catalogue finds its stock rows.
            changed = seed_stock(self.engine, fresh, self.clock())
            self.catalogue.install(fresh)
        log.info("new catalogue %s loaded; %d stock rows set", self.catalogue.current.hash, changed)
        return True
