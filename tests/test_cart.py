"""The cart and the order form, in headless Chromium: what a buyer does, checked against the
catalogue; the checkout service is played by Playwright's request interception."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from generator.build import BuildResult
from generator.models import Product
from generator.site import Site

from .quality.checkers import AXE_JS, AXE_OPTIONS, serve_directory

try:  # the browser fixture skips, with the reason, where Playwright is missing
    from playwright.sync_api import Browser, Page, Route
except ImportError:  # pragma: no cover
    Browser = Page = Route = Any  # type: ignore[misc, assignment]


@pytest.fixture(scope="module")
def site_url(sample_build: tuple[BuildResult, Path]) -> Iterator[str]:
    with serve_directory(sample_build[1]) as base:
        yield base.rstrip("/")


@dataclass
class Shop:
    """A buyer's fresh browser (empty cart) on the sample site, and two products to buy."""

    site: Site
    first: Product
    second: Product
    page: Page


@pytest.fixture
def shop(browser: Browser, sample_build: tuple[BuildResult, Path]) -> Shop:
    site = sample_build[0].site
    assert site is not None and site.config.checkout_url
    first, second = two_products(site)
    return Shop(site, first, second, browser.new_context().new_page())


def reply(route: Route, status: int, body: Any) -> None:
    """Answer as the checkout service would: JSON."""
    route.fulfill(status=status, content_type="application/json", body=json.dumps(body))


def two_products(site: Site) -> tuple[Product, Product]:
    """Two orderable products without variants, from two cooperatives."""
    found: dict[str, Product] = {}
    for product in site.products.values():
        if product.variants or product.availability == "sold_out":
            continue
        found.setdefault(product.cooperative, product)
        if len(found) == 2:
            break
    first, second = found.values()
    return first, second


def expected_total(site: Site, quantities: dict[str, int]) -> int:
    """What the cart must charge, from the content: items plus each cooperative's fee."""
    by_coop: dict[str, int] = {}
    for product_id, qty in quantities.items():
        product = site.products[product_id]
        by_coop[product.cooperative] = by_coop.get(product.cooperative, 0) + product.price * qty
    total = 0
    for coop_id, items in by_coop.items():
        delivery = site.cooperatives[coop_id].delivery
        free = delivery.free_from is not None and items >= delivery.free_from
        total += items + (0 if free else delivery.fee)
    return total


def add(page: Page, base: str, lang: str, product: Product, qty: int) -> None:
    page.goto(f"{base}/{lang}/products/{product.id}/")
    page.fill("form.add-to-cart input[name=qty]", str(qty))
    page.click("form.add-to-cart button[type=submit]")
    page.wait_for_selector("form.add-to-cart .added a")


def open_cart(page: Page, base: str, lang: str, groups: int) -> None:
    page.goto(f"{base}/{lang}/cart/")
    page.wait_for_function(f"document.querySelectorAll('.cart-group').length === {groups}")


def shown_total(page: Page) -> tuple[int, str]:
    box = page.locator("#cart-total")
    return int(box.get_attribute("data-total") or "-1"), box.inner_text()


def digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def fill_order(page: Page, *, region: str = "souss-massa", phone: str = "0612345678") -> None:
    """Fill the order form as a buyer would, consent included (``region=""`` leaves it unchosen)."""
    for field, value in (("#o-name", "A"), ("#o-city", "B"), ("#o-address", "C")):
        page.fill(field, value)
    page.fill("#o-phone", phone)
    page.select_option("#o-region", region)
    page.check("#o-consent")


def focused(page: Page) -> str:
    return str(page.evaluate("document.activeElement.id"))


ORDER = {"id": "T-0001", "token": "secret-token", "status": "confirmed", "totals": {"total": 1}}


def one_line_cart(page: Page, base: str, sku: str, coop: str) -> None:
    """A buyer's cart holding one line (set in storage), opened in French."""
    page.goto(f"{base}/fr/")
    page.evaluate(
        "line => localStorage.setItem('taawun.cart.v1', JSON.stringify({v: 1, lines: [line]}))",
        {"sku": sku, "coop": coop, "qty": 1},
    )
    open_cart(page, base, "fr", groups=1)


def test_cart_persists_across_reloads_and_languages_with_right_totals(
    shop: Shop, site_url: str
) -> None:
    site, first, second, page = shop.site, shop.first, shop.second, shop.page
    add(page, site_url, "fr", first, 2)
    add(page, site_url, "fr", second, 1)
    assert page.inner_text("[data-cart-count]") == "3"

    open_cart(page, site_url, "fr", groups=2)
    row = page.locator(f"tr[data-sku='{first.id}'] input[type=number]")
    row.fill("3")
    row.dispatch_event("change")
    expected = expected_total(site, {first.id: 3, second.id: 1})
    page.wait_for_function(f"document.getElementById('cart-total').dataset.total === '{expected}'")
    page.reload()
    page.wait_for_function("document.querySelectorAll('.cart-group').length === 2")
    assert page.input_value(f"tr[data-sku='{first.id}'] input[type=number]") == "3"
    total, text = shown_total(page)
    assert total == expected and digits(text).endswith(str(expected))
    assert "MAD" in text

    page.click("nav.langs a[hreflang=ar]")  # the same cart in Arabic
    page.wait_for_url(f"{site_url}/ar/cart/")
    page.wait_for_function("document.querySelectorAll('.cart-group').length === 2")
    total, text = shown_total(page)
    assert total == expected and digits(text).endswith(str(expected))
    assert "د.م." in text
    names = page.locator(".cart-group tbody th a").all_inner_texts()
    assert first.name.get("ar") in names

    if AXE_JS.is_file():  # the filled cart and its order form, as a screen reader meets them
        page.add_script_tag(path=str(AXE_JS))
        violations = page.evaluate(
            "async (options) => (await axe.run(document, options)).violations", AXE_OPTIONS
        )
        assert [v["id"] for v in violations] == []


