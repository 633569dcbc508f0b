"""Card payment through Stripe Checkout: the session for an order, and verified webhook events.

Line items are built from the catalogue's prices only (``price_data`` in MAD centimes), one per
order line, plus one per cooperative's delivery fee. Stripe has no Arabic locale, so Arabic and
Amazigh buyers get Stripe's French page, English buyers its English one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

import stripe

from .pricing import Quote
from .settings import Settings

STRIPE_LOCALES = {"en": "en"}  # every other language of the site: "fr"
DELIVERY_LABEL = {
    "ar": "التوصيل",
    "fr": "Livraison",
    "zgh": "Livraison",
    "en": "Delivery",
}
SESSION_EVENTS = {
    "checkout.session.completed",
    "checkout.session.async_payment_succeeded",
    "checkout.session.async_payment_failed",
    "checkout.session.expired",
}


class PaymentUnavailable(RuntimeError):
    """Stripe could not be reached or refused the session."""


@dataclass(frozen=True)
class Session:
    id: str
    url: str


def session_params(
    quote: Quote,
    order_id: str,
    token: str,
    site_url: str,
    expires_at: datetime,
    email: str | None,
) -> dict[str, Any]:
    lang = quote.lang
    line_items: list[dict[str, Any]] = [
        {
            "quantity": line.qty,
            "price_data": {
                "currency": quote.currency.lower(),
                "unit_amount": line.sku.unit_price,
                "product_data": {"name": line.name, "metadata": {"sku": line.sku.sku}},
            },
        }
        for line in quote.lines
    ]
    for sub in quote.suborders:
        if sub.delivery_fee:
            line_items.append(
                {
                    "quantity": 1,
                    "price_data": {
                        "currency": quote.currency.lower(),
                        "unit_amount": sub.delivery_fee,
                        "product_data": {
                            "name": f"{DELIVERY_LABEL.get(lang, 'Livraison')} — "
                            f"{sub.cooperative.name(lang)}"
                        },
                    },
                }
            )
    status_query = urlencode({"id": order_id, "token": token})
    params: dict[str, Any] = {
        "mode": "payment",
        "line_items": line_items,
        "client_reference_id": order_id,
        "metadata": {"order_id": order_id},
        "payment_intent_data": {"metadata": {"order_id": order_id}},
        "locale": STRIPE_LOCALES.get(lang, "fr"),
        "success_url": f"{site_url}/{lang}/order/?{status_query}",
        "cancel_url": f"{site_url}/{lang}/cart/",
        "expires_at": int(expires_at.timestamp()),
    }
    if email:
        params["customer_email"] = email
    return params


class StripeCheckout:
    """The one place that talks to Stripe; tests point its client at a local double."""

    def __init__(self, client: stripe.StripeClient, webhook_secret: str) -> None:
        self.client = client
        self._webhook_secret = webhook_secret

    def create_session(self, params: dict[str, Any], order_id: str) -> Session:
        try:
            session = self.client.v1.checkout.sessions.create(
                params=params,  # type: ignore[arg-type]
                # Derived from the order: a retry of this call can never open a second payment.
                options={"idempotency_key": f"taawun-order-{order_id}"},
            )
        except stripe.StripeError as error:
            raise PaymentUnavailable(error.user_message or type(error).__name__) from error
        if not session.url:
            raise PaymentUnavailable("Stripe returned a session without a payment page")
        return Session(id=session.id, url=session.url)

    def refund(self, payment_intent: str, amount: int, key: str) -> str:
        try:
            refund = self.client.v1.refunds.create(
                params={"payment_intent": payment_intent, "amount": amount},
                options={"idempotency_key": key},
            )
        except stripe.StripeError as error:
            raise PaymentUnavailable(error.user_message or type(error).__name__) from error
        return refund.id

    def verify(self, payload: bytes, signature: str) -> stripe.Event:
        """The event, if ``signature`` is Stripe's over exactly these bytes and recent (5 min);
        raises ``ValueError`` or ``stripe.SignatureVerificationError`` otherwise."""
        return self.client.construct_event(payload, signature, self._webhook_secret)


def from_settings(
    settings: Settings, client: stripe.StripeClient | None = None
) -> StripeCheckout | None:
    """Card payment as the settings configure it, or None when they leave it off."""
    key, secret = settings.stripe_secret_key, settings.stripe_webhook_secret
    if not key or not secret:  # Settings.check refuses a key without its webhook secret
        return None
    return StripeCheckout(
        client or make_client(key.reveal(), settings.stripe_api_base), secret.reveal()
    )


def make_client(secret_key: str, api_base: str | None = None) -> stripe.StripeClient:
    bases: dict[str, str] = {"api": api_base} if api_base else {}
    return stripe.StripeClient(
        secret_key,
        base_addresses=bases,  # type: ignore[arg-type]
        max_network_retries=2,
    )
