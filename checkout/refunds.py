"""Giving card payments back: a whole order paid too late to be served (``refund_due``), or the
sub-orders an operator cancels after payment. Cash-on-delivery orders have nothing to refund.

Each refund carries an idempotency key derived from the order (and sub-order), so running the
same cancellation twice can never refund twice.
"""

from __future__ import annotations

import logging

from .payments import PaymentUnavailable, StripeCheckout
from .store import OrderStore

log = logging.getLogger("taawun.checkout")


def refund_order(store: OrderStore, payments: StripeCheckout | None, order_id: str) -> str:
    """Refund a ``refund_due`` order in full; says what happened, in plain words."""
    paid = store.payment_of(order_id)
    status, intent, total = paid.status, paid.intent, paid.total
    if status != "refund_due":
        return f"{order_id} is {status}: nothing to refund"
    if payments is None or intent is None:
        return f"{order_id}: refund {total / 100:.2f} MAD by hand (Stripe dashboard)"
    try:
        refund_id = payments.refund(intent, total, f"taawun-refund-{order_id}")
    except PaymentUnavailable as error:
        log.warning("order %s: refund failed: %s", order_id, error)
        return f"{order_id}: the refund failed ({error}); it stays refund_due, try again"
    store.record_refund(order_id, None, total, refund_id, "stripe")
    return f"{order_id}: refunded {total / 100:.2f} MAD ({refund_id})"


def refund_suborders(
    store: OrderStore,
    payments: StripeCheckout | None,
    order_id: str,
    numbers: list[int],
    source: str = "operator",
) -> list[str]:
    """Refund sub-orders just cancelled from a paid card order, each its own total (the
    caller checked the order was paid before cancelling)."""
    intent = store.payment_of(order_id).intent
    messages = []
    for number in numbers:
        amount = store.suborder_total(order_id, number)
        if payments is None or intent is None:
            messages.append(
                f"{order_id}/{number}: refund {amount / 100:.2f} MAD by hand (Stripe dashboard)"
            )
            continue
        try:
            refund_id = payments.refund(intent, amount, f"taawun-refund-{order_id}-{number}")
        except PaymentUnavailable as error:
            messages.append(f"{order_id}/{number}: the refund failed ({error}); run it again")
            continue
        store.record_refund(order_id, number, amount, refund_id, source)
        messages.append(f"{order_id}/{number}: refunded {amount / 100:.2f} MAD ({refund_id})")
    return messages