def test_items_gone_from_the_catalogue_are_flagged_not_dropped(shop: Shop, site_url: str) -> None:
    site, first, page = shop.site, shop.first, shop.page
    page.goto(f"{site_url}/fr/")
    lines = [
        {"sku": first.id, "coop": first.cooperative, "qty": 1},
        {"sku": "retired-product", "coop": first.cooperative, "qty": 2},
        {"sku": "x", "coop": "closed-cooperative", "qty": 1},
    ]
    page.evaluate(
        "lines => localStorage.setItem('taawun.cart.v1', JSON.stringify({v: 1, lines}))", lines
    )
    open_cart(page, site_url, "fr", groups=2)
    flagged = page.locator("tr.flagged")
    assert flagged.count() == 2
    assert "plus au catalogue" in flagged.first.inner_text()
    assert shown_total(page)[0] == expected_total(site, {first.id: 1})
    stored = page.evaluate("JSON.parse(localStorage.getItem('taawun.cart.v1')).lines.length")
    assert stored == 3  # kept, for the buyer to remove


# -- Live stock (GET <checkout_url>/api/stock, docs/checkout.md) ---------------------------------


def live_stock(page: Page, site: Site, counts: dict[str, int | None] | None) -> list[list[str]]:
    """Play ``GET /api/stock``: answer ``counts`` (``None``: the request fails, no connection);
    returns the SKUs of every request, in the order they were asked."""
    asked: list[list[str]] = []
    prefix = f"{site.config.checkout_url}/api/stock?"

    def stock(route: Route) -> None:
        asked.append(parse_qs(urlsplit(route.request.url).query)["sku"])
        if counts is None:
            route.abort()
        else:
            reply(route, 200, counts)

    page.route(lambda url: url.startswith(prefix), stock)
    return asked


def with_variant(site: Site) -> Product:
    """An orderable product with a variant (the product page offers a choice of SKUs)."""
    return next(
        p
        for p in site.products.values()
        if p.variants and p.availability != "sold_out" and p.max_per_order > 5
    )


def stock_note(page: Page) -> str:
    return page.inner_text("form.add-to-cart .stock-note")


def stored(page: Page) -> dict[str, int]:
    lines = page.evaluate(
        "JSON.parse(localStorage.getItem('taawun.cart.v1') || '{\"lines\": []}').lines"
    )
    return {line["sku"]: line["qty"] for line in lines}


@pytest.mark.parametrize(("lang", "left"), [("fr", "Plus que 2 en stock"), ("ar", "بقي 2 فقط")])
def test_the_product_page_says_how_few_are_left_and_caps_the_quantity(
    shop: Shop, site_url: str, lang: str, left: str
) -> None:
    site, product, page = shop.site, shop.second, shop.page
    assert product.max_per_order > 2
    asked = live_stock(page, site, {product.id: 2})
    page.goto(f"{site_url}/{lang}/products/{product.id}/")
    page.wait_for_function("document.querySelector('.stock-note').textContent !== ''")
    assert stock_note(page) == left
    assert page.get_attribute(".stock-note", "aria-live") == "polite"
    assert page.get_attribute("form.add-to-cart input[name=qty]", "max") == "2"
    page.fill("form.add-to-cart input[name=qty]", "3")
    assert page.evaluate("document.querySelector('form.add-to-cart').checkValidity()") is False
    for _ in range(2):  # 2, then 2 more: the cart keeps 2, what is left
        page.fill("form.add-to-cart input[name=qty]", "2")
        page.click("form.add-to-cart button[type=submit]")
        page.wait_for_selector("form.add-to-cart .added a")
    assert stored(page) == {product.id: 2}
    assert asked == [[product.id]]


def test_the_product_page_follows_the_chosen_variant_and_disables_a_sold_out_one(
    shop: Shop, site_url: str
) -> None:
    site, page = shop.site, shop.page
    product = with_variant(site)
    variant = product.variants[0].sku
    asked = live_stock(page, site, {product.id: 0, variant: 4})
    page.goto(f"{site_url}/fr/products/{product.id}/")
    page.wait_for_function("document.querySelector('.stock-note').textContent !== ''")
    button = page.locator("form.add-to-cart button[type=submit]")
    assert stock_note(page) == "Épuisé" and button.is_disabled()

    page.select_option("#sku-choice", variant)
    assert stock_note(page) == "Plus que 4 en stock" and button.is_enabled()
    assert page.get_attribute("form.add-to-cart input[name=qty]", "max") == "4"
    page.select_option("#sku-choice", product.id)
    assert stock_note(page) == "Épuisé" and button.is_disabled()
    assert asked == [[product.id, *(v.sku for v in product.variants)]]  # one request, every SKU


