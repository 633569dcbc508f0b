"""Cash-on-delivery orders, read back from the database: pricing, sub-orders, stock, status
tokens, and every bad request refused with the field named and nothing stored. Each test runs
against SQLite and PostgreSQL (see checkout_fixtures.py)."""

from __future__ import annotations

import threading
from typing import Any

import httpx2 as httpx
import psycopg
import pytest
from sqlalchemy import event, select

from checkout.messages import field_name, language
from checkout.schema import order_history, order_lines, orders, suborders

from .checkout_fixtures import (
    CATALOGUE,
    POSTGRES_URL,
    SITE_ORIGIN,
    LiveServer,
    Shop,
    order_body,
    write_catalogue,
)


def test_a_cash_on_delivery_order_is_priced_split_and_stored(shop: Shop) -> None:
    body = order_body(
        lines=[
            {"sku": "amlou", "qty": 2, "price": 1, "unit_price": 1},  # a client price: ignored
            {"sku": "tapis", "qty": 1},
            {"sku": "huile", "qty": 1},
        ]
    )
    response = shop.post(body)
    assert response.status_code == 201, response.text
    answer = response.json()
    assert answer["status"] == "confirmed"
    # tamount: 2 × 80 + 250 = 410 MAD (under 600: 35 delivery); oulja: 390 + 60 delivery.
    assert answer["totals"] == {
        "items": 16000 + 25000 + 39000,
        "delivery": 3500 + 6000,
        "total": 80000 + 9500,
        "currency": "MAD",
    }
    assert [(s["cooperative"], s["items"], s["delivery"]) for s in answer["suborders"]] == [
        ("oulja", 39000, 6000),
        ("tamount", 41000, 3500),
    ]
    with shop.engine.connect() as db:
        order = db.execute(select(orders).where(orders.c.id == answer["id"])).mappings().one()
        subs = db.execute(select(suborders).order_by(suborders.c.number)).mappings().all()
        lines = db.execute(select(order_lines).order_by(order_lines.c.number)).mappings().all()
        history = db.execute(select(order_history)).mappings().all()
    assert order["total"] == 89500 and order["payment"] == "cod"
    assert order["buyer_phone"] == "+212612345678"
    assert [s["status"] for s in subs] == ["to_ship", "to_ship"]
    assert {(line["sku"], line["qty"], line["unit_price"]) for line in lines} == {
        ("tapis", 1, 39000),
        ("amlou", 2, 8000),
        ("huile", 1, 25000),
    }
    assert [(h["to_status"], h["source"]) for h in history] == [("confirmed", "buyer")]
    # Counted stock went down; the uncounted oil has no stock row to change.
    assert shop.available("amlou") == 8 and shop.available("tapis") == 2


def test_free_delivery_from_the_cooperatives_threshold(shop: Shop) -> None:
    # 8 jars = 640 MAD ≥ 600 MAD: tamount delivers free.
    answer = shop.post(order_body(lines=[{"sku": "amlou", "qty": 8}])).json()
    assert answer["totals"]["delivery"] == 0 and answer["totals"]["total"] == 64000


def test_the_status_needs_the_token_and_says_nothing_otherwise(shop: Shop) -> None:
    answer = shop.post(order_body()).json()
    status = shop.client.get(f"/api/orders/{answer['id']}", params={"token": answer["token"]})
    assert status.status_code == 200
    assert status.json()["history"][0]["status"] == "confirmed"
    assert "token" not in status.json() and "phone" not in str(status.json())
    wrong_token = shop.client.get(f"/api/orders/{answer['id']}", params={"token": "x" * 32})
    unknown = shop.client.get("/api/orders/TW-0000000000AA", params={"token": answer["token"]})
    no_token = shop.client.get(f"/api/orders/{answer['id']}")
    assert wrong_token.status_code == unknown.status_code == no_token.status_code == 404
    assert wrong_token.json() == unknown.json() == no_token.json()


