"""The Stripe double answers the real ``stripe`` library as Stripe would, and refuses what our
checkout must never send."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
import stripe

from .stripe_double import LOCALES, StripeDouble, decode_form, event_payload, signed

SECRET = "whsec_test_double"


@pytest.fixture
def double() -> Iterator[StripeDouble]:
    with StripeDouble() as server:
        yield server


def client(double: StripeDouble, retries: int = 0) -> stripe.StripeClient:
    return stripe.StripeClient(
        "sk_test_x",
        base_addresses={"api": double.url},
        max_network_retries=retries,
    )


def params(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "mode": "payment",
        "line_items": [
            {
                "quantity": 2,
                "price_data": {
                    "currency": "mad",
                    "unit_amount": 8000,
                    "product_data": {"name": "Argan oil 250 ml", "metadata": {"sku": "argan-250"}},
                },
            },
            {
                "quantity": 1,
                "price_data": {
                    "currency": "mad",
                    "unit_amount": 3000,
                    "product_data": {"name": "Livraison — Tighanimine"},
                },
            },
        ],
        "client_reference_id": "ord_1",
        "metadata": {"order_id": "ord_1"},
        "payment_intent_data": {"metadata": {"order_id": "ord_1"}},
        "locale": "fr",
        "success_url": "https://shop.example/fr/order/?id=ord_1&token=t",
        "cancel_url": "https://shop.example/fr/cart/",
        "expires_at": int(time.time()) + 3600,
        "customer_email": "buyer@example.com",
    }
    return base | changes


def test_session_is_created_and_the_params_are_recorded(double: StripeDouble) -> None:
    session = client(double).v1.checkout.sessions.create(
        params=params(), options={"idempotency_key": "k1"}
    )
    assert session.id.startswith("cs_test_")
    assert session.url == f"https://checkout.stripe.test/c/pay/{session.id}"
    assert (session.status, session.payment_status, session.currency) == ("open", "unpaid", "mad")
    assert session.amount_total == 2 * 8000 + 3000
    assert session.client_reference_id == "ord_1"
    assert session.metadata["order_id"] == "ord_1"
    assert session.payment_intent is None
    (request,) = double.requests
    assert (request.method, request.path, request.idempotency_key) == (
        "POST",
        "/v1/checkout/sessions",
        "k1",
    )
    assert request.params["line_items"][0]["price_data"]["unit_amount"] == "8000"
    assert request.params["line_items"][0]["price_data"]["product_data"]["metadata"] == {
        "sku": "argan-250"
    }
    assert request.params["payment_intent_data"] == {"metadata": {"order_id": "ord_1"}}
    assert double.sessions[session.id]["amount_total"] == 19000


def test_an_idempotency_key_replays_its_session_and_refuses_other_params(
    double: StripeDouble,
) -> None:
    sessions = client(double).v1.checkout.sessions
    sent = params()
    first = sessions.create(params=sent, options={"idempotency_key": "k1"})
    again = sessions.create(params=sent, options={"idempotency_key": "k1"})
    assert again.id == first.id
    assert again.last_response.headers["Idempotent-Replayed"] == "true"
    with pytest.raises(stripe.IdempotencyError):
        sessions.create(
            params=params(client_reference_id="ord_2"), options={"idempotency_key": "k1"}
        )
    assert len(double.sessions) == 1


@pytest.mark.parametrize(
    ("changes", "param"),
    [
        ({"mode": "subscription"}, "mode"),
        ({"line_items": []}, "line_items"),
        (
            {"line_items": [{"quantity": 1, "price_data": {"currency": "eur", "unit_amount": 1}}]},
            "line_items[0][price_data][currency]",
        ),
        (
            {"line_items": [{"quantity": 1, "price": "price_123"}]},
            "line_items[0][price]",
        ),
        (
            {"payment_intent_data": {"application_fee_amount": 100}},
            "payment_intent_data[application_fee_amount]",
        ),
        ({"success_url": "/fr/order/"}, "success_url"),
        ({"client_reference_id": None}, "client_reference_id"),
        ({"expires_at": int(time.time()) + 600}, "expires_at"),
        ({"expires_at": int(time.time()) + 25 * 3600}, "expires_at"),
        ({"locale": "ar"}, "locale"),
        ({"sucess_url": "https://shop.example/"}, "sucess_url"),
    ],
)
def test_what_our_checkout_must_not_send_is_refused(
    double: StripeDouble, changes: dict[str, Any], param: str
) -> None:
    with pytest.raises(stripe.InvalidRequestError) as refused:
        client(double).v1.checkout.sessions.create(params=params(**changes))
    assert refused.value.param == param
    assert refused.value.http_status == 400
    assert double.sessions == {}


def test_a_non_test_key_is_refused(double: StripeDouble) -> None:
    live = stripe.StripeClient("sk_live_x", base_addresses={"api": double.url})
    with pytest.raises(stripe.AuthenticationError):
        live.v1.checkout.sessions.create(params=params())


def test_fail_next_makes_stripe_unavailable_then_recovers(double: StripeDouble) -> None:
    double.fail_next(1)
    sessions = client(double).v1.checkout.sessions
    with pytest.raises(stripe.APIError):
        sessions.create(params=params(), options={"idempotency_key": "k1"})
    assert double.sessions == {}
    assert sessions.create(params=params(), options={"idempotency_key": "k1"}).url


def test_a_failure_marked_not_retryable_is_not_retried(double: StripeDouble) -> None:
    double.fail_next(1, retryable=False)
    with pytest.raises(stripe.APIError):
        client(double, retries=2).v1.checkout.sessions.create(params=params())
    assert len(double.requests) == 1


def test_retrieve_line_items_expire_complete_and_refund(double: StripeDouble) -> None:
    api = client(double).v1
    created = api.checkout.sessions.create(params=params())
    fetched = api.checkout.sessions.retrieve(created.id, params={"expand": ["line_items"]})
    assert fetched.id == created.id
    assert [item.quantity for item in fetched.line_items.data] == [2, 1]
    page = api.checkout.sessions.line_items.list(created.id, params={"limit": 1})
    assert (page.data[0].description, page.data[0].amount_total, page.has_more) == (
        "Argan oil 250 ml",
        16000,
        True,
    )
    assert [item.price.unit_amount for item in page.auto_paging_iter()] == [8000, 3000]
    with pytest.raises(stripe.InvalidRequestError) as missing:
        api.checkout.sessions.retrieve("cs_test_nope")
    assert missing.value.http_status == 404

    assert api.checkout.sessions.expire(created.id).status == "expired"

    other = api.checkout.sessions.create(params=params())
    done = double.complete(other.id)
    assert (done["status"], done["payment_status"]) == ("complete", "paid")
    refund = api.refunds.create(
        params={"payment_intent": done["payment_intent"], "amount": 3000},
        options={"idempotency_key": "refund-1"},
    )
    assert (refund.status, refund.amount, refund.currency) == ("succeeded", 3000, "mad")
    with pytest.raises(stripe.InvalidRequestError):
        api.refunds.create(params={"payment_intent": done["payment_intent"], "amount": 20000})


def test_sessions_expire_on_the_double_clock() -> None:
    clock = [time.time()]
    with StripeDouble(now=lambda: clock[0]) as double:
        session = client(double).v1.checkout.sessions.create(params=params())
        clock[0] = session.expires_at
        assert client(double).v1.checkout.sessions.retrieve(session.id).status == "expired"


def test_objects_have_only_fields_the_library_knows(double: StripeDouble) -> None:
    session = client(double).v1.checkout.sessions.create(params=params())
    known = set(stripe.checkout.Session.__annotations__)
    assert set(double.sessions[session.id]) <= known


def test_signed_events_verify_and_tampered_ones_do_not(double: StripeDouble) -> None:
    api = client(double)
    session = api.v1.checkout.sessions.create(params=params())
    payload = event_payload("checkout.session.completed", double.complete(session.id), "evt_1")
    event = api.construct_event(payload, signed(payload, SECRET), SECRET)
    assert (event.id, event.type) == ("evt_1", "checkout.session.completed")
    assert event.data.object.payment_status == "paid"
    assert event.data.object.client_reference_id == "ord_1"

    tampered = payload.replace(b'"paid"', b'"unpaid"')
    with pytest.raises(stripe.SignatureVerificationError):
        api.construct_event(tampered, signed(payload, SECRET), SECRET)
    stale = signed(payload, SECRET, timestamp=int(time.time()) - 600)
    with pytest.raises(stripe.SignatureVerificationError):
        api.construct_event(payload, stale, SECRET)


def test_form_decoding_matches_the_library_encoding() -> None:
    assert decode_form(
        "line_items[0][price_data][unit_amount]=8000&line_items[0][quantity]=2"
        "&metadata[0]=x&expand[]=a&expand[]=b&flag=true&empty="
    ) == {
        "line_items": [{"price_data": {"unit_amount": "8000"}, "quantity": "2"}],
        "metadata": {"0": "x"},
        "expand": ["a", "b"],
        "flag": "true",
        "empty": "",
    }


def test_checkout_locales_come_from_the_library() -> None:
    assert {"auto", "fr", "en", "es", "de", "it", "nl", "pt"} <= LOCALES
    assert "ar" not in LOCALES