@pytest.mark.parametrize("answer", ["null", "more", "abort"])
def test_the_product_page_says_nothing_without_a_low_live_count(
    shop: Shop, site_url: str, answer: str
) -> None:
    """Not counted (made to order), plenty left, or no answer: the page is as without live
    stock, and adding works."""
    site, page = shop.site, shop.page
    product = with_variant(site)
    variant = product.variants[0].sku
    counts = {
        "null": {product.id: None, variant: 3},
        "more": {product.id: product.max_per_order + 1, variant: 3},
    }
    asked = live_stock(page, site, counts.get(answer))
    if answer == "abort":
        with page.expect_event("requestfailed"):
            page.goto(f"{site_url}/fr/products/{product.id}/")
        page.wait_for_timeout(200)  # the failure reaches the script
    else:  # once the variant's note shows, the answer has been read
        page.goto(f"{site_url}/fr/products/{product.id}/")
        page.select_option("#sku-choice", variant)
        page.wait_for_function("document.querySelector('.stock-note').textContent !== ''")
        page.select_option("#sku-choice", product.id)
    assert stock_note(page) == ""
    assert page.get_attribute("form.add-to-cart input[name=qty]", "max") == str(
        product.max_per_order
    )
    page.fill("form.add-to-cart input[name=qty]", str(product.max_per_order))
    page.click("form.add-to-cart button[type=submit]")
    page.wait_for_selector("form.add-to-cart .added a")
    assert stored(page) == {product.id: product.max_per_order}
    assert len(asked) == 1


def test_the_cart_caps_a_line_to_the_live_count_and_leaves_out_a_sold_out_one(
    shop: Shop, site_url: str
) -> None:
    site, first, second, page = shop.site, shop.first, shop.second, shop.page
    assert second.max_per_order > 4
    posted: list[dict[str, Any]] = []

    def checkout(route: Route) -> None:
        posted.append(json.loads(route.request.post_data or "{}"))
        reply(route, 201, ORDER)

    page.route(f"{site.config.checkout_url}/api/orders", checkout)
    asked = live_stock(page, site, {first.id: 0, second.id: 2})
    page.goto(f"{site_url}/fr/")
    lines = [
        {"sku": first.id, "coop": first.cooperative, "qty": 1},
        {"sku": second.id, "coop": second.cooperative, "qty": 4},
    ]
    page.evaluate(
        "lines => localStorage.setItem('taawun.cart.v1', JSON.stringify({v: 1, lines}))", lines
    )
    open_cart(page, site_url, "fr", groups=2)
    assert asked == [[first.id, second.id]]  # every line's SKU, in one request
    capped = page.locator(f"tr[data-sku='{second.id}']")
    assert capped.locator(".cart-note").inner_text() == "Plus que 2 en stock"
    assert capped.locator("input").input_value() == "2"
    assert capped.locator("input").get_attribute("max") == "2"
    sold = page.locator(f"tr[data-sku='{first.id}']")
    assert sold.locator(".cart-note").inner_text() == "Épuisé : il ne sera pas commandé."
    assert sold.locator(".line-total").inner_text() == "—"
    assert shown_total(page)[0] == expected_total(site, {second.id: 2})

    fill_order(page)
    page.click("#order-form button[type=submit]")
    page.wait_for_selector("#order-done a")
    assert [order["lines"] for order in posted] == [[{"sku": second.id, "qty": 2}]]
    assert stored(page) == {first.id: 1}  # the sold-out line stays, for the buyer to remove
    assert len(asked) == 1  # asked once, not again on every redraw


@pytest.mark.parametrize("answer", ["null", "abort"])
def test_the_cart_is_as_before_without_a_live_count(shop: Shop, site_url: str, answer: str) -> None:
    site, second, page = shop.site, shop.second, shop.page
    asked = live_stock(page, site, {second.id: None} if answer == "null" else None)
    page.goto(f"{site_url}/fr/")
    page.evaluate(
        "line => localStorage.setItem('taawun.cart.v1', JSON.stringify({v: 1, lines: [line]}))",
        {"sku": second.id, "coop": second.cooperative, "qty": 4},
    )
    open_cart(page, site_url, "fr", groups=1)
    row = page.locator(f"tr[data-sku='{second.id}']")
    assert row.locator(".cart-note").count() == 0
    assert row.locator("input").input_value() == "4"
    assert row.locator("input").get_attribute("max") == str(second.max_per_order)
    assert shown_total(page)[0] == expected_total(site, {second.id: 4})
    assert asked == [[second.id]]