def test_same_sku_twice_counts_as_one_line(shop: Shop) -> None:
    body = order_body(lines=[{"sku": "amlou", "qty": 6}, {"sku": "amlou", "qty": 5}])
    response = shop.post(body)  # 11 > the 10 allowed per order
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "lines[0].qty"


BAD_REQUESTS: list[tuple[str, dict[str, Any], int, str | None]] = [
    ("unknown SKU", order_body(lines=[{"sku": "nope", "qty": 1}]), 422, "lines[0].sku"),
    ("quantity 0", order_body(lines=[{"sku": "amlou", "qty": 0}]), 422, "lines[0].qty"),
    ("negative", order_body(lines=[{"sku": "amlou", "qty": -3}]), 422, "lines[0].qty"),
    ("huge", order_body(lines=[{"sku": "amlou", "qty": 10**30}]), 422, "lines[0].qty"),
    ("fraction", order_body(lines=[{"sku": "amlou", "qty": 1.5}]), 422, "lines[0].qty"),
    ("text quantity", order_body(lines=[{"sku": "amlou", "qty": "2"}]), 422, "lines[0].qty"),
    ("over the limit", order_body(lines=[{"sku": "tapis", "qty": 3}]), 422, "lines[0].qty"),
    ("sold out", order_body(lines=[{"sku": "safran", "qty": 1}]), 409, "lines[0].sku"),
    ("no lines", order_body(lines=[]), 422, "lines"),
    (
        "second line bad",
        order_body(lines=[{"sku": "amlou", "qty": 1}, {"qty": 1}]),
        422,
        "lines[1].sku",
    ),
    ("too many lines", order_body(lines=[{"sku": "amlou", "qty": 1}] * 51), 422, "lines"),
    ("no consent", {k: v for k, v in order_body().items() if k != "consent"}, 422, "consent"),
    ("consent refused", order_body(consent=False), 422, "consent"),
    ("consent as text", order_body(consent="yes"), 422, "consent"),
    ("invalid phone", order_body(buyer={"phone": "12345"}), 422, "buyer.phone"),
    ("foreign phone", order_body(buyer={"phone": "+33612345678"}), 422, "buyer.phone"),
    ("blank name", order_body(buyer={"name": "   "}), 422, "buyer.name"),
    ("no address", order_body(buyer={"address": ""}), 422, "buyer.address"),
    ("bad e-mail", order_body(buyer={"email": "fatima@"}), 422, "buyer.email"),
    ("unknown region", order_body(buyer={"region": "atlantis"}), 422, "buyer.region"),
    ("payment method", order_body(payment="cheque"), 422, "payment"),
    ("card not offered", order_body(payment="card"), 422, "payment"),
    ("language", order_body(lang="de"), 422, "lang"),
    ("not an object", [1, 2], 422, None),
    # bahr does not deliver to Casablanca-Settat, and takes no cash on delivery.
    ("delivery zone", order_body(lines=[{"sku": "poulpe", "qty": 1}]), 422, "buyer.region"),
    (
        "no cash on delivery",
        order_body(lines=[{"sku": "poulpe", "qty": 1}], buyer={"region": "souss-massa"}),
        422,
        "payment",
    ),
    # tamount caps cash on delivery at 1,000 MAD: 5 oils = 1,250 MAD.
    ("over the cash cap", order_body(lines=[{"sku": "huile", "qty": 5}]), 422, "payment"),
]


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [case[1:] for case in BAD_REQUESTS],
    ids=[case[0] for case in BAD_REQUESTS],
)
def test_bad_orders_are_refused_naming_the_field_and_nothing_is_stored(
    shop: Shop, body: Any, status: int, field: str | None
) -> None:
    response = shop.post(body)
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["field"] == field
    assert error["code"] and error["message"]
    if field:  # the buyer reads which field, in words, in the order's language
        lang = language(body.get("lang") if isinstance(body, dict) else None)
        colon = " : " if lang == "fr" else ": "
        assert error["message"].startswith(field_name(field, lang) + colon), error["message"]
    assert shop.order_count() == 0
    assert shop.available("amlou") == 10 and shop.available("tapis") == 3


