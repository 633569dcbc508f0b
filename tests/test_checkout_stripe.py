"""Card orders through Stripe Checkout, with the real ``stripe`` library talking to a local
double (tests/stripe_double.py) and webhooks signed by the library's own code: the session the
service asks for, payment confirmed only by verified events, each event counted once, stock
released on expiry, failure or silence. Each test runs on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import stripe
from sqlalchemy import func, select

from checkout.schema import order_history, orders, stripe_events, suborders
from generator.cli import main

from .checkout_fixtures import (
    CATALOGUE,
    WEBHOOK_SECRET,
    Clock,
    Shop,
    card_settings,
    order_body,
    write_catalogue,
)
from .stripe_double import StripeDouble, event_payload, signed


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def stripe_api(clock: Clock) -> Iterator[StripeDouble]:
    with StripeDouble(now=lambda: clock.now.timestamp()) as double:
        yield double


@pytest.fixture
def card_shop(shop_factory: Any, stripe_api: StripeDouble, clock: Clock) -> Shop:
    client = stripe.StripeClient(
        "sk_test_taawun", base_addresses={"api": stripe_api.url}, max_network_retries=0
    )
    shop: Shop = shop_factory(stripe_client=client, clock=clock, **card_settings())
    return shop


def card_order(shop: Shop, **changes: Any) -> dict[str, Any]:
    body = order_body(payment="card", **changes)
    response = shop.post(body)
    assert response.status_code == 201, response.text
    answer: dict[str, Any] = response.json()
    return answer


def deliver(
    shop: Shop,
    event_type: str,
    session: dict[str, Any],
    event_id: str | None = None,
    secret: str = WEBHOOK_SECRET,
    timestamp: int | None = None,
    payload: bytes | None = None,
) -> Any:
    payload = payload or event_payload(event_type, session, event_id=event_id)
    return shop.client.post(
        "/api/stripe/webhook",
        content=payload,
        headers={
            "Stripe-Signature": signed(payload, secret, timestamp=timestamp),
            "Content-Type": "application/json",
        },
    )


def order_row(shop: Shop, order_id: str) -> Any:
    with shop.engine.connect() as db:
        return db.execute(select(orders).where(orders.c.id == order_id)).mappings().one()


def test_a_card_order_opens_a_session_built_from_catalogue_prices(
    card_shop: Shop, stripe_api: StripeDouble
) -> None:
    answer = card_order(
        card_shop,
        lines=[{"sku": "amlou", "qty": 2, "price": 1}, {"sku": "tapis", "qty": 1}],
        lang="ar",
        buyer={"email": "fz@example.ma"},
    )
    assert answer["status"] == "awaiting_payment"
    (session,) = stripe_api.sessions.values()
    assert answer["payment_url"] == session["url"]
    created = [r for r in stripe_api.requests if r.path == "/v1/checkout/sessions"]
    assert len(created) == 1
    sent = created[0].params
    assert created[0].idempotency_key == f"taawun-order-{answer['id']}"
    assert sent["mode"] == "payment"
    assert sent["client_reference_id"] == answer["id"]
    assert sent["metadata"] == {"order_id": answer["id"]}
    assert sent["locale"] == "fr"  # Stripe has no Arabic
    assert sent["customer_email"] == "fz@example.ma"
    items = [
        (
            item["quantity"],
            item["price_data"]["currency"],
            item["price_data"]["unit_amount"],
            item["price_data"]["product_data"]["name"],
        )
        for item in sent["line_items"]
    ]
    assert items == [  # one sub-order per cooperative, in cooperative order
        ("1", "mad", "39000", "زربية"),
        ("2", "mad", "8000", "أملو"),
        ("1", "mad", "6000", "التوصيل — تعاونية الولجة"),
        ("1", "mad", "3500", "التوصيل — تعاونية تامونت"),
    ]
    assert session["amount_total"] == answer["totals"]["total"] == 16000 + 39000 + 9500
    token = answer["token"]
    assert sent["success_url"] == (
        f"https://taawun.example.ma/ar/order/?id={answer['id']}&token={token}"
    )
    assert sent["cancel_url"] == "https://taawun.example.ma/ar/cart/"
    # The stock is held while the buyer pays.
    assert card_shop.available("amlou") == 8 and card_shop.available("tapis") == 2


def test_stripe_speaks_french_to_arabic_and_amazigh_buyers_and_english_to_english_ones(
    shop_factory: Any, stripe_api: StripeDouble, clock: Clock, tmp_path: Path
) -> None:
    write_catalogue(tmp_path / "site", {**CATALOGUE, "languages": ["ar", "fr", "zgh", "en"]})
    client = stripe.StripeClient(
        "sk_test_taawun", base_addresses={"api": stripe_api.url}, max_network_retries=0
    )
    shop = shop_factory(stripe_client=client, clock=clock, **card_settings())
    for lang in ("ar", "zgh", "fr", "en"):
        card_order(shop, lang=lang, lines=[{"sku": "huile", "qty": 1}])
    sent = [r.params for r in stripe_api.requests if r.path == "/v1/checkout/sessions"]
    assert [p["locale"] for p in sent] == ["fr", "fr", "fr", "en"]
    assert sent[3]["cancel_url"] == "https://taawun.example.ma/en/cart/"


def test_a_verified_completed_event_marks_the_order_paid_once(
    card_shop: Shop, stripe_api: StripeDouble
) -> None:
    answer = card_order(card_shop)
    session = stripe_api.complete(next(iter(stripe_api.sessions)))
    first = deliver(card_shop, "checkout.session.completed", session, event_id="evt_1")
    assert first.status_code == 200 and first.json()["outcome"] == "paid"
    again = deliver(card_shop, "checkout.session.completed", session, event_id="evt_1")
    assert again.status_code == 200 and again.json()["outcome"] == "duplicate"
    row = order_row(card_shop, answer["id"])
    assert row["status"] == "paid" and row["stripe_payment_intent"] == session["payment_intent"]
    with card_shop.engine.connect() as db:
        subs = db.execute(select(suborders.c.status)).scalars().all()
        paid = db.execute(
            select(func.count()).where(
                order_history.c.order_id == answer["id"], order_history.c.to_status == "paid"
            )
        ).scalar_one()
    assert subs == ["to_ship"] and paid == 1
    assert card_shop.available("amlou") == 8  # sold, not returned
    status = card_shop.client.get(
        f"/api/orders/{answer['id']}", params={"token": answer["token"]}
    ).json()
    assert status["status"] == "paid" and "payment_url" not in status
    assert [h["status"] for h in status["history"]] == ["awaiting_payment", "paid"]


def test_the_same_event_delivered_twice_at_once_counts_once(
    card_shop: Shop, stripe_api: StripeDouble
) -> None:
    answer = card_order(card_shop)
    session = stripe_api.complete(next(iter(stripe_api.sessions)))
    payload = event_payload("checkout.session.completed", session, event_id="evt_race")
    outcomes: list[str] = []
    start = threading.Barrier(4)

    def send() -> None:
        start.wait()
        outcomes.append(deliver(card_shop, "", {}, payload=payload).json()["outcome"])

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["duplicate"] * 3 + ["paid"]
    with card_shop.engine.connect() as db:
        assert db.execute(select(func.count()).select_from(stripe_events)).scalar_one() == 1
    assert order_row(card_shop, answer["id"])["status"] == "paid"


@pytest.mark.parametrize("forgery", ["wrong secret", "stale", "tampered", "missing", "not json"])
def test_forged_or_stale_webhooks_change_nothing(
    card_shop: Shop, stripe_api: StripeDouble, forgery: str
) -> None:
    answer = card_order(card_shop)
    session = stripe_api.complete(next(iter(stripe_api.sessions)))
    payload = event_payload("checkout.session.completed", session)
    if forgery == "wrong secret":
        response = deliver(card_shop, "", {}, payload=payload, secret="whsec_attacker")
    elif forgery == "stale":
        response = deliver(card_shop, "", {}, payload=payload, timestamp=int(time.time()) - 600)
    elif forgery == "tampered":
        header = signed(payload, WEBHOOK_SECRET)
        forged = payload.replace(b'"paid"', b'"paid" ', 1)
        response = card_shop.client.post(
            "/api/stripe/webhook", content=forged, headers={"Stripe-Signature": header}
        )
    elif forgery == "missing":
        response = card_shop.client.post("/api/stripe/webhook", content=payload)
    else:
        junk = b"not json at all"
        response = deliver(card_shop, "", {}, payload=junk)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_signature"
    assert order_row(card_shop, answer["id"])["status"] == "awaiting_payment"
    with card_shop.engine.connect() as db:
        assert db.execute(select(func.count()).select_from(stripe_events)).scalar_one() == 0


def test_an_expired_session_returns_the_stock(card_shop: Shop, stripe_api: StripeDouble) -> None:
    answer = card_order(card_shop, lines=[{"sku": "tapis", "qty": 2}])
    assert card_shop.available("tapis") == 1
    session = stripe_api.expire(next(iter(stripe_api.sessions)))
    response = deliver(card_shop, "checkout.session.expired", session)
    assert response.json()["outcome"] == "expired"
    assert card_shop.available("tapis") == 3
    assert order_row(card_shop, answer["id"])["status"] == "expired"
    # A second buyer can now have both carpets.
    assert card_shop.post(order_body(lines=[{"sku": "tapis", "qty": 2}])).status_code == 201


def test_events_out_of_order_leave_a_consistent_state(
    card_shop: Shop, stripe_api: StripeDouble
) -> None:
    answer = card_order(card_shop)
    session_id = next(iter(stripe_api.sessions))
    paid = stripe_api.complete(session_id)
    deliver(card_shop, "checkout.session.completed", paid)
    late_expiry = {**paid, "status": "expired"}
    assert deliver(card_shop, "checkout.session.expired", late_expiry).json()["outcome"] == (
        "ignored_paid"
    )
    assert order_row(card_shop, answer["id"])["status"] == "paid"
    assert card_shop.available("amlou") == 8


def test_a_payment_after_the_stock_was_released(card_shop: Shop, stripe_api: StripeDouble) -> None:
    # Expired first, paid after: the stock is taken again while it lasts...
    first = card_order(card_shop, lines=[{"sku": "tapis", "qty": 2}])
    session = stripe_api.sessions[next(iter(stripe_api.sessions))]
    deliver(card_shop, "checkout.session.expired", {**session, "status": "expired"})
    assert card_shop.available("tapis") == 3
    paid = {**session, "status": "complete", "payment_status": "paid", "payment_intent": "pi_1"}
    assert deliver(card_shop, "checkout.session.completed", paid).json()["outcome"] == "paid"
    assert order_row(card_shop, first["id"])["status"] == "paid"
    assert card_shop.available("tapis") == 1
    # ...and when it is gone, the buyer's money goes back at once.
    second = card_order(card_shop, lines=[{"sku": "tapis", "qty": 1}])
    second_id = list(stripe_api.sessions)[-1]
    deliver(
        card_shop,
        "checkout.session.expired",
        {**stripe_api.sessions[second_id], "status": "expired"},
    )
    assert card_shop.post(order_body(lines=[{"sku": "tapis", "qty": 1}])).status_code == 201
    late = stripe_api.complete(second_id)
    assert deliver(card_shop, "checkout.session.completed", late).json()["outcome"] == "refund_due"
    (refund,) = stripe_api.refunds.values()
    assert refund["payment_intent"] == late["payment_intent"]
    assert refund["amount"] == second["totals"]["total"]
    assert order_row(card_shop, second["id"])["status"] == "refunded"
    assert card_shop.available("tapis") == 0


def test_a_delayed_payment_keeps_the_stock_until_it_succeeds_or_fails(
    card_shop: Shop, stripe_api: StripeDouble, clock: Clock
) -> None:
    ok = card_order(card_shop, lines=[{"sku": "amlou", "qty": 1}])
    ok_session = stripe_api.complete(list(stripe_api.sessions)[-1], paid=False)
    bad = card_order(card_shop, lines=[{"sku": "tapis", "qty": 1}])
    bad_session = stripe_api.complete(list(stripe_api.sessions)[-1], paid=False)
    for session in (ok_session, bad_session):
        outcome = deliver(card_shop, "checkout.session.completed", session).json()["outcome"]
        assert outcome == "payment_pending"
    clock.advance(hours=3)  # long after the reservation: the timer must not release these
    assert card_shop.service.release_lapsed() == []
    assert (
        deliver(card_shop, "checkout.session.async_payment_succeeded", ok_session).json()["outcome"]
        == "paid"
    )
    assert (
        deliver(card_shop, "checkout.session.async_payment_failed", bad_session).json()["outcome"]
        == "payment_failed"
    )
    assert order_row(card_shop, ok["id"])["status"] == "paid"
    assert order_row(card_shop, bad["id"])["status"] == "payment_failed"
    assert card_shop.available("amlou") == 9 and card_shop.available("tapis") == 3


def test_reservations_lapse_without_any_webhook(
    card_shop: Shop, stripe_api: StripeDouble, clock: Clock
) -> None:
    answer = card_order(card_shop, lines=[{"sku": "tapis", "qty": 2}])
    clock.advance(minutes=31)  # the session has expired, the grace period has not passed
    assert card_shop.service.release_lapsed() == []
    assert card_shop.available("tapis") == 1
    clock.advance(minutes=6)
    assert card_shop.service.release_lapsed() == [answer["id"]]
    assert card_shop.available("tapis") == 3
    row = order_row(card_shop, answer["id"])
    assert row["status"] == "expired" and not row["holds_stock"]
    with card_shop.engine.connect() as db:
        sources = db.execute(
            select(order_history.c.to_status, order_history.c.source).order_by(order_history.c.id)
        ).all()
    assert [tuple(s) for s in sources] == [("awaiting_payment", "buyer"), ("expired", "timer")]
    assert card_shop.service.release_lapsed() == []  # once


def test_stripe_unavailable_returns_the_stock_at_once(
    card_shop: Shop, stripe_api: StripeDouble
) -> None:
    stripe_api.fail_next(1, retryable=False)
    response = card_shop.post(order_body(payment="card"))
    assert response.status_code == 502
    error = response.json()["error"]
    assert error["code"] == "payment_unavailable" and error["field"] == "payment"
    assert card_shop.available("amlou") == 10
    with card_shop.engine.connect() as db:
        statuses = db.execute(select(orders.c.status)).scalars().all()
    assert statuses == ["payment_failed"]


def test_other_events_are_acknowledged_and_ignored(
    card_shop: Shop, stripe_api: StripeDouble
) -> None:
    card_order(card_shop)
    session = next(iter(stripe_api.sessions.values()))
    response = deliver(card_shop, "customer.created", session)
    assert response.status_code == 200 and response.json()["outcome"] == "ignored"
    foreign = {**session, "metadata": {}, "client_reference_id": None}
    assert deliver(card_shop, "checkout.session.completed", foreign).json()["outcome"] == "not_ours"


def paid_order_from_two_cooperatives(shop: Shop, stripe_api: StripeDouble) -> dict[str, Any]:
    """2 jars of amlou (tamount, sub-order 2) and a carpet (oulja, sub-order 1), paid."""
    answer = card_order(shop, lines=[{"sku": "amlou", "qty": 2}, {"sku": "tapis", "qty": 1}])
    session = stripe_api.complete(next(iter(stripe_api.sessions)))
    deliver(shop, "checkout.session.completed", session)
    return answer


def test_cancelling_a_paid_suborder_returns_its_stock(
    card_shop: Shop, stripe_api: StripeDouble
) -> None:
    answer = paid_order_from_two_cooperatives(card_shop, stripe_api)
    card_shop.service.store.mark(f"{answer['id']}/1", "cancelled")  # oulja's carpet
    assert card_shop.available("tapis") == 3 and card_shop.available("amlou") == 8
    assert order_row(card_shop, answer["id"])["status"] == "paid"


def test_an_operator_cancelling_a_paid_suborder_refunds_it(
    card_shop: Shop,
    stripe_api: StripeDouble,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    answer = paid_order_from_two_cooperatives(card_shop, stripe_api)
    monkeypatch.setenv("STRIPE_SECRET_KEY", "sk_test_taawun")
    monkeypatch.setenv("STRIPE_WEBHOOK_SECRET", WEBHOOK_SECRET)
    monkeypatch.setenv("STRIPE_API_BASE", stripe_api.url)
    database = card_shop.settings.database_url
    assert main(["orders", "mark", f"{answer['id']}/1", "cancelled", "--database", database]) == 0
    out = capsys.readouterr().out
    assert f"{answer['id']}/1: refunded 450.00 MAD" in out  # the carpet and its delivery
    (refund,) = stripe_api.refunds.values()
    assert refund["amount"] == 39000 + 6000
    # Cancelling it again is refused: nothing is refunded twice.
    assert main(["orders", "mark", f"{answer['id']}/1", "cancelled", "--database", database]) == 1
    assert len(stripe_api.refunds) == 1
    assert card_shop.available("tapis") == 3