def test_order_form_refuses_bad_input_and_posts_only_skus_and_quantities(
    shop: Shop, site_url: str
) -> None:
    site, first, second, page = shop.site, shop.first, shop.second, shop.page
    posted: list[dict[str, Any]] = []

    def checkout(route: Route) -> None:
        posted.append(json.loads(route.request.post_data or "{}"))
        totals = {"items": 100, "delivery": 0, "total": 12345, "currency": "MAD"}
        order = {"id": "T-0001", "token": "secret-token", "status": "confirmed", "totals": totals}
        reply(route, 201, {**order, "suborders": []})

    page.route(f"{site.config.checkout_url}/api/orders", checkout)
    add(page, site_url, "fr", first, 1)
    add(page, site_url, "fr", second, 2)
    open_cart(page, site_url, "fr", groups=2)
    page.fill("#o-name", "Fatima Zahra")
    page.fill("#o-phone", "12345")
    page.select_option("#o-region", "souss-massa")
    page.fill("#o-city", "Agadir")
    page.fill("#o-address", "12 rue des Orangers")
    page.click("#order-form button[type=submit]")
    error = page.locator("#order-error")
    assert error.is_visible() and "numéro marocain" in error.inner_text()
    assert page.get_attribute("#o-phone", "aria-invalid") == "true"

    page.fill("#o-phone", "06 12 34 56 78")
    page.click("#order-form button[type=submit]")
    assert "Cochez la case" in error.inner_text()
    assert posted == []  # nothing left the page while the form was wrong

    page.check("#o-consent")
    page.click("#order-form button[type=submit]")
    page.wait_for_selector("#order-done a")
    (order,) = posted
    assert sorted(order["lines"], key=lambda line: line["sku"]) == sorted(
        [{"sku": first.id, "qty": 1}, {"sku": second.id, "qty": 2}], key=lambda line: line["sku"]
    )
    assert order["buyer"]["phone"] == "+212612345678"
    assert order["buyer"]["region"] == "souss-massa" and order["buyer"]["city"] == "Agadir"
    assert order["payment"] == "cod" and order["consent"] is True and order["lang"] == "fr"
    assert "price" not in json.dumps(order)
    # The total the buyer saw, so the service can refuse rather than charge another one.
    assert order["expected_total"] == expected_total(site, {first.id: 1, second.id: 2})
    link = page.get_attribute("#order-done a", "href") or ""
    assert link == "/fr/order/?id=T-0001&token=secret-token"
    assert page.is_hidden("[data-cart-count]")  # the ordered lines left the cart


def test_changed_prices_are_read_again_and_the_order_not_sent_blind(
    shop: Shop, site_url: str
) -> None:
    """The service refuses an order whose total differs from the one the buyer saw; the cart
    then reads the cooperative's prices again and shows the new total."""
    site, first, page = shop.site, shop.first, shop.page
    served: list[int] = []

    def shard(route: Route) -> None:  # the second read finds a new build: 10 MAD dearer
        response = route.fetch()
        data = response.json()
        if served:
            data["skus"][first.id]["unit_price"] += 1000
        served.append(data["skus"][first.id]["unit_price"])
        route.fulfill(response=response, json=data)

    message = "Les prix ont changé depuis l'affichage de votre panier : vérifiez-le."
    refusal = {"error": {"code": "prices_changed", "field": "expected_total", "message": message}}
    page.route(f"{site_url}/catalogue/{first.cooperative}.json", shard)
    page.route(f"{site.config.checkout_url}/api/orders", lambda route: reply(route, 409, refusal))
    add(page, site_url, "fr", first, 1)
    open_cart(page, site_url, "fr", groups=1)
    old_total, _ = shown_total(page)
    fill_order(page)
    page.check("#o-consent")
    page.click("#order-form button[type=submit]")
    page.wait_for_function("document.getElementById('order-error').textContent.length > 0")
    assert message in page.inner_text("#order-error")
    page.wait_for_function(f"document.getElementById('cart-total').dataset.total !== '{old_total}'")
    assert shown_total(page)[0] == old_total + 1000
    assert served == [first.price, first.price + 1000]
    assert page.is_visible("[data-cart-count]")  # nothing left the cart


@pytest.mark.parametrize(
    ("typed", "e164"),
    [
        ("0612345678", "+212612345678"),
        ("+212 6 12 34 56 78", "+212612345678"),
        ("00212712345678", "+212712345678"),
        ("+212 (0)5 22 12 34 56", "+212522123456"),
        ("212661478526", "+212661478526"),
        ("0812345678", None),
        ("+33612345678", None),
    ],
)
def test_moroccan_phone_numbers_are_normalised(
    browser: Browser, site_url: str, typed: str, e164: str | None
) -> None:
    page = browser.new_context().new_page()
    sent: list[str] = []
    page.route(
        "**/api/orders",
        lambda route: (
            sent.append(json.loads(route.request.post_data or "{}")["buyer"]["phone"]),
            reply(route, 400, {}),
        ),
    )
    one_line_cart(page, site_url, "amlou-tamanar", "argan-tamanar")
    fill_order(page, phone=typed)
    page.click("#order-form button[type=submit]")
    page.wait_for_selector("#order-error:not([hidden])")
    assert sent == ([e164] if e164 else [])


def test_the_region_is_required_and_sent(shop: Shop, site_url: str) -> None:
    site, first, page = shop.site, shop.first, shop.page
    posted: list[dict[str, Any]] = []

    def checkout(route: Route) -> None:
        posted.append(json.loads(route.request.post_data or "{}"))
        reply(route, 201, ORDER)

    page.route(f"{site.config.checkout_url}/api/orders", checkout)
    one_line_cart(page, site_url, first.id, first.cooperative)
    fill_order(page, region="")
    page.click("#order-form button[type=submit]")
    assert "Remplissez ce champ" in page.inner_text("#order-error")
    assert page.get_attribute("#o-region", "aria-invalid") == "true"
    assert focused(page) == "o-region"
    assert posted == []

    page.select_option("#o-region", "oriental")
    page.click("#order-form button[type=submit]")
    page.wait_for_selector("#order-done a")
    assert [order["buyer"]["region"] for order in posted] == ["oriental"]