def test_transport_level_refusals(shop: Shop) -> None:
    post = shop.client.post
    malformed = post(
        "/api/orders", content=b'{"lines": [', headers={"Content-Type": "application/json"}
    )
    assert malformed.status_code == 400 and malformed.json()["error"]["code"] == "malformed_json"
    text_body = post("/api/orders", content=b"{}", headers={"Content-Type": "text/plain"})
    assert text_body.status_code == 415
    big = order_body(buyer={"address": "x" * 20_000})
    too_large = shop.post(big)
    assert too_large.status_code == 413 and too_large.json()["error"]["code"] == "too_large"
    assert shop.order_count() == 0


def test_a_phone_is_accepted_as_moroccans_write_it(shop: Shop) -> None:
    for written in ("06 12 34 56 78", "0612-345-678", "00212612345678", "+212 (0)6 12 34 56 78"):
        assert shop.post(order_body(buyer={"phone": written})).status_code == 201
    with shop.engine.connect() as db:
        phones = set(db.execute(select(orders.c.buyer_phone)).scalars())
    assert phones == {"+212612345678"}


def test_out_of_stock_says_how_many_are_left(shop: Shop) -> None:
    assert shop.post(order_body(lines=[{"sku": "tapis", "qty": 2}])).status_code == 201
    response = shop.post(order_body(lines=[{"sku": "amlou", "qty": 1}, {"sku": "tapis", "qty": 2}]))
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["field"] == "lines[1].qty"
    assert error["message"] == (
        "Ligne 2 : Tapis, plus que 1 en stock. Baissez la quantité ou retirez-le."
    )
    # The amlou of the refused order was not taken either: one transaction per order.
    assert shop.available("amlou") == 10 and shop.available("tapis") == 1
    assert shop.order_count() == 1


def test_other_origins_are_refused(shop: Shop) -> None:
    preflight = shop.client.options(
        "/api/orders",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
    )
    assert preflight.status_code == 400
    assert "access-control-allow-origin" not in preflight.headers
    allowed = shop.client.options(
        "/api/orders",
        headers={
            "Origin": SITE_ORIGIN,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type,idempotency-key",
        },
    )
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == SITE_ORIGIN
    forged = shop.post(order_body(), Origin="https://evil.example")
    assert forged.status_code == 403 and shop.order_count() == 0


def test_order_creation_is_rate_limited_per_client(shop_factory: Any) -> None:
    shop = shop_factory(order_burst=3, order_rate_per_minute=1)
    codes = [
        shop.post(order_body(lines=[{"sku": "huile", "qty": 1}])).status_code for _ in range(4)
    ]
    assert codes == [201, 201, 201, 429]
    refused = shop.post(order_body())
    assert refused.json()["error"]["code"] == "too_many_requests"
    assert int(refused.headers["Retry-After"]) > 0
    assert shop.order_count() == 3


def test_a_retried_request_gets_the_same_order(shop: Shop) -> None:
    first = shop.post(order_body(), **{"Idempotency-Key": "attempt-1"})
    again = shop.post(order_body(), **{"Idempotency-Key": "attempt-1"})
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    assert first.json()["token"] == again.json()["token"]
    assert shop.order_count() == 1 and shop.available("amlou") == 8
    changed = shop.post(
        order_body(lines=[{"sku": "amlou", "qty": 1}]), **{"Idempotency-Key": "attempt-1"}
    )
    assert changed.status_code == 409
    assert changed.json()["error"]["code"] == "idempotency_key_reused"
    assert shop.order_count() == 1


