"""The whole path in a real browser: the built sample site's cart posts to the real checkout
service (on a loopback socket, SQLite and PostgreSQL), the order lands in the database, and the
status page reads it back. Only the service's address is rewritten: the sample site was built
for http://127.0.0.1:8100."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from sqlalchemy import select

from checkout.app import create_app
from checkout.database import make_engine
from checkout.schema import order_lines, orders
from generator.build import BuildResult

from .checkout_fixtures import LiveServer, make_settings
from .quality.checkers import serve_directory

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Route

SAMPLE_CHECKOUT = "http://127.0.0.1:8100"


@pytest.fixture(scope="module")
def site_url(sample_build: tuple[BuildResult, Path]) -> Iterator[str]:
    with serve_directory(sample_build[1]) as base:
        yield base.rstrip("/")


def test_a_buyer_orders_in_the_browser_and_the_order_is_stored(
    browser: Browser,
    sample_build: tuple[BuildResult, Path],
    site_url: str,
    database_url: str,
) -> None:
    _, output = sample_build
    engine = make_engine(database_url)
    settings = make_settings(output, database_url, allowed_origins=(site_url,))
    app = create_app(settings, engine=engine, background=False)
    context = browser.new_context()
    page = context.new_page()
    try:
        with LiveServer(app) as live:

            def to_service(route: Route) -> None:
                route.continue_(url=route.request.url.replace(SAMPLE_CHECKOUT, live.url))

            page.route(f"{SAMPLE_CHECKOUT}/**", to_service)
            page.goto(f"{site_url}/fr/products/amlou-tamanar/")
            page.locator("form.add-to-cart button").first.click()
            page.goto(f"{site_url}/fr/cart/")
            page.wait_for_selector("#cart-groups .cart-group")
            page.fill("#o-name", "Fatima Zahra")
            page.fill("#o-phone", "06 12 34 56 78")
            page.select_option("#o-region", "casablanca-settat")
            page.fill("#o-city", "Casablanca")
            page.fill("#o-address", "12 rue des Oliviers, Maârif")
            page.check("#o-consent")
            page.locator("#order-form button[type=submit]").click()
            page.wait_for_selector("#order-done:not([hidden]) a")
            done = page.inner_text("#order-done")
            order_id = re.search(r"TW-[0-9A-Z]{12}", done)
            assert order_id is not None, done
            page.locator("#order-done a").click()
            page.wait_for_selector(".order-state")
            status = page.inner_text("#order-status")
    finally:
        context.close()
        engine.dispose()
    assert "115,00" in done  # 80 MAD of amlou + 35 MAD delivery, to pay on delivery
    assert order_id.group(0) in status and "confirmée" in status
    engine = make_engine(database_url)
    with engine.connect() as db:
        order: Any = db.execute(select(orders)).mappings().one()
        line: Any = db.execute(select(order_lines)).mappings().one()
    engine.dispose()
    assert order["id"] == order_id.group(0)
    assert (order["buyer_phone"], order["buyer_region"], order["total"]) == (
        "+212612345678",
        "casablanca-settat",
        11500,
    )
    assert (line["sku"], line["qty"], line["unit_price"]) == ("amlou-tamanar", 1, 8000)