def test_the_services_outside_delivery_zone_answer_points_at_the_region(
    shop: Shop, site_url: str
) -> None:
    site, first, page = shop.site, shop.first, shop.page
    refusal = {
        "code": "outside_delivery_zone",
        "field": "buyer.region",
        "message": "buyer.region: this cooperative does not deliver to L'Oriental.",
    }
    page.route(
        f"{site.config.checkout_url}/api/orders",
        lambda route: reply(route, 422, {"error": refusal}),
    )
    one_line_cart(page, site_url, first.id, first.cooperative)
    fill_order(page, region="oriental")
    page.click("#order-form button[type=submit]")
    page.wait_for_selector("#order-error:not([hidden])")
    assert "does not deliver to L'Oriental" in page.inner_text("#order-error")
    assert focused(page) == "o-region"
    assert page.get_attribute("#o-region", "aria-invalid") == "true"


def test_a_cooperative_that_does_not_deliver_to_the_chosen_region_is_flagged(
    shop: Shop, site_url: str
) -> None:
    site, page = shop.site, shop.page
    selling = [c for c in site.cooperatives.values() if site.products_by_cooperative.get(c.id)]
    local = next(c for c in selling if c.delivery.zones != "national")
    national = next(c for c in selling if c.delivery.zones == "national")
    outside = next(g for g in site.regions.values() if g.id not in local.delivery.zones)
    inside = local.delivery.zones[0]
    lines = [
        {"sku": site.products_by_cooperative[coop.id][0].id, "coop": coop.id, "qty": 1}
        for coop in (local, national)
    ]
    page.goto(f"{site_url}/fr/")
    page.evaluate(
        "lines => localStorage.setItem('taawun.cart.v1', JSON.stringify({v: 1, lines}))", lines
    )
    open_cart(page, site_url, "fr", groups=2)
    notes = page.locator(".cart-group .cart-note")
    assert "ne livre pas" not in " ".join(notes.all_inner_texts())  # no region chosen yet

    page.select_option("#o-region", outside.id)
    flag = page.locator(f"section[data-coop='{local.id}'] > .cart-note", has_text="ne livre pas")
    flag.wait_for()
    assert outside.name.get("fr") in flag.inner_text()
    assert page.locator(f"section[data-coop='{national.id}']", has_text="ne livre pas").count() == 0

    page.select_option("#o-region", inside)
    page.wait_for_function("!document.getElementById('cart-groups').innerText.includes('ne livre')")


def test_a_retry_reuses_the_idempotency_key_and_a_new_order_gets_a_new_one(
    shop: Shop, site_url: str
) -> None:
    """A retry after a lost answer must not place the order twice: the same order carries the
    same Idempotency-Key; a changed order, or the next one after a success, a new key."""
    site, first, page = shop.site, shop.first, shop.page
    keys: list[str] = []
    answers = ["abort", "abort", "abort", "ok", "ok"]

    def checkout(route: Route) -> None:
        keys.append(route.request.header_value("idempotency-key") or "")
        if answers.pop(0) == "abort":
            route.abort("internetdisconnected")
        else:
            reply(route, 201, ORDER)

    page.route(f"{site.config.checkout_url}/api/orders", checkout)
    one_line_cart(page, site_url, first.id, first.cooperative)
    fill_order(page)

    def send() -> None:
        page.evaluate("document.getElementById('order-error').textContent = ''")
        page.click("#order-form button[type=submit]")

    for _ in range(2):  # the connection is lost; the buyer tries again with the same order
        send()
        page.wait_for_function("document.getElementById('order-error').textContent !== ''")
        assert "pas de connexion" in page.inner_text("#order-error")
    page.fill("#o-address", "12 rue des Orangers")  # a changed order
    send()
    page.wait_for_function("document.getElementById('order-error').textContent !== ''")
    send()  # and its retry goes through
    page.wait_for_selector("#order-form", state="hidden")
    page.wait_for_selector("#order-done a")

    # The buyer adds the same product again in another tab: the form comes back, filled as
    # before, and the same body is a new order now, so it gets a new key.
    add(page.context.new_page(), site_url, "fr", first, 1)
    page.wait_for_selector("#order-form:not([hidden])")
    send()
    page.wait_for_selector("#order-form", state="hidden")
    assert answers == []
    assert all(re.fullmatch(r"[0-9a-f]{32}", key) for key in keys), keys
    assert keys[0] == keys[1]  # the retry after a network failure
    assert keys[2] != keys[1]  # the changed order
    assert keys[3] == keys[2]  # its retry
    assert keys[4] not in keys[:4]  # the next order


NAMES = {  # what the service sends, in the order's language
    "fr": {
        "argan": "Coopérative Argan Tamanar",
        "fakhar": "Coopérative des potiers Fakhar Oulja",
        "amlou": "Amlou aux amandes",
        "plates": "Assiettes peintes",
        "oil": "Huile d'argan culinaire",
    },
    "ar": {
        "argan": "تعاونية أركان تمنار",
        "fakhar": "تعاونية الفخارين فخار الولجة",
        "amlou": "أملو باللوز",
        "plates": "صحون مزخرفة",
        "oil": "زيت أركان غذائي",
    },
}