def test_fifty_buyers_for_the_last_ten_jars(shop_factory: Any) -> None:
    shop = shop_factory(order_burst=1000, order_rate_per_minute=60_000)
    results: list[int] = []
    start = threading.Barrier(50)

    with LiveServer(shop.app) as live:

        def buy(n: int) -> None:
            body = order_body(lines=[{"sku": "amlou", "qty": 1}], buyer={"name": f"Buyer {n}"})
            with httpx.Client(base_url=live.url, timeout=30) as client:
                start.wait()
                response = client.post("/api/orders", json=body, headers={"Origin": SITE_ORIGIN})
            results.append(response.status_code)

        threads = [threading.Thread(target=buy, args=(n,)) for n in range(50)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert sorted(results) == [201] * 10 + [409] * 40
    assert shop.available("amlou") == 0
    assert shop.order_count() == 10
    with shop.engine.connect() as db:
        sold = db.execute(select(order_lines.c.qty).where(order_lines.c.sku == "amlou")).scalars()
        assert sum(sold) == 10


def test_the_next_request_works_after_the_database_restarts(shop: Shop) -> None:
    assert shop.post(order_body()).status_code == 201
    pool = shop.engine.pool
    held = [pool.connect() for _ in range(3)]
    if shop.engine.dialect.name == "postgresql":
        # What a restart does to the service: every connection it holds is cut server-side.
        pids = [c.dbapi_connection.info.backend_pid for c in held]  # type: ignore[union-attr]
        for connection in held:
            connection.close()
        with psycopg.connect(POSTGRES_URL.replace("+psycopg", ""), autocommit=True) as admin:
            for pid in pids:
                admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
    else:
        # SQLite has no server: close the pooled connections under the pool's feet.
        for connection in held:
            connection.dbapi_connection.close()  # type: ignore[union-attr]
            connection.close()
    response = shop.post(order_body(lines=[{"sku": "amlou", "qty": 1}]))
    assert response.status_code == 201, response.text
    assert shop.order_count() == 2 and shop.available("amlou") == 7


def test_a_failure_mid_order_stores_nothing(shop: Shop) -> None:
    def fail_on_lines(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO ORDER_LINES"):
            raise shop.engine.dialect.dbapi.OperationalError("the disk is gone")  # type: ignore[union-attr]

    event.listen(shop.engine, "before_cursor_execute", fail_on_lines)
    try:
        response = shop.post(order_body())
    finally:
        event.remove(shop.engine, "before_cursor_execute", fail_on_lines)
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "unavailable"
    assert shop.order_count() == 0 and shop.available("amlou") == 10
    assert shop.post(order_body()).status_code == 201


def test_health_and_live_stock(shop: Shop) -> None:
    health = shop.client.get("/api/health").json()
    assert health["status"] == "ok" and health["database"] == "ok"
    assert len(health["catalogue"]) == 16
    shop.post(order_body())
    stock = shop.client.get(
        "/api/stock", params=[("sku", "amlou"), ("sku", "huile"), ("sku", "safran"), ("sku", "x")]
    )
    assert stock.json() == {"amlou": 8, "huile": None, "safran": 0}
    assert shop.client.get("/api/stock").status_code == 400


def test_a_new_catalogue_recounts_only_the_stock_that_changed(shop_factory: Any) -> None:
    shop = shop_factory()
    shop.post(order_body(lines=[{"sku": "amlou", "qty": 3}, {"sku": "tapis", "qty": 1}]))
    catalogue = {**CATALOGUE, "skus": {**CATALOGUE["skus"]}}
    catalogue["skus"]["tapis"] = {**CATALOGUE["skus"]["tapis"], "stock": 9}  # counted again
    catalogue["skus"]["figues"] = {**CATALOGUE["skus"]["amlou"], "product": "figues", "stock": 4}
    write_catalogue(shop.site, catalogue)
    assert shop.service.refresh_catalogue()
    assert shop.available("amlou") == 7  # unchanged declaration: the live count stays
    assert shop.available("tapis") == 9 and shop.available("figues") == 4
    assert shop.post(order_body(lines=[{"sku": "figues", "qty": 1}])).status_code == 201
    # A restarted service on the same database keeps the live counts.
    again = shop_factory()
    assert again.available("amlou") == 7 and again.available("figues") == 3


def test_the_service_reads_the_catalogue_the_generator_builds(
    sample_build: Any, database_url: str, tmp_path: Any
) -> None:
    from starlette.testclient import TestClient

    from checkout.app import create_app
    from checkout.database import make_engine

    from .checkout_fixtures import make_settings

    _, output = sample_build
    engine = make_engine(database_url)
    app = create_app(make_settings(output, database_url), engine=engine, background=False)
    body = order_body(lines=[{"sku": "amlou-tamanar", "qty": 1}], lang="ar")
    with TestClient(app) as client:
        response = client.post(
            "/api/orders", json=body, headers={"Origin": "https://taawun.example.ma"}
        )
    engine.dispose()
    assert response.status_code == 201, response.text
    line = response.json()["suborders"][0]["lines"][0]
    assert line["unit_price"] == 8000 and line["name"].startswith("أملو")


def test_refusals_are_written_in_the_buyers_language(shop: Shop) -> None:
    arabic = shop.post(order_body(lang="ar", lines=[{"sku": "tapis", "qty": 3}]))
    assert arabic.json()["error"]["message"] == "السطر 1: 2 على الأكثر من زربية في الطلب الواحد."
    french = shop.post(order_body(lines=[{"sku": "poulpe", "qty": 1}])).json()["error"]
    assert french["message"] == (
        "Région : Coopérative Bahr ne livre pas en Casablanca-Settat ; elle livre en "
        "Dakhla-Oued Ed-Dahab, Souss-Massa. Retirez ses produits ou faites-les livrer à une "
        "adresse là-bas."
    )
    capped = shop.post(order_body(lang="ar", lines=[{"sku": "huile", "qty": 5}])).json()
    assert "1\u202f000,00 د.م." in capped["error"]["message"]
    # Before the body is read, the browser's language decides; English for other clients.
    headers = {"Content-Type": "text/plain"}
    refused = shop.client.post("/api/orders", content=b"{}", headers=headers)
    assert refused.json()["error"]["message"] == "Send the order as application/json."
    refused = shop.client.post(
        "/api/orders", content=b"{}", headers={**headers, "Accept-Language": "ar-MA,ar;q=0.9"}
    )
    assert refused.json()["error"]["message"] == "أرسل الطلب بصيغة application/json."


def test_an_order_priced_differently_from_what_the_buyer_saw_is_refused(shop: Shop) -> None:
    seen = shop.post(order_body(expected_total=16000 + 3500))  # 2 jars + delivery, as shown
    assert seen.status_code == 201
    stale = shop.post(order_body(expected_total=15000, lang="ar"))  # an old cart's total
    assert stale.status_code == 409
    error = stale.json()["error"]
    assert (error["code"], error["field"]) == ("prices_changed", "expected_total")
    assert "195,00 د.م." in error["message"] and "150,00 د.م." in error["message"]
    assert shop.order_count() == 1 and shop.available("amlou") == 8


def test_behind_a_proxy_the_rate_limit_counts_the_address_the_proxy_saw(
    shop_factory: Any,
) -> None:
    shop = shop_factory(order_burst=1, order_rate_per_minute=1, trust_forwarded_for=True)
    body = order_body(lines=[{"sku": "huile", "qty": 1}])
    assert shop.post(body, **{"X-Forwarded-For": "10.0.0.1"}).status_code == 201
    # A forged first address changes nothing: the proxy appended the real one last.
    forged = shop.post(body, **{"X-Forwarded-For": "1.2.3.4, 10.0.0.1"})
    assert forged.status_code == 429
    assert shop.post(body, **{"X-Forwarded-For": "10.0.0.2"}).status_code == 201
