"""Orders in the database: placing one (stock reserved, order, sub-orders, lines and history in
one transaction), reading one back, and every later change of status.

Order statuses (payment): ``confirmed`` (cash on delivery), ``awaiting_payment`` → ``paid`` |
``payment_failed`` | ``expired`` (card), ``cancelled`` (every sub-order cancelled),
``refund_due`` (paid after its stock was released and none was left) → ``refunded``.
Sub-order statuses (delivery): ``pending`` (card not paid yet) → ``to_ship`` → ``shipped`` →
``delivered``; or ``cancelled``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, and_, bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError

from .database import reading, writing
from .pricing import Quote
from .requests import Buyer
from .schema import order_history, order_lines, orders, stock, stripe_events, suborders

Clock = Callable[[], datetime]

# Built once: an order runs these hundreds of times a second, and a statement made anew each
# time costs more Python than the database takes to run it.
_INSERT_ORDER = insert(orders)
_INSERT_SUBORDERS = insert(suborders)
_INSERT_LINES = insert(order_lines)
_INSERT_HISTORY = insert(order_history)
_TAKE_STOCK = (
    update(stock)
    .where(stock.c.sku == bindparam("key"), stock.c.available >= bindparam("qty"))
    .values(available=stock.c.available - bindparam("qty"))
)
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base 32: no I, L, O, U

# Which sub-order status may follow which, for the operator's `taawun orders mark`.
SUBORDER_NEXT = {
    "to_ship": {"shipped", "cancelled"},
    "shipped": {"delivered", "cancelled"},
    "pending": {"cancelled"},
    "delivered": set(),
    "cancelled": set(),
}
OPEN_PAYMENT = {"confirmed", "paid"}


def utc_now() -> datetime:
    return datetime.now(UTC)


def as_utc(moment: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; everything stored is UTC."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


def new_order_id() -> str:
    return "TW-" + "".join(secrets.choice(_ALPHABET) for _ in range(12))


class OutOfStock(Exception):
    def __init__(self, sku: str, available: int) -> None:
        super().__init__(sku)
        self.sku = sku
        self.available = available


class IdempotencyConflict(Exception):
    pass


@dataclass(frozen=True)
class Placed:
    id: str
    token: str
    replayed: bool  # an earlier request with the same Idempotency-Key made this order
    record: dict[str, Any] | None = None  # the order as stored (None when replayed)


@dataclass(frozen=True)
class Payment:
    method: str  # cod or card
    status: str  # the order's status
    intent: str | None  # Stripe's PaymentIntent, once a session completed
    total: int


class OrderStore:
    def __init__(self, engine: Engine, token_key: bytes, clock: Clock = utc_now) -> None:
        self.engine = engine
        self._token_key = token_key
        self.clock = clock

    # -- tokens ---------------------------------------------------------------------------
    def token(self, order_id: str) -> str:
        """The order's status token: a keyed hash of its id, so nothing secret is stored per
        order and a retried request can be answered with the same token."""
        digest = hmac.new(self._token_key, order_id.encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest[:24]).decode()

    def token_matches(self, order_id: str, token: str) -> bool:
        return hmac.compare_digest(self.token(order_id), token)

    # -- placing --------------------------------------------------------------------------
    def place(
        self,
        quote: Quote,
        buyer: Buyer,
        payment: str,
        catalogue_hash: str,
        client_key: str | None = None,
        request_digest: str | None = None,
        reserve_for: timedelta | None = None,
    ) -> Placed:
        """Reserve the stock and store the order, all or nothing.

        Raises :class:`OutOfStock` when a counted SKU has fewer left than asked (nothing is
        stored), and :class:`IdempotencyConflict` when ``client_key`` was used for another
        request.
        """
        if client_key is not None:
            earlier = self._by_client_key(client_key, request_digest)
            if earlier is not None:
                return earlier
        now = self.clock()
        order_id = new_order_id()
        card = payment == "card"
        status = "awaiting_payment" if card else "confirmed"
        order = {
            "id": order_id,
            "created_at": now,
            "updated_at": now,
            "status": status,
            "payment": payment,
            "lang": quote.lang,
            "buyer_name": buyer.name,
            "buyer_phone": buyer.phone,
            "buyer_email": buyer.email,
            "buyer_region": buyer.region,
            "buyer_city": buyer.city,
            "buyer_address": buyer.address,
            "consent_at": now,
            "items_total": quote.items,
            "delivery_total": quote.delivery,
            "total": quote.total,
            "currency": quote.currency,
            "catalogue": catalogue_hash,
            "client_key": client_key,
            "request_digest": request_digest,
            "stripe_session": None,
            "stripe_payment_intent": None,
            "payment_url": None,
            "reserved_until": now + reserve_for if card and reserve_for else None,
            "holds_stock": True,
        }
        subs = [
            {
                "order_id": order_id,
                "number": sub.number,
                "cooperative": sub.cooperative.id,
                "status": "pending" if card else "to_ship",
                "items_total": sub.items,
                "delivery_fee": sub.delivery_fee,
                "total": sub.total,
            }
            for sub in quote.suborders
        ]
        lines = [
            {
                "order_id": order_id,
                "number": number,
                "suborder": sub.number,
                "sku": line.sku.sku,
                "product": line.sku.product,
                "name": line.name[:300],
                "qty": line.qty,
                "unit_price": line.sku.unit_price,
                "line_total": line.total,
                "counted": line.sku.stock is not None,
            }
            for number, (sub, line) in enumerate(
                ((sub, line) for sub in quote.suborders for line in sub.lines), start=1
            )
        ]
        counted = [(line.sku.sku, line.qty) for line in quote.lines if line.sku.stock is not None]
        try:
            with writing(self.engine) as db:
                db.execute(_INSERT_ORDER, order)
                db.execute(_INSERT_SUBORDERS, subs)
                db.execute(_INSERT_LINES, lines)
                self._history(db, order_id, None, None, status, "buyer", now)
                # Last, just before the commit: the stock rows are the ones every buyer of a
                # product waits for, so they are locked for as short a time as possible.
                self._reserve(db, counted)
        except IntegrityError:
            # Another request with the same Idempotency-Key won the race; answer with its order.
            if client_key is not None:
                earlier = self._by_client_key(client_key, request_digest)
                if earlier is not None:
                    return earlier
            raise
        # The order as load() would read it back, without reading it back.
        record = {
            **order,
            "suborders": subs,
            "lines": lines,
            "history": [
                {
                    "suborder": None,
                    "at": now,
                    "from_status": None,
                    "to_status": status,
                    "source": "buyer",
                    "note": None,
                }
            ],
        }
        return Placed(order_id, self.token(order_id), replayed=False, record=record)

    def _by_client_key(self, client_key: str, digest: str | None) -> Placed | None:
        with reading(self.engine) as db:
            row = db.execute(
                select(orders.c.id, orders.c.request_digest).where(
                    orders.c.client_key == client_key
                )
            ).first()
        if row is None:
            return None
        if row.request_digest != digest:
            raise IdempotencyConflict(client_key)
        return Placed(row.id, self.token(row.id), replayed=True)

    @staticmethod
    def _reserve(db: Connection, counted: Iterable[tuple[str, int]]) -> None:
        """Take ``qty`` of each counted SKU, or raise OutOfStock. In SKU order, so two orders
        for the same SKUs lock their rows in the same order and cannot deadlock."""
        for sku, qty in sorted(counted):
            taken = db.execute(_TAKE_STOCK, {"key": sku, "qty": qty}).rowcount
            if taken != 1:
                left = db.execute(select(stock.c.available).where(stock.c.sku == sku)).scalar()
                raise OutOfStock(sku, int(left or 0))

    @staticmethod
    def _return_stock(db: Connection, order_id: str, suborder: int | None = None) -> None:
        query = select(order_lines.c.sku, order_lines.c.qty).where(
            order_lines.c.order_id == order_id, order_lines.c.counted.is_(True)
        )
        if suborder is not None:
            query = query.where(order_lines.c.suborder == suborder)
        returned = [{"key": sku, "qty": qty} for sku, qty in db.execute(query)]
        if returned:
            db.execute(
                update(stock)
                .where(stock.c.sku == bindparam("key"))
                .values(available=stock.c.available + bindparam("qty")),
                returned,
            )

    @staticmethod
    def _history(
        db: Connection,
        order_id: str,
        suborder: int | None,
        before: str | None,
        after: str,
        source: str,
        at: datetime,
        note: str | None = None,
    ) -> None:
        db.execute(
            _INSERT_HISTORY,
            {
                "order_id": order_id,
                "suborder": suborder,
                "at": at,
                "from_status": before,
                "to_status": after,
                "source": source,
                "note": note,
            },
        )

    # -- card payment ---------------------------------------------------------------------
    def attach_session(self, order_id: str, session_id: str, url: str, expires: datetime) -> None:
        with writing(self.engine) as db:
            db.execute(
                update(orders)
                .where(orders.c.id == order_id)
                .values(stripe_session=session_id, payment_url=url, reserved_until=expires)
            )

    def fail_before_payment(self, order_id: str, note: str) -> None:
        """Stripe could not open a payment page: give the stock back at once."""
        with writing(self.engine) as db:
            self._end_unpaid(db, order_id, "payment_failed", "service", note)

    def _end_unpaid(
        self, db: Connection, order_id: str, status: str, source: str, note: str
    ) -> bool:
        """awaiting_payment → ``status``, returning the stock; False if it was not waiting."""
        now = self.clock()
        ended = db.execute(
            update(orders)
            .where(
                orders.c.id == order_id,
                orders.c.status == "awaiting_payment",
                orders.c.holds_stock.is_(True),
            )
            .values(status=status, holds_stock=False, reserved_until=None, updated_at=now)
        ).rowcount
        if ended != 1:
            return False
        self._return_stock(db, order_id)
        db.execute(
            update(suborders)
            .where(suborders.c.order_id == order_id, suborders.c.status == "pending")
            .values(status="cancelled")
        )
        self._history(db, order_id, None, "awaiting_payment", status, source, now, note)
        return True

    def record_event(
        self, event_id: str, event_type: str, session: dict[str, Any]
    ) -> tuple[str, str | None]:
        """Apply one verified Stripe event, once: returns (outcome, order id).

        The event id is stored in the same transaction as its effect, so a second delivery
        of it finds the id and changes nothing, even when both arrive at once.
        """
        now = self.clock()
        order_id = (session.get("metadata") or {}).get("order_id") or session.get(
            "client_reference_id"
        )
        try:
            with writing(self.engine) as db:
                outcome = self._apply(db, event_type, session, order_id, now)
                db.execute(
                    insert(stripe_events).values(
                        id=event_id,
                        type=event_type,
                        received_at=now,
                        order_id=order_id,
                        outcome=outcome,
                    )
                )
        except IntegrityError:
            with reading(self.engine) as db:
                seen = db.execute(
                    select(stripe_events.c.id).where(stripe_events.c.id == event_id)
                ).first()
            if seen is None:
                raise
            return "duplicate", order_id
        return outcome, order_id

    def _apply(
        self,
        db: Connection,
        event_type: str,
        session: dict[str, Any],
        order_id: str | None,
        now: datetime,
    ) -> str:
        if order_id is None:
            return "not_ours"
        row = db.execute(
            select(orders.c.status, orders.c.holds_stock, orders.c.payment).where(
                orders.c.id == order_id
            )
        ).first()
        if row is None or row.payment != "card":
            return "unknown_order"
        if session.get("payment_intent"):
            db.execute(
                update(orders)
                .where(orders.c.id == order_id, orders.c.stripe_payment_intent.is_(None))
                .values(stripe_payment_intent=session["payment_intent"])
            )
        paid = event_type == "checkout.session.async_payment_succeeded" or (
            event_type == "checkout.session.completed" and session.get("payment_status") == "paid"
        )
        if paid:
            return self._mark_paid(db, order_id, row.status, row.holds_stock, now)
        if event_type == "checkout.session.completed":
            # Paid later (a bank transfer, say): keep the stock until the async event comes,
            # instead of letting the timer release it.
            db.execute(
                update(orders)
                .where(orders.c.id == order_id, orders.c.status == "awaiting_payment")
                .values(reserved_until=None, updated_at=now)
            )
            self._history(
                db, order_id, None, row.status, row.status, "stripe", now, "payment pending"
            )
            return "payment_pending"
        if event_type in (
            "checkout.session.async_payment_failed",
            "checkout.session.expired",
        ):
            status = "payment_failed" if event_type.endswith("failed") else "expired"
            ended = self._end_unpaid(db, order_id, status, "stripe", event_type)
            return status if ended else f"ignored_{row.status}"
        return "ignored"

    def _mark_paid(
        self, db: Connection, order_id: str, status: str, holds_stock: bool, now: datetime
    ) -> str:
        if status in ("paid", "refund_due"):
            return "already_paid"
        if not holds_stock:
            # Paid after the reservation ended (a late webhook): take the stock again if it
            # is still there, or record that the payment must be refunded.
            lines = db.execute(
                select(order_lines.c.sku, order_lines.c.qty).where(
                    order_lines.c.order_id == order_id, order_lines.c.counted.is_(True)
                )
            ).all()
            try:
                with db.begin_nested():
                    self._reserve(db, [(sku, qty) for sku, qty in lines])
            except OutOfStock as gone:
                db.execute(
                    update(orders)
                    .where(orders.c.id == order_id)
                    .values(status="refund_due", updated_at=now)
                )
                self._history(
                    db, order_id, None, status, "refund_due", "stripe", now, f"{gone.sku} sold out"
                )
                return "refund_due"
        db.execute(
            update(orders)
            .where(orders.c.id == order_id)
            .values(status="paid", holds_stock=True, reserved_until=None, updated_at=now)
        )
        db.execute(
            update(suborders)
            .where(
                suborders.c.order_id == order_id, suborders.c.status.in_(["pending", "cancelled"])
            )
            .values(status="to_ship")
        )
        self._history(db, order_id, None, status, "paid", "stripe", now)
        return "paid"

    def release_expired(self, grace: timedelta) -> list[str]:
        """End the card orders whose reservation ran out ``grace`` ago with no webhook."""
        cutoff = self.clock() - grace
        with reading(self.engine) as db:
            due = (
                db.execute(
                    select(orders.c.id).where(
                        and_(
                            orders.c.status == "awaiting_payment",
                            orders.c.holds_stock.is_(True),
                            orders.c.reserved_until.is_not(None),
                            orders.c.reserved_until < cutoff,
                        )
                    )
                )
                .scalars()
                .all()
            )
        released = []
        for order_id in due:
            with writing(self.engine) as db:
                if self._end_unpaid(db, order_id, "expired", "timer", "reservation timed out"):
                    released.append(order_id)
        return released

    def record_refund(
        self, order_id: str, suborder: int | None, amount: int, refund_id: str, source: str
    ) -> None:
        """Keep a refund in the history; a whole-order refund ends a ``refund_due`` order."""
        now = self.clock()
        note = f"refund {refund_id}: {amount / 100:.2f}"
        with writing(self.engine) as db:
            if suborder is None:
                db.execute(
                    update(orders)
                    .where(orders.c.id == order_id, orders.c.status == "refund_due")
                    .values(status="refunded", updated_at=now)
                )
                self._history(db, order_id, None, "refund_due", "refunded", source, now, note)
            else:
                self._history(db, order_id, suborder, "cancelled", "refunded", source, now, note)

    def payment_of(self, order_id: str) -> Payment:
        """How an order is paid; raises NoResultFound for an unknown id."""
        with reading(self.engine) as db:
            row = db.execute(
                select(
                    orders.c.payment,
                    orders.c.status,
                    orders.c.stripe_payment_intent,
                    orders.c.total,
                ).where(orders.c.id == order_id)
            ).one()
        return Payment(row.payment, row.status, row.stripe_payment_intent, row.total)

    def suborder_total(self, order_id: str, number: int) -> int:
        with reading(self.engine) as db:
            return int(
                db.execute(
                    select(suborders.c.total).where(
                        suborders.c.order_id == order_id, suborders.c.number == number
                    )
                ).scalar_one()
            )

    # -- operators ------------------------------------------------------------------------
    def mark(self, target: str, status: str, note: str | None = None) -> list[tuple[str, int]]:
        """Move a sub-order (``TW-…/2``), or every open sub-order of an order (``TW-…``), to
        ``status``; cancelling returns the stock. Returns the sub-orders changed."""
        order_id, _, number = target.partition("/")
        now = self.clock()
        with writing(self.engine) as db:
            order = db.execute(
                select(orders.c.status, orders.c.holds_stock).where(orders.c.id == order_id)
            ).first()
            if order is None:
                raise KeyError(order_id)
            query = select(suborders.c.number, suborders.c.status).where(
                suborders.c.order_id == order_id
            )
            if number:
                query = query.where(suborders.c.number == int(number))
            subs = db.execute(query).all()
            if not subs:
                raise KeyError(target)
            if status in ("shipped", "delivered") and order.status not in OPEN_PAYMENT:
                raise ValueError(
                    f"{order_id} is {order.status}: only a confirmed or paid order can be {status}"
                )
            changed = []
            for sub in subs:
                if status not in SUBORDER_NEXT[sub.status]:
                    if number:
                        raise ValueError(f"{target} is {sub.status}; it cannot become {status}")
                    continue
                db.execute(
                    update(suborders)
                    .where(suborders.c.order_id == order_id, suborders.c.number == sub.number)
                    .values(status=status)
                )
                if status == "cancelled" and order.holds_stock:
                    self._return_stock(db, order_id, sub.number)
                self._history(db, order_id, sub.number, sub.status, status, "operator", now, note)
                changed.append((order_id, sub.number))
            if not changed:
                raise ValueError(f"no sub-order of {order_id} can become {status}")
            left = db.execute(
                select(suborders.c.status).where(suborders.c.order_id == order_id)
            ).scalars()
            if status == "cancelled" and all(s == "cancelled" for s in left):
                db.execute(
                    update(orders)
                    .where(orders.c.id == order_id)
                    .values(
                        status="cancelled", holds_stock=False, reserved_until=None, updated_at=now
                    )
                )
                self._history(db, order_id, None, order.status, "cancelled", "operator", now, note)
            else:
                db.execute(update(orders).where(orders.c.id == order_id).values(updated_at=now))
        return changed

    # -- reading --------------------------------------------------------------------------
    def load(self, order_id: str) -> dict[str, Any] | None:
        """The whole order, its sub-orders, lines and history, or None."""
        with reading(self.engine) as db:
            order = db.execute(select(orders).where(orders.c.id == order_id)).mappings().first()
            if order is None:
                return None
            subs = db.execute(
                select(suborders)
                .where(suborders.c.order_id == order_id)
                .order_by(suborders.c.number)
            ).mappings()
            lines = db.execute(
                select(order_lines)
                .where(order_lines.c.order_id == order_id)
                .order_by(order_lines.c.number)
            ).mappings()
            history = db.execute(
                select(order_history)
                .where(order_history.c.order_id == order_id)
                .order_by(order_history.c.id)
            ).mappings()
            result = dict(order)
            result["suborders"] = [dict(s) for s in subs]
            result["lines"] = [dict(line) for line in lines]
            result["history"] = [dict(h) for h in history]
        for key in ("created_at", "updated_at", "consent_at", "reserved_until"):
            result[key] = as_utc(result[key])
        for entry in result["history"]:
            entry["at"] = as_utc(entry["at"])
        return result

    def available(self, skus: Iterable[str]) -> dict[str, int]:
        with reading(self.engine) as db:
            rows = db.execute(
                select(stock.c.sku, stock.c.available).where(stock.c.sku.in_(list(skus)))
            )
            return dict(rows.all())

    def list_suborders(
        self, cooperative: str | None = None, status: str | None = None
    ) -> list[dict[str, Any]]:
        query = (
            select(
                suborders,
                orders.c.created_at,
                orders.c.status.label("order_status"),
                orders.c.payment,
                orders.c.buyer_name,
                orders.c.buyer_phone,
                orders.c.buyer_region,
                orders.c.buyer_city,
                orders.c.buyer_address,
                orders.c.currency,
            )
            .join(orders, orders.c.id == suborders.c.order_id)
            .order_by(orders.c.created_at, suborders.c.order_id, suborders.c.number)
        )
        if cooperative:
            query = query.where(suborders.c.cooperative == cooperative)
        if status:
            query = query.where((suborders.c.status == status) | (orders.c.status == status))
        with reading(self.engine) as db:
            rows = [dict(r) for r in db.execute(query).mappings()]
            keys = [(r["order_id"], r["number"]) for r in rows]
            lines: dict[tuple[str, int], list[dict[str, Any]]] = {}
            if keys:
                ids = sorted({k[0] for k in keys})
                for line in db.execute(
                    select(order_lines)
                    .where(order_lines.c.order_id.in_(ids))
                    .order_by(order_lines.c.order_id, order_lines.c.number)
                ).mappings():
                    lines.setdefault((line["order_id"], line["suborder"]), []).append(dict(line))
        for row in rows:
            row["created_at"] = as_utc(row["created_at"])
            row["lines"] = lines.get((row["order_id"], row["number"]), [])
        return rows