def service_order(
    lang: str = "fr",
    *,
    status: str = "paid",
    payment: str = "card",
    statuses: tuple[str, str] = ("shipped", "to_ship"),
) -> dict[str, Any]:
    """An order as ``GET /api/orders/{id}`` answers it (docs/checkout.md, "The API"): two
    sub-orders, the first one shipped; amounts in centimes."""
    names = NAMES[lang]

    def line(sku: str, name: str, qty: int, unit: int) -> dict[str, Any]:
        return {
            "sku": sku,
            "name": names[name],
            "qty": qty,
            "unit_price": unit,
            "total": qty * unit,
        }

    start = "awaiting_payment" if payment == "card" else "confirmed"
    history = [{"at": "2026-11-29T14:30:56.485343+00:00", "status": start, "suborder": None}]
    if status != start:
        history.append({"at": "2026-11-29T14:32:10+00:00", "status": status, "suborder": None})
    history.append({"at": "2026-12-01T09:05:00+00:00", "status": "shipped", "suborder": 1})
    order = {
        "id": "TW-WCXJEQPAAXJB",
        "status": status,
        "payment": payment,
        "lang": lang,
        "currency": "MAD",
        "created": "2026-11-29T14:30:56.485343+00:00",
        "totals": {"items": 55000, "delivery": 9500, "total": 64500, "currency": "MAD"},
        "buyer": {"name": "Fatima Zahra", "city": "Casablanca"},
        "suborders": [
            {
                "number": 1,
                "cooperative": "argan-tamanar",
                "cooperative_name": names["argan"],
                "status": statuses[0],
                "items": 16000,
                "delivery": 3500,
                "total": 19500,
                "lines": [line("amlou-tamanar", "amlou", 2, 8000)],
            },
            {
                "number": 2,
                "cooperative": "fakhar-oulja",
                "cooperative_name": names["fakhar"],
                "status": statuses[1],
                "items": 39000,
                "delivery": 6000,
                "total": 45000,
                "lines": [
                    line("assiettes-peintes-oulja", "plates", 3, 11000),
                    line("huile-argan-oulja", "oil", 1, 6000),
                ],
            },
        ],
        "history": history,
    }
    if status == "awaiting_payment":
        order["payment_url"] = "https://checkout.stripe.test/c/pay/cs_test_1"
    return order


def status_page(
    browser: Browser,
    site: Site,
    base: str,
    lang: str,
    answers: list[tuple[int, Any]],
    *,
    clock: bool = False,
) -> tuple[Page, list[str]]:
    """The order-status page in ``lang`` (dates in UTC), the service answering ``answers`` in
    turn (the last one again and again); returns the page and the URLs it asked. With
    ``clock``, the page's timers wait for ``page.clock``."""
    page = browser.new_context(timezone_id="UTC").new_page()
    if clock:
        page.clock.install()
    asked: list[str] = []

    def status(route: Route) -> None:
        asked.append(route.request.url)
        reply(route, *answers[min(len(asked), len(answers)) - 1])

    page.route(f"{site.config.checkout_url}/api/orders/**", status)
    page.goto(f"{base}/{lang}/order/?id=TW-WCXJEQPAAXJB&token=secret-token")
    loading = "document.getElementById('order-status').innerText.includes('…')"
    page.wait_for_function(f"!{loading}")  # "Loading…" until the service answered
    return page, asked


def test_order_status_page_shows_each_cooperatives_part_and_the_history(
    browser: Browser, site_url: str, sample_build: tuple[BuildResult, Path]
) -> None:
    site = sample_build[0].site
    assert site is not None
    page, asked = status_page(browser, site, site_url, "fr", [(200, service_order())])
    assert asked == [f"{site.config.checkout_url}/api/orders/TW-WCXJEQPAAXJB?token=secret-token"]
    top = page.inner_text("#order-status > div > p:first-child")
    assert "Commande TW-WCXJEQPAAXJB" in top and "29 novembre 2026 à 14:30" in top
    assert "Fatima Zahra" in top and "Casablanca" in top
    assert page.inner_text(".order-state") == "État : payée"
    assert digits(page.inner_text(".notice")) == "64500"  # "Paiement de 645,00 MAD reçu"
    assert page.locator("#order-status a").count() == 0  # nothing left to pay

    blocks = page.locator("section.order-sub")
    assert blocks.count() == 2
    argan, fakhar = blocks.nth(0), blocks.nth(1)
    assert argan.get_attribute("data-coop") == "argan-tamanar"
    assert argan.locator("h2").inner_text() == "Coopérative Argan Tamanar"
    assert argan.locator("p").inner_text() == "État : expédiée"
    assert fakhar.locator("h2").inner_text() == "Coopérative des potiers Fakhar Oulja"
    assert fakhar.locator("p").inner_text() == "État : en préparation"
    rows = [
        [cell.strip() for cell in row.split("\t")] for row in fakhar.locator("tr").all_inner_texts()
    ]
    assert [(name, digits(amount)) for name, amount in rows] == [
        ("3 × Assiettes peintes", "33000"),
        ("1 × Huile d'argan culinaire", "6000"),
        ("Livraison", "6000"),
        ("Sous-total", "45000"),
    ]
    assert "2 × Amlou aux amandes" in argan.inner_text()
    assert digits(argan.locator("tfoot").inner_text()) == "350019500"
    total = page.inner_text(".cart-total")
    assert total.startswith("Total de la commande") and digits(total) == "64500"
    assert "MAD" in total

    history = page.locator(".order-history li").all_inner_texts()
    assert history == [
        "29 novembre 2026 à 14:30 — en attente du paiement",
        "29 novembre 2026 à 14:32 — payée",
        "1 décembre 2026 à 09:05 — Coopérative Argan Tamanar : expédiée",
    ]
    assert page.get_attribute(".order-history li time", "datetime") == (
        "2026-11-29T14:30:56.485343+00:00"
    )
    assert page.locator("#order-status h2").all_inner_texts()[-1] == "Suivi de la commande"
    assert page.get_attribute("#order-status", "aria-live") == "polite"
    assert not re.search(r"\b(undefined|null|false|NaN)\b", page.inner_text("#order-status"))

    if AXE_JS.is_file():  # the filled page, as a screen reader meets it
        page.add_script_tag(path=str(AXE_JS))
        violations = page.evaluate(
            "async (options) => (await axe.run(document, options)).violations", AXE_OPTIONS
        )
        assert [v["id"] for v in violations] == []


def test_cash_on_delivery_says_what_to_pay_each_cooperative_on_arrival(
    browser: Browser, site_url: str, sample_build: tuple[BuildResult, Path]
) -> None:
    """A cancelled cooperative's part is no longer owed: the total to pay leaves it out."""
    site = sample_build[0].site
    assert site is not None
    order = service_order(status="confirmed", payment="cod", statuses=("shipped", "cancelled"))
    page, _ = status_page(browser, site, site_url, "fr", [(200, order)])
    assert page.inner_text(".order-state") == "État : confirmée"
    notice = page.inner_text(".notice")
    assert "espèces à la livraison" in notice and digits(notice) == "19500"
    argan = page.locator("section[data-coop='argan-tamanar']")
    assert "À payer à la livraison" in argan.locator("tfoot").inner_text()
    fakhar = page.locator("section[data-coop='fakhar-oulja']")
    assert fakhar.get_attribute("data-status") == "cancelled"
    assert fakhar.locator("p").inner_text() == "État : annulée"
    assert "Sous-total" in fakhar.locator("tfoot").inner_text()
    assert digits(page.inner_text(".cart-total")) == "19500"


def test_an_unpaid_card_order_links_to_its_payment_page_and_follows_the_payment(
    browser: Browser, site_url: str, sample_build: tuple[BuildResult, Path]
) -> None:
    """Back from Stripe before its webhook reached the service, the buyer sees the order
    waiting, with the payment page's link; the page looks again and shows it paid."""
    site = sample_build[0].site
    assert site is not None
    waiting = service_order(status="awaiting_payment", statuses=("pending", "pending"))
    paid = service_order(status="paid", statuses=("to_ship", "to_ship"))
    page, asked = status_page(
        browser, site, site_url, "fr", [(200, waiting), (200, waiting), (200, paid)], clock=True
    )
    assert page.inner_text(".order-state") == "État : en attente du paiement"
    link = page.locator("#order-status a.button")
    assert link.inner_text() == "Payer maintenant"
    assert link.get_attribute("href") == "https://checkout.stripe.test/c/pay/cs_test_1"
    assert digits(page.inner_text(".notice")) == "64500"
    states = page.locator(".order-sub > p").all_inner_texts()
    assert states == ["État : en attente du paiement"] * 2

    with page.expect_request(lambda request: "/api/orders/" in request.url):
        page.clock.run_for(5000)  # still waiting: the page stays as it is
    assert page.inner_text(".order-state") == "État : en attente du paiement"
    page.clock.run_for(5000)
    page.wait_for_function("document.querySelector('.order-state').textContent === 'État : payée'")
    assert page.locator("#order-status a.button").count() == 0
    page.clock.run_for(60000)  # paid: no more looks
    page.wait_for_timeout(300)
    assert len(asked) == 3


def test_order_status_page_in_arabic(
    browser: Browser, site_url: str, sample_build: tuple[BuildResult, Path]
) -> None:
    site = sample_build[0].site
    assert site is not None
    page, _ = status_page(browser, site, site_url, "ar", [(200, service_order("ar"))])
    assert page.get_attribute("html", "dir") == "rtl"
    assert page.get_attribute("html", "lang") == "ar"
    assert page.inner_text(".order-state") == "الحالة: مدفوع"
    top = page.inner_text("#order-status > div > p:first-child")
    assert "الطلب TW-WCXJEQPAAXJB" in top and "29 نونبر 2026" in top  # Latin digits
    states = page.locator(".order-sub > p").all_inner_texts()
    assert states == ["الحالة: تم الشحن", "الحالة: قيد التحضير"]
    fakhar = page.locator("section[data-coop='fakhar-oulja']")
    assert fakhar.locator("h2").inner_text() == "تعاونية الفخارين فخار الولجة"
    foot = fakhar.locator("tfoot").inner_text()
    assert "التوصيل" in foot and "المجموع الفرعي" in foot and "د.م." in foot
    assert "3 × صحون مزخرفة" in fakhar.inner_text()
    total = page.inner_text(".cart-total")
    assert total.startswith("مجموع الطلب") and digits(total) == "64500"
    history = page.locator(".order-history li").all_inner_texts()
    assert history[-1] == "1 دجنبر 2026 في 09:05 — تعاونية أركان تمنار: تم الشحن"
    assert [entry.split(" — ")[1] for entry in history[:2]] == ["في انتظار الدفع", "مدفوع"]
    assert page.locator("#order-status h2").all_inner_texts()[-1] == "مراحل الطلب"


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_an_unknown_order_says_so(
    browser: Browser, site_url: str, sample_build: tuple[BuildResult, Path], lang: str
) -> None:
    """A wrong token, a missing one and an unknown id get the same 404 from the service."""
    site = sample_build[0].site
    assert site is not None
    refusal = {"error": {"code": "not_found", "message": "No such order."}}
    page, asked = status_page(browser, site, site_url, lang, [(404, refusal)])
    text = page.inner_text("#order-status")
    assert text == {"fr": NOT_FOUND_FR, "ar": NOT_FOUND_AR}[lang]
    assert page.locator(".order-sub, .order-state").count() == 0
    assert len(asked) == 1


@pytest.mark.parametrize("answer", ["abort", 503])
def test_no_connection_is_not_an_unknown_order(
    browser: Browser, site_url: str, sample_build: tuple[BuildResult, Path], answer: str | int
) -> None:
    """Without a connection, or with the service down, the buyer is told to try again, not
    that the order does not exist."""
    site = sample_build[0].site
    assert site is not None
    page = browser.new_context().new_page()

    def status(route: Route) -> None:
        if answer == "abort":
            route.abort("internetdisconnected")
        else:
            reply(route, int(answer), {"error": {"code": "unavailable", "message": "Later."}})

    page.route(f"{site.config.checkout_url}/api/orders/**", status)
    page.goto(f"{site_url}/fr/order/?id=TW-WCXJEQPAAXJB&token=secret-token")
    page.wait_for_function(
        "document.getElementById('order-status').innerText.includes('Rechargez')"
    )
    assert "pas de connexion" in page.inner_text("#order-status")
    assert "introuvable" not in page.inner_text("#order-status")


NOT_FOUND_FR = "Commande introuvable : vérifiez le lien reçu lors de la commande."
NOT_FOUND_AR = "الطلب غير موجود: تحقق من الرابط الذي توصلت به عند الطلب."


def test_card_payment_follows_the_services_redirect(shop: Shop, site_url: str) -> None:
    """Where the site enables cards, the buyer is sent to the payment page the service returns
    (Stripe Checkout); the sample site offers cash on delivery only, so the page is patched."""
    site, first, page = shop.site, shop.first, shop.page
    paid = "https://checkout.stripe.test/c/pay/cs_test_1"
    order = {"id": "T-0002", "token": "t", "status": "awaiting_payment", "totals": {"total": 1}}
    page.route(
        f"{site.config.checkout_url}/api/orders",
        lambda route: reply(route, 201, {**order, "payment_url": paid}),
    )
    page.route(paid, lambda route: route.fulfill(status=200, body="<title>Stripe</title>paid"))
    add(page, site_url, "fr", first, 1)
    open_cart(page, site_url, "fr", groups=1)
    page.evaluate(
        "() => document.querySelector('input[name=payment]').insertAdjacentHTML('afterend',"
        " '<input type=radio name=payment value=card id=card>')"
    )
    page.check("#card")
    fill_order(page)
    with page.expect_request(lambda request: request.url.endswith("/api/orders")) as sent:
        page.click("#order-form button[type=submit]")
    assert json.loads(sent.value.post_data or "{}")["payment"] == "card"
    page.wait_for_url(paid)


def test_card_payment_is_offered_only_where_the_site_enables_it(
    minimal_site: Path, sample_build: tuple[BuildResult, Path]
) -> None:
    from selectolax.lexbor import LexborHTMLParser

    from generator.build import build

    def payments(output: Path) -> list[str]:
        html = LexborHTMLParser((output / "fr/cart/index.html").read_text(encoding="utf-8"))
        return [str(i.attributes["value"]) for i in html.css("input[name=payment]")]

    assert payments(sample_build[1]) == ["cod"]
    config = minimal_site / "site.yaml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text + 'checkout_url: "https://pay.example.test"\n', encoding="utf-8")
    build(minimal_site, minimal_site.parent / "public", search=False)
    assert payments(minimal_site.parent / "public") == ["cod"]
    config.write_text(
        text + 'checkout_url: "https://pay.example.test"\ncard_payments: true\n', encoding="utf-8"
    )
    build(minimal_site, minimal_site.parent / "public", search=False)
    assert payments(minimal_site.parent / "public") == ["cod", "card"]


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_the_region_choice_lists_the_regions_in_the_pages_language(
    sample_build: tuple[BuildResult, Path], lang: str
) -> None:
    from selectolax.lexbor import LexborHTMLParser

    site, output = sample_build
    assert site.site is not None
    html = LexborHTMLParser((output / lang / "cart/index.html").read_text(encoding="utf-8"))
    select = html.css_first("#order-form select#o-region")
    assert select is not None and "required" in select.attributes
    label = html.css_first("label[for=o-region]")
    assert label is not None and label.text() == {"ar": "الجهة", "fr": "Région"}[lang]
    options = [(o.attributes["value"], o.text()) for o in select.css("option")]
    regions = sorted(site.site.regions.values(), key=lambda g: g.order)
    assert len(regions) == 12
    assert options[0][0] == "" and options[0][1]  # "choose your region" first
    assert options[1:] == [(g.id, g.name.get(lang)) for g in regions]
    fields = [n.attributes.get("id") for n in html.css("#order-form .field > :is(input, select)")]
    assert fields.index("o-region") == fields.index("o-city") - 1  # before the city
